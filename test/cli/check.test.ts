/**
 * Goal: `sim check` as a user meets it: every history format (EDN, JSON Lines, the etcd log),
 * exit codes 0 (ok), 1 (violation, with its witness), 2 (bad input: one `file:line:col: message`
 * line, no stack trace) and 3 (unknown: out of time), the `--json` result shape, and the
 * ZooKeeper and ZAB checkers behind `--model zookeeper|zab`.
 * Method: most cases call the CLI's `main` in-process with stdout/stderr captured (a thrown
 * error would fail the test, which is how "no stack trace" is checked there); one test spawns
 * `bin/sim.mjs` to check that the process exit code is the one `main` returns.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string): string => join(root, 'test/checker/fixtures', name);
const etcd = (name: string): string => join(root, 'test/fixtures/etcd-jepsen', name);

/** Runs `sim ...args` in-process; returns the exit code and what was printed. */
async function sim(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const scratch = (name: string, body: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'zabsim-check-')), name);
  writeFileSync(file, body);
  return file;
};

/** The file's object of a `--json` output (the first of its lines; the last is the summary). */
const fileJson = (out: string) => JSON.parse(out.split('\n')[0]!);

/** The witness ops' original indexes, in index order (the listing puts definite ops first). */
const witnessIndexes = (out: string): number[] => [...out.matchAll(/^ {2}#(\d+) process/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);

describe('sim check: verdicts and exit codes in each format', () => {
  it('EDN: a linearizable register history exits 0', async () => {
    const r = await sim('check', fixture('register-ok.edn'), '--model', 'register');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^linearizable: ok — register model, 6 operations/);
    expect(r.out).not.toContain('witness');
  });

  it('EDN: a stale read exits 1 with the 3-op witness (original indexes) and why no order works', async () => {
    const r = await sim('check', fixture('register-stale-read.edn'), '--model', 'register');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^linearizable: illegal/);
    // write 1 (#0), write 2 (#3), and process 3's read of 1 (#8); the noise ops are shrunk away.
    expect(witnessIndexes(r.out)).toEqual([0, 3, 8]);
    expect(r.out).toMatch(/from the 6 of the illegal partition/);
    expect(r.out).toContain('op #3 (process 1: write 2) completed before op #8 (process 3: read -> 1) began');
    expect(r.out).toMatch(/the state is 2, so op #8 \(process 3: read -> 1\) is impossible next/);
  });

  it('JSON Lines: kv histories are checked per key; the illegal key is named', async () => {
    const ok = await sim('check', fixture('kv-ok.jsonl'), '--model', 'kv');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/2 partitions/);
    const bad = await sim('check', fixture('kv-lost-append.jsonl'), '--model', 'kv');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/illegal partition: "x" \(3 operations\)/);
    expect(witnessIndexes(bad.out)).toEqual([0, 4, 8]);
  });

  it('etcd log: the corpus verdicts come through the CLI (Porcupine semantics via --model etcd)', async () => {
    expect((await sim('check', etcd('etcd_002.log'), '--model', 'etcd')).code).toBe(0);
    const bad = await sim('check', etcd('etcd_000.log'), '--model', 'etcd');
    expect(bad.code).toBe(1);
    expect(witnessIndexes(bad.out).length).toBeGreaterThan(0);
    expect((await sim('check', etcd('etcd_095.log'), '--model', 'etcd')).code).toBe(0);
  });

  it('--format overrides the extension', async () => {
    const copy = scratch('history.txt', '{"type":"invoke","process":0,"f":"write","value":1,"time":0}\n{"type":"ok","process":0,"f":"write","value":1,"time":1}\n');
    expect((await sim('check', copy, '--model', 'register', '--format', 'jsonl')).code).toBe(0);
    expect((await sim('check', copy, '--model', 'register', '--format', 'etcd')).code).toBe(2);
  });

  it('--initial sets the register\'s starting value (as EDN)', async () => {
    const file = scratch('init.edn', '{:process 0, :type :invoke, :f :read, :value nil, :time 0}\n{:process 0, :type :ok, :f :read, :value 0, :time 1}\n');
    expect((await sim('check', file, '--model', 'register')).code).toBe(1);
    expect((await sim('check', file, '--model', 'register', '--initial', '0')).code).toBe(0);
  });

  it('exit 3 when the time limit runs out on a hard history, and says so', async () => {
    // etcd_002 needs over a million search steps; 1 ms cannot be enough.
    const r = await sim('check', etcd('etcd_002.log'), '--model', 'etcd', '--timeout-ms', '1');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^linearizable: unknown \(timeout\)/);
    expect(r.out).toContain('raise --timeout-ms');
  });
});

describe('sim check --json', () => {
  it('gives a stable shape for a violation, with the witness ops', async () => {
    const r = await sim('check', fixture('register-stale-read.edn'), '--model', 'register', '--json');
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const j = JSON.parse(lines[0]!);
    expect(j).toMatchObject({ file: fixture('register-stale-read.edn'), checker: 'linearizable', model: 'register', verdict: 'illegal', reason: null, operations: 6, partitions: 1, illegalPartition: { key: '*', operations: 6 } });
    expect(typeof j.elapsedMs).toBe('number');
    expect(j.checkMs).toBeGreaterThan(0);
    expect(j.checkMs).toBeLessThanOrEqual(j.elapsedMs);
    expect(JSON.parse(lines[1]!)).toMatchObject({ summary: true, files: 1, ok: 0, illegal: 1, unknown: 0, badInput: 0 });
    expect(j.witness.operations.map((o: { index: number }) => o.index)).toEqual([0, 3, 8]);
    // toMatchObject: the checker's report may gain fields.
    expect(j.witness.operations[2]).toMatchObject({ index: 8, completionIndex: 9, process: 3, f: 'read', value: null, output: 1, status: 'ok', call: 40, ret: 50 });
    expect(j.witness.explanation.length).toBeGreaterThan(2);
  });

  it('ok and unknown results have no witness; unknown names its reason', async () => {
    const ok = fileJson((await sim('check', fixture('register-ok.edn'), '--model', 'register', '--json')).out);
    expect(ok).toMatchObject({ verdict: 'ok', witness: null, illegalPartition: null });
    const unknown = fileJson((await sim('check', etcd('etcd_002.log'), '--model', 'etcd', '--timeout-ms', '1', '--json')).out);
    expect(unknown).toMatchObject({ verdict: 'unknown', reason: 'timeout', witness: null });
  });
});

describe('sim check: bad input is one line, file:line:col, exit 2', () => {
  const cases: [string, string, string[], RegExp][] = [
    ['h.edn', '[{:type :invoke, :f :read, :process 0}\n {:type :ok, :f :read, :process 0 :value [1 2}]', ['--model', 'register'], /h\.edn:2:46: expected '\]' to close the collection opened on line 2, got '}'/],
    ['h.edn', '{:type :invoke :f :read :process "zero"}', ['--model', 'register'], /h\.edn:1:34: expected :process to be an integer or nemesis; got "zero"/],
    ['h.jsonl', '{"type":"invoke","process":0,"f":"read"}\n{"type":"ok","process":0,"f":"read","value":}', ['--model', 'register'], /h\.jsonl:2:45: expected one JSON object per line/],
    ['h.log', 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:done\t:read\tnil', ['--model', 'etcd'], /h\.log:2:23: expected :invoke, :ok, :fail or :info, got :done/],
    // Structurally broken histories point at the op's record.
    ['h.jsonl', '{"type":"invoke","process":0,"f":"read"}\n  {"type":"invoke","process":0,"f":"read"}', ['--model', 'register'], /h\.jsonl:2:3: process 0 invokes read while its previous operation is still pending/],
    ['h.jsonl', '{"type":"invoke","process":0,"f":"get","value":null}\n{"type":"ok","process":0,"f":"get","value":3}', ['--model', 'kv'], /h\.jsonl:1:1: kv ops need a "key" field/],
    ['h.jsonl', '{"type":"invoke","process":0,"f":"frob","value":{"path":"/a"}}', ['--model', 'zookeeper'], /h\.jsonl:1:1: expected a ZooKeeper op/],
    ['t.jsonl', '{"kind":"apply","node":"n1","zxid":-4,"digest":"d"}', ['--model', 'zab'], /t\.jsonl:1:36: expected "zxid" \(a non-negative integer\) on an apply event; got -4/],
  ];
  for (const [name, body, flags, message] of cases) {
    it(`${name}: ${message.source.slice(name.length + 2, 60)}`, async () => {
      const file = scratch(name, body);
      const r = await sim('check', file, ...flags);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
      expect(r.err.startsWith(`sim: ${file}:`)).toBe(true);
    });
  }

  it('usage errors: unknown model, missing file, bad flags', async () => {
    for (const args of [
      [fixture('register-ok.edn'), '--model', 'paxos'],
      ['/nonexistent/history.edn', '--model', 'register'],
      [fixture('register-ok.edn'), '--model', 'register', '--timeout-ms', '-5'],
      [fixture('register-ok.edn'), '--model', 'register', '--format', 'yaml'],
      [fixture('register-ok.edn'), '--model', 'register', '--initial', '[1'],
      [fixture('register-ok.edn')],
    ]) {
      const r = await sim('check', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

describe('sim check: ZooKeeper guarantees and ZAB properties', () => {
  it('--model zookeeper names the broken guarantee', async () => {
    const rows = [
      { type: 'invoke', process: 0, f: 'create', value: { path: '/a', data: 'x' }, time: 0 },
      { type: 'ok', process: 0, f: 'create', value: '/a', time: 10, zxid: 1 },
      { type: 'invoke', process: 0, f: 'setData', value: { path: '/a', data: 'y', version: -1 }, time: 20 },
      { type: 'ok', process: 0, f: 'setData', value: { version: 1 }, time: 30, zxid: 2 },
      { type: 'invoke', process: 0, f: 'getData', value: { path: '/a' }, time: 40 },
      { type: 'ok', process: 0, f: 'getData', value: { data: 'x', version: 0 }, time: 50, zxid: 1 },
    ];
    const file = scratch('zk.jsonl', rows.map((o) => JSON.stringify(o)).join('\n'));
    const r = await sim('check', file, '--model', 'zookeeper');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ {2}read-your-writes: illegal$/m);
    expect(r.out).toMatch(/^ {2}linearizable-writes: ok$/m);
    const j = fileJson((await sim('check', file, '--model', 'zookeeper', '--json')).out);
    expect(j).toMatchObject({ checker: 'zookeeper', verdict: 'illegal', operations: 3, sessions: 1 });
    // The session's own setData (#2) and the read that missed it (#4).
    expect(j.guarantees['read-your-writes'].violations[0].ops).toEqual([2, 4]);
  });

  it('--model zab names the broken property and its events', async () => {
    const events = [
      { kind: 'establish', node: 'n1', epoch: 1 },
      { kind: 'propose', node: 'n1', epoch: 1, zxid: 4294967297, digest: 'a' },
      { kind: 'apply', node: 'n2', zxid: 4294967297, digest: 'a' },
    ];
    const file = scratch('trace.jsonl', events.map((o) => JSON.stringify(o)).join('\n'));
    const r = await sim('check', file, '--model', 'zab');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/uncommitted-discarded: 1 violation\n {4}events 1, 2: n2 applied 0x100000001, which was never committed/);
    const ok = scratch('ok.jsonl', [...events.slice(0, 2), { kind: 'commit', node: 'n1', zxid: 4294967297 }, events[2]].map((o) => JSON.stringify(o)).join('\n'));
    expect((await sim('check', ok, '--model', 'zab')).code).toBe(0);
  });
});

describe('bin/sim.mjs', () => {
  it('exits with the verdict code and prints no stack trace for bad input', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/sim.mjs'), 'check', ...args], { cwd: root, encoding: 'utf8' });
    expect(run(fixture('register-ok.edn'), '--model', 'register').status).toBe(0);
    expect(run(fixture('register-stale-read.edn'), '--model', 'register').status).toBe(1);
    const bad = run(scratch('x.edn', '{:type :invoke'), '--model', 'register');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/x\.edn:1:15: expected '}' to close the collection opened on line 1\n$/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(run(etcd('etcd_002.log'), '--model', 'etcd', '--timeout-ms', '1').status).toBe(3);
  });
});
