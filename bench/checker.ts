/**
 * Checker figures, side by side with Porcupine v1.3.0 (Go) run in the same bench run on the same
 * machine (issue 18, item 4). Nothing is compared with a remembered constant:
 * 1. the etcd Jepsen corpus (bench/checkerEtcd.ts) and Porcupine-format kv histories
 *    (bench/checkerKv.ts), each as one table row with zabsim, Porcupine, the ratio and a ✓/✗
 *    against the target. When `go` is missing, one line says so and zabsim's own figures
 *    are still printed;
 * 2. early exit on zabsim's synthetic 50-client kv histories with planted stale reads (target
 *    < 100 ms);
 * 3. a 1,000,000-operation partitioned kv history: peak memory (target < 1 GiB), measured in a
 *    fresh child process so nothing else shares its heap.
 * Every history is a fixture or generated from a fixed seed, so runs compare.
 * Run alone with `npm run bench -- checker`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HistoryOp } from '../src/checker/history/op.ts';
import { checkHistory, kvModel } from '../src/checker/linearizability/index.ts';
import { generateKvHistory, type KvHistorySpec } from '../src/checker/synthetic/kvHistory.ts';
import { etcdSection } from './checkerEtcd.ts';
import { kvSection } from './checkerKv.ts';
import { preparePorcupine, type Porcupine } from './porcupine.ts';
import { median, tableLines, timed, type Row } from './sideBySide.ts';
import { prepareSim } from './simCli.ts';

const REJECT_TARGET_MS = 100;
const MEMORY_TARGET_BYTES = 2 ** 30;
const MiB = (bytes: number): string => (bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const mark = (met: boolean): string => (met ? '✓' : '✗');

/** Porcupine's c50-bad shape: 50 clients, 10 keys, about 2,000 get/put/append operations. */
export function c50BadSpec(seed: number): KvHistorySpec {
  return { seed, clients: 50, opsPerClient: 40, keys: 10, readPerMille: 500, appendPerMille: 800, infoPerMille: 20, staleReadPerMille: 5, latencyMax: 100, thinkMax: 20 };
}

/** A million operations from 100 clients over `keys` keys (puts and gets, 1 ‰ timeouts). */
export function millionSpec(keys: number): KvHistorySpec {
  return { seed: 7, clients: 100, opsPerClient: 10_000, keys, readPerMille: 500, appendPerMille: 0, infoPerMille: 1, staleReadPerMille: 0, latencyMax: 100, thinkMax: 20 };
}

function rejectBadKv(seeds = [1, 2, 3, 4, 5], reps = 5): void {
  console.log('');
  console.log(`## early exit: zabsim's synthetic 50-client, 10-key kv histories with planted stale reads (seeds ${seeds.join(', ')}; median of ${reps} runs)`);
  const times: number[] = [];
  for (const seed of seeds) {
    const h = generateKvHistory(c50BadSpec(seed));
    const runs = Array.from({ length: reps }, () => timed(() => checkHistory(kvModel(), h.events)));
    const ms = median(runs.map((r) => r.ms));
    const r = runs[0]!.value;
    times.push(ms);
    console.log(
      `seed ${seed}: ${h.operations} ops, ${h.staleReads} stale reads on keys ${h.staleKeys.join(',')} → ${r.verdict} in ${ms.toFixed(1)} ms (${r.partitions.length} of ${r.partitionCount} partitions searched, ${r.steps} steps)`,
    );
  }
  const worst = Math.max(...times);
  console.log(`worst ${worst.toFixed(1)} ms: ${mark(worst < REJECT_TARGET_MS)} < ${REJECT_TARGET_MS} ms (zabsim's own history shape; Porcupine's c50-bad shape is in the table above)`);
}

interface MillionFigures {
  keys: number;
  events: number;
  operations: number;
  generateMs: number;
  checkMs: number;
  verdict: string;
  historyHeapBytes: number;
  peakHeapBytes: number;
  peakRssBytes: number;
  peakCacheBytes: number;
}

/** Child side: generate, then check while sampling memory at every deadline poll. */
function millionChild(keys: number): MillionFigures {
  const gen = timed(() => generateKvHistory(millionSpec(keys)));
  (globalThis as { gc?: () => void }).gc?.();
  const historyHeapBytes = process.memoryUsage().heapUsed;
  let peakHeapBytes = historyHeapBytes;
  const sample = (): boolean => {
    peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
    return false;
  };
  const events: HistoryOp[] = gen.value.events;
  const check = timed(() => checkHistory(kvModel(), events, { timeUp: sample }));
  sample();
  return {
    keys,
    events: events.length,
    operations: gen.value.operations,
    generateMs: gen.ms,
    checkMs: check.ms,
    verdict: check.value.verdict,
    historyHeapBytes,
    peakHeapBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    peakCacheBytes: check.value.peakCacheBytes,
  };
}

function oneMillion(keyCounts = [1000, 100]): void {
  console.log('');
  console.log('## memory: 1,000,000-operation partitioned kv history (100 clients, seed 7), each in a fresh process');
  for (const keys of keyCounts) {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--million-child', String(keys)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      console.log(`${keys} keys: child failed (exit ${child.status}): ${child.stderr.split('\n')[0]}`);
      continue;
    }
    const f = JSON.parse(child.stdout) as MillionFigures;
    console.log(
      `${f.keys} keys: ${f.operations.toLocaleString('en-US')} ops (${f.events.toLocaleString('en-US')} events) → ${f.verdict} in ${(f.checkMs / 1000).toFixed(1)} s; ` +
        `peak RSS ${MiB(f.peakRssBytes)} ${mark(f.peakRssBytes < MEMORY_TARGET_BYTES)} < 1 GiB, ` +
        `heap: history ${MiB(f.historyHeapBytes)}, peak while checking ${MiB(f.peakHeapBytes)}; memo caches peak ${MiB(f.peakCacheBytes)}; generating took ${(f.generateMs / 1000).toFixed(1)} s`,
    );
  }
}

/** The side-by-side section: Porcupine and `sim` prepared, both tables' rows, and their notes. */
async function sideBySide(): Promise<void> {
  console.log('## linearizability, side by side with Porcupine (same run, same machine)');
  const porcupine = preparePorcupine();
  const p: Porcupine | undefined = 'reason' in porcupine ? undefined : porcupine;
  if (p === undefined) {
    console.log(`Porcupine could not be run: ${(porcupine as { reason: string }).reason}. zabsim's figures follow without it.`);
  } else {
    console.log(`${p.label} (Go driver ../shared/bench/porcupine/zz_bench_test.go), ${p.goVersion}; test binary built in ${(p.buildMs / 1000).toFixed(1)} s, run from a temp copy`);
  }
  const sim = await prepareSim();
  console.log(`${sim.description}; node ${process.version}`);
  const kvDir = p?.scratch('kv') ?? mkdtempSync(join(tmpdir(), 'zabsim-bench-kv-'));
  try {
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const section of [() => etcdSection(p, sim), () => kvSection(kvDir, p, sim)]) {
      const r = section();
      rows.push(...r.rows);
      notes.push(...r.notes);
    }
    console.log('');
    for (const line of tableLines(rows)) console.log(line);
    console.log('');
    console.log('ratio = zabsim ÷ Porcupine (below 1× zabsim is faster); checking time excludes parsing on both sides unless a row says "whole process".');
    for (const note of notes) console.log(`- ${note}`);
    if (sim.entries.size > 1) {
      const counts = [...sim.entries].map(([entry, n]) => `${n} ran ${entry}`).join(', ');
      console.log(`- NOTE: src/ changed during the run, so not every \`sim check\` process ran the same code: ${counts}`);
    }
  } finally {
    if (p === undefined) rmSync(kvDir, { recursive: true, force: true });
    p?.dispose();
  }
}

/** Prints every checker figure. */
export async function runCheckerBench(): Promise<void> {
  await sideBySide();
  rejectBadKv();
  oneMillion();
}

const argv = process.argv;
if (argv[2] === '--million-child') {
  process.stdout.write(`${JSON.stringify(millionChild(Number(argv[3])))}\n`);
} else if (import.meta.url === pathToFileURL(argv[1] ?? '').href) {
  await runCheckerBench();
}
