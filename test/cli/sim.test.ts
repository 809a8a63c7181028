/**
 * The `sim` command as a user meets it: exit codes (0 ok, 1 violation, 2 bad input), one-line
 * errors with file:line:col, run files written completely, and replay from a run directory.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sim = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/sim.mjs'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const scratch = () => mkdtempSync(join(tmpdir(), 'zabsim-cli-'));
const scenario = (dir: string, body: string) => {
  const p = join(dir, 'scn.yaml');
  writeFileSync(p, body);
  return p;
};
const small = 'name: small\nsystem: gossip\ndurationMs: 300\nnodes: 3\nactions:\n  - { atMs: 100, crash: n2 }\n  - { atMs: 200, restart: n2 }\n';

describe('sim CLI', () => {
  it('runs a scenario, writes complete run files, and replays it from its tape', () => {
    const dir = scratch();
    const r = sim('run', scenario(dir, small), '--seed', '3', '--out', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verdict\s+OK/);
    // The folder is named after the scenario file (scn.yaml); result.json keeps its name: small.
    const runDir = join(dir, 'scn', '3');
    expect(readdirSync(runDir).sort()).toEqual(['result.json', 'spec.json', 'tape.msgpack', 'trace.msgpack']);
    const result = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ scenario: 'small', seed: '3', verdict: 'ok', ok: true });
    const rep = sim('replay', runDir);
    expect(rep.out).toContain('replay matches');
    expect(rep.code).toBe(0);
    // A tampered record no longer matches: replay reports the divergence with exit 1.
    writeFileSync(join(runDir, 'result.json'), JSON.stringify({ ...result, traceHash: '0'.repeat(64) }));
    const bad = sim('replay', runDir);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('DIVERGED');
  });

  it('--json prints result.json and --check-determinism confirms a child process agrees', () => {
    const dir = scratch();
    const r = sim('run', scenario(dir, small), '--json', '--check-determinism', '--out', dir);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out);
    expect(parsed.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.determinism[0]).toMatch(/^determinism: ok/);
    expect(existsSync(join(dir, 'scn', '1', 'trace.msgpack'))).toBe(true);
    expect(existsSync(join(dir, 'scn', '1', 'trace.msgpack.tmp'))).toBe(false);
  });

  it('bad input gives one line naming file:line:col and exit 2, never a stack trace', () => {
    const dir = scratch();
    const cases: [string, RegExp][] = [
      ['system: gossip\ndurationMs: 100\nnodes: 3\ncolour: blue\n', /scn\.yaml:4:1: unknown key "colour"/],
      ['system: gossip\ndurationMs: 100\nnodes: three\n', /scn\.yaml:3:8: nodes: /],
      ['system: gossip\ndurationMs: 100\nnodes: 2\nactions:\n  - { atMs: 5, crash: n7 }\n', /scn\.yaml:5:5: actions\.0: node n7 does not exist/],
      ['system: gossip\n  durationMs: [\n', /scn\.yaml:\d+:\d+: invalid YAML/],
      ['system: paxos\ndurationMs: 1\nnodes: 1\n', /scn\.yaml:1:9: system: expected "zookeeper" or "gossip"/],
    ];
    for (const [body, pattern] of cases) {
      const r = sim('run', scenario(dir, body), '--out', dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('usage errors exit 2 with one line; --help exits 0', () => {
    for (const args of [['run'], ['run', 'x.yaml', '--seeds', '5..1'], ['run', 'x.yaml', '--nope'], ['frobnicate'], ['replay', '/nonexistent']]) {
      const r = sim(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const help = sim('run', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--check-determinism');
  });

  it('a FIFO violation (explicit reorder fault) is a finding: exit 1 with the replay command', () => {
    const dir = scratch();
    const body = 'name: reorder\nsystem: gossip\ndurationMs: 200\nnodes: 3\nnetwork:\n  reorderPerMille: 300\n';
    const r = sim('run', scenario(dir, body), '--out', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/verdict\s+VIOLATION/);
    expect(r.out).toMatch(/\[gossip-fifo\/fifo\] FIFO broken/);
    expect(r.out).toContain('replay    npx sim run');
  });
});
