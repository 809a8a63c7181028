import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemorySink } from '../sim/trace/trace.ts';
import { executeRun, type RunSpec } from './execute.ts';
import { siblingModule } from './siblingModule.ts';
import { describeEvent, firstDivergence, type TraceDivergence } from './traceDiff.ts';

/** Result of running one spec twice: in this process and in a fresh child process. */
export interface DeterminismReport {
  deterministic: boolean;
  inProcess: { traceHash: string; events: number };
  child: { traceHash: string; events: number };
  divergence?: TraceDivergence;
  /** Human-readable lines locating the first divergent event. */
  lines: string[];
}

/**
 * Runs `spec` in-process and in a child process, compares the traces event by event and, on
 * divergence, names the first divergent event (index, sim time, node, both events). A fresh
 * process catches what a second in-process run cannot: state that leaks between runs, module
 * initialisation order, ambient randomness or time.
 */
export async function checkDeterminism(spec: RunSpec): Promise<DeterminismReport> {
  const dir = mkdtempSync(join(tmpdir(), 'zabsim-det-'));
  try {
    const specPath = join(dir, 'spec.json');
    const tracePath = join(dir, 'child.trace');
    writeFileSync(specPath, JSON.stringify(spec));
    const sink = new MemorySink();
    const mine = await executeRun(spec, { traceLevel: 'full', sink, record: false });
    const child = runChild(specPath, tracePath);
    const childBytes = readFileSync(tracePath);
    const divergence = firstDivergence(sink.bytes(), childBytes);
    const lines: string[] = [];
    if (divergence !== undefined) {
      const at = divergence.a ?? divergence.b!;
      lines.push(`first divergent event: index ${divergence.index}, sim time ${at.timeUs} µs, node ${at.node || '-'}`);
      lines.push(`  in-process: ${describeEvent(divergence.a)}`);
      lines.push(`  child:      ${describeEvent(divergence.b)}`);
    }
    return {
      deterministic: divergence === undefined && mine.traceHash === child.traceHash,
      inProcess: { traceHash: mine.traceHash, events: mine.events },
      child: { traceHash: child.traceHash, events: child.events },
      ...(divergence ? { divergence } : {}),
      lines,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(specPath: string, tracePath: string): { traceHash: string; events: number } {
  const child = siblingModule(import.meta.url, 'determinismChild');
  const r = spawnSync(process.execPath, [...child.execArgv, fileURLToPath(child.url), specPath, tracePath], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`determinism child failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const lastLine = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(lastLine) as { traceHash: string; events: number };
}
