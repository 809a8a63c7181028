/**
 * Goal: `sim run` on a ZooKeeper scenario as a user meets it: the files it promises
 * (history.jsonl, history.edn, trace.msgpack, result.json, report.html), the `--json` shape,
 * exit 1 with a replay command when a check fails, and a history that `sim check` reads back
 * to the same verdict (the EDN is Jepsen-compatible, not just written).
 * Method: `main` in-process with output captured, on short scenarios written to a temp dir.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { writeShortScenario } from './shortScenario.ts';

async function sim(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  try {
    return { code: await main(args), out };
  } finally {
    o.mockRestore();
    l.mockRestore();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'zabsim-run-'));
const scenario = (name: string, extra = ''): string => writeShortScenario(dir, name, extra);

describe('sim run, ZooKeeper scenarios', () => {
  it('--json prints result.json and writes every promised file', async () => {
    const out = join(dir, 'out');
    const r = await sim('run', scenario('clean'), '--seed', '4', '--json', '--out', out);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['scenario', 'seed', 'verdict', 'ok', 'historyHash', 'traceHash', 'checks', 'faults', 'stats', 'report']));
    expect(result).toMatchObject({ scenario: 'clean', seed: '4', verdict: 'ok', ok: true });
    expect(Object.keys(result.checks).sort()).toEqual(['zab', 'zookeeper']);
    expect(result.faults[0]).toMatchObject({ name: 'cut', kind: 'partition', fired: true, atMs: 1000, endMs: 4500, phase: 'broadcast' });
    expect(result.stats.elections.length).toBeGreaterThanOrEqual(2);
    for (const k of ['events', 'ops', 'simTimeMs', 'wallMs', 'simRealRatio']) expect(typeof result.stats[k]).toBe('number');
    const runDir = join(out, 'clean', '4');
    for (const f of ['spec.json', 'trace.msgpack', 'tape.msgpack', 'history.jsonl', 'history.edn', 'result.json', 'report.html']) expect(existsSync(join(runDir, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8'))).toEqual(result);

    // The written history checks the same way from the file, in both formats.
    for (const f of ['history.edn', 'history.jsonl']) {
      const c = await sim('check', join(runDir, f), '--model', 'zookeeper');
      expect([f, c.code]).toEqual([f, 0]);
    }
  });

  it('a failing check exits 1, names the property and prints the replay command', async () => {
    const file = scenario('broken', 'engine: { mutations: [commit-after-one-ack] }\n');
    let failing: { code: number; out: string } | undefined;
    for (let seed = 1; seed <= 4 && failing === undefined; seed++) {
      const r = await sim('run', file, '--seed', String(seed), '--out', join(dir, 'out'));
      if (r.code !== 0) failing = r;
    }
    expect(failing?.code).toBe(1);
    expect(failing!.out).toMatch(/verdict {3}VIOLATION/);
    expect(failing!.out).toMatch(/\[zab\/committed-survive\]/);
    expect(failing!.out).toMatch(new RegExp(`replay {4}npx sim run ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --seed \\d`));
  });
});
