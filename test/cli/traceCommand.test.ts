/**
 * Goal: a run's binary trace is readable after the fact: `sim check <run>/trace.msgpack --model
 * zab` gives the run's own zab verdict (a mutated engine's committed-survive violation, with the
 * trace event numbers the run cited), and `sim trace` prints exactly those events; bad input
 * (a bad --from, a file that is not a trace) is exit 2 with one `sim:` line.
 * Method: `main` in-process with output captured, on a short mutated scenario in a temp dir.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { writeShortScenario } from './shortScenario.ts';

async function sim(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    l.mockRestore();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'zabsim-trace-'));
const file = writeShortScenario(dir, 'broken', 'engine: { mutations: [commit-after-one-ack] }\n');

describe('reading a recorded run', () => {
  it('sim check on trace.msgpack finds the run’s own zab violation, and sim trace prints the events it cites', async () => {
    let runDir: string | undefined;
    for (let seed = 1; seed <= 4 && runDir === undefined; seed++) {
      const r = await sim('run', file, '--seed', String(seed), '--out', join(dir, 'out'), '--json');
      if (r.code === 1) runDir = JSON.parse(r.out.trim().split('\n').pop()!).outDir as string;
    }
    expect(runDir).toBeDefined();
    const recorded = JSON.parse(readFileSync(join(runDir!, 'result.json'), 'utf8'));
    const live = recorded.checks.zab.violations as { property: string; witness: { traceEvents: number[] } }[];
    expect(live.length).toBeGreaterThan(0);

    const check = await sim('check', join(runDir!, 'trace.msgpack'), '--model', 'zab', '--json');
    expect(check.code).toBe(1);
    const report = JSON.parse(check.out.trim().split('\n')[0]!);
    expect(report.verdict).toBe('illegal');
    const offline = (report.violations as { property: string; events: number[] }[]).map((v) => [v.property, v.events]);
    expect(offline).toEqual(live.map((v) => [v.property, v.witness.traceEvents]));

    const cited = live[0]!.witness.traceEvents[0]!;
    const shown = await sim('trace', runDir!, '--from', String(cited), '--to', String(cited));
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(new RegExp(`^#${cited} t=\\d+µs n\\d \\S+ `));
    expect(shown.out.trim().split('\n')).toHaveLength(1);
    const jsonl = await sim('trace', join(runDir!, 'trace.msgpack'), '--from', '0', '--to', '50', '--kind', 'proto', '--jsonl');
    for (const line of jsonl.out.trim().split('\n')) expect(JSON.parse(line).kind).toBe('proto');
  });

  it('bad input is one sim: line and exit 2', async () => {
    const notTrace = join(dir, 'broken.yaml');
    // /dev/zero would be read forever: a device is refused like every other input.
    for (const args of [['trace', dir, '--from', 'abc'], ['trace', join(dir, 'missing')], ['trace', '/dev/zero'], ['trace', notTrace], ['check', notTrace.replace('.yaml', '.msgpack'), '--model', 'zab']]) {
      if (args[1]!.endsWith('.msgpack')) writeFileSync(args[1]!, 'not msgpack at all');
      const r = await sim(...args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.err).toMatch(/^sim: [^\n]+\n$/);
    }
  });
});
