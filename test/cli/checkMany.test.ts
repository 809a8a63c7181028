/**
 * Goal: `sim check` over many files and directories as a user runs it: the files found (sorted,
 * dot-files and other extensions skipped), one JSON line per file in input order plus a summary,
 * the text listing, the exit code of the worst verdict (1 illegal > 2 bad input > 3 unknown > 0),
 * a malformed file that does not stop the others, `--jobs` that changes nothing but timings, and
 * bad input of every kind answered with exit 2 and one `sim: …` line, never a stack trace.
 * Method: the real bin/sim.mjs is spawned (it runs dist/ when fresh, else the sources through
 * tsx, as a user's would), except where noted; histories are written to scratch directories.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { HISTORY_FORMATS } from '../../src/checker/formats/index.ts';
import { MODEL_NAMES } from '../../src/checker/linearizability/index.ts';
import { main } from '../../src/cli/main.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string): string => join(root, 'test/checker/fixtures', name);
const etcd = (name: string): string => join(root, 'test/fixtures/etcd-jepsen', name);

const sim = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin/sim.mjs'), 'check', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** `sim check` in this process (vitest runs the TypeScript sources, so workers go through tsx). */
async function simInProcess(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await main(['check', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const jsonLines = (out: string): Record<string, unknown>[] =>
  out
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Output with every timing replaced, so runs can be compared. */
const untimed = (out: string): string => out.replace(/"(elapsedMs|checkMs|witnessMs)":[\d.]+/g, '"$1":0').replace(/[\d.]+ ms/g, 'N ms');

const noStackTrace = (err: string): void => {
  expect(err).not.toMatch(/\n\s+at /);
  expect(err).not.toMatch(/Error:/);
};

const BAD_EDN = '{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0, :type :ok :f :write :value [1 2}\n';
const TXT_KV = (got: string): string =>
  [
    '{:process 0, :type :invoke, :f :put, :key "0", :value "x"}',
    '{:process 0, :type :ok, :f :put, :key "0", :value "x"}',
    '{:process 1, :type :invoke, :f :append, :key "0", :value "y"}',
    '{:process 1, :type :ok, :f :append, :key "0", :value "y"}',
    '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
    `{:process 1, :type :ok, :f :get, :key "0", :value "${got}"}`,
    '',
  ].join('\n');

/**
 * A directory of register histories: ok, illegal, malformed, one in a subfolder as `.txt`, and
 * files that must be skipped (a dot-file, a dot-folder, another extension).
 */
function registerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zabsim-many-'));
  copyFileSync(fixture('register-ok.edn'), join(dir, 'a-ok.edn'));
  copyFileSync(fixture('register-stale-read.edn'), join(dir, 'b-stale.edn'));
  writeFileSync(join(dir, 'c-bad.edn'), BAD_EDN);
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'd-ok.txt'), '{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0, :type :ok, :f :write, :value 1}\n');
  writeFileSync(join(dir, '.e-hidden.edn'), BAD_EDN);
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'f.edn'), BAD_EDN);
  writeFileSync(join(dir, 'notes.md'), 'not a history\n');
  return dir;
}

describe('sim check over a directory', () => {
  it('--json: one line per history file in path order, a bad file among them, then the summary; exit 1', () => {
    const dir = registerDir();
    const r = sim(dir, '--model', 'register', '--json');
    expect(r.code).toBe(1);
    const rows = jsonLines(r.out);
    expect(rows.map((j) => j.file)).toEqual([...['a-ok.edn', 'b-stale.edn', 'c-bad.edn', 'sub/d-ok.txt'].map((f) => join(dir, f)), undefined]);
    expect(rows.map((j) => j.verdict)).toEqual(['ok', 'illegal', 'bad-input', 'ok', undefined]);
    for (const j of rows.slice(0, 4)) expect(typeof j.elapsedMs).toBe('number');
    expect(rows[0]).toMatchObject({ checker: 'linearizable', model: 'register', operations: 6, witness: null });
    expect(rows[0]!.checkMs as number).toBeLessThanOrEqual(rows[0]!.elapsedMs as number);
    expect((rows[1]!.witness as { operations: unknown[] }).operations.length).toBe(3);
    expect(rows[2]).toEqual({ file: join(dir, 'c-bad.edn'), verdict: 'bad-input', elapsedMs: rows[2]!.elapsedMs, checkMs: null, witnessMs: null, error: `${join(dir, 'c-bad.edn')}:2:45: expected ']' to close the collection opened on line 2, got '}'` });
    expect(rows[4]).toMatchObject({ summary: true, files: 4, ok: 2, illegal: 1, unknown: 0, badInput: 1 });
    // The malformed file's message, once, on stderr.
    expect(r.err).toBe(`sim: ${join(dir, 'c-bad.edn')}:2:45: expected ']' to close the collection opened on line 2, got '}'\n`);
  });

  it('text: a line per file, the witness indented under the illegal one, then a summary', () => {
    const dir = registerDir();
    const r = sim(dir, '--model', 'register');
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${join(dir, 'a-ok.edn')}: ok — register model, 6 operations, .*, [\\d.]+ ms$`));
    expect(lines[1]).toMatch(new RegExp(`^${join(dir, 'b-stale.edn')}: illegal — register model, 6 operations, .*, [\\d.]+ ms$`));
    const indented = lines.slice(2, lines.findIndex((l) => l.startsWith(join(dir, 'c-bad.edn'))));
    expect(indented.length).toBeGreaterThan(3);
    for (const l of indented) expect(l.startsWith('  ')).toBe(true);
    expect(indented.join('\n')).toMatch(/^ {2}witness: 3 operations/m);
    expect(lines.slice(-3)).toEqual([`${join(dir, 'c-bad.edn')}: bad input`, expect.stringMatching(new RegExp(`^${join(dir, 'sub/d-ok.txt')}: ok — `)), expect.stringMatching(/^4 files: 2 ok, 1 illegal, 0 unknown, 1 bad input; [\d.]+ ms \(search [\d.]+ ms\)$/)]);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('files and directories mix, in argument order; a single file keeps the one-report output', () => {
    const dir = registerDir();
    const r = sim(fixture('register-stale-read.edn'), join(dir, 'sub'), fixture('register-ok.edn'), '--model', 'register', '--json');
    expect(jsonLines(r.out).map((j) => j.file)).toEqual([fixture('register-stale-read.edn'), join(dir, 'sub/d-ok.txt'), fixture('register-ok.edn'), undefined]);
    const one = sim(fixture('register-ok.edn'), '--model', 'register');
    expect(one.out).toMatch(/^linearizable: ok — register model, 6 operations, [^\n]*\n$/);
  });

  it("Porcupine's kv .txt files (one EDN map per line) are read as EDN", () => {
    const dir = mkdtempSync(join(tmpdir(), 'zabsim-kv-'));
    writeFileSync(join(dir, 'c01-ok.txt'), TXT_KV('xy'));
    writeFileSync(join(dir, 'c01-bad.txt'), TXT_KV('yx'));
    const r = sim(dir, '--model', 'kv', '--json');
    expect(r.err).toBe('');
    expect(jsonLines(r.out).map((j) => [j.file, j.verdict])).toEqual([
      [join(dir, 'c01-bad.txt'), 'illegal'],
      [join(dir, 'c01-ok.txt'), 'ok'],
      [undefined, undefined],
    ]);
    expect(r.code).toBe(1);
  });
});

describe('sim check: the exit code is the worst verdict, in the order illegal, bad input, unknown, ok', () => {
  // etcd_002 needs over a million search steps, so 1 ms leaves it unknown; the tiny histories
  // are decided long before the clock is first read.
  const tiny = (name: string, read: number): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'zabsim-exit-')), name);
    const ops = ['{:process 0, :type :invoke, :f :write, :value 1}', '{:process 0, :type :ok, :f :write, :value 1}', '{:process 0, :type :invoke, :f :read, :value nil}', `{:process 0, :type :ok, :f :read, :value ${read}}`];
    writeFileSync(file, `${ops.join('\n')}\n`);
    return file;
  };
  const ok = (): string => tiny('ok.edn', 1);
  const illegal = (): string => tiny('illegal.edn', 2);
  const unknown = (): string => etcd('etcd_002.log');
  const bad = (): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'zabsim-exit-')), 'bad.log');
    writeFileSync(file, 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:done\t:read\tnil\n');
    return file;
  };
  const cases: [string, () => string[], number, Record<string, number>][] = [
    ['ok only → 0', () => [ok(), ok()], 0, { ok: 2, illegal: 0, unknown: 0, badInput: 0 }],
    ['ok + unknown → 3', () => [ok(), unknown()], 3, { ok: 1, illegal: 0, unknown: 1, badInput: 0 }],
    ['unknown + bad input → 2', () => [unknown(), bad(), ok()], 2, { ok: 1, illegal: 0, unknown: 1, badInput: 1 }],
    ['bad input + unknown + illegal → 1', () => [bad(), unknown(), illegal()], 1, { ok: 0, illegal: 1, unknown: 1, badInput: 1 }],
  ];
  for (const [name, files, code, counts] of cases) {
    it(name, async () => {
      const r = await simInProcess(...files(), '--model', 'etcd', '--json', '--timeout-ms', '1');
      expect(jsonLines(r.out).at(-1)).toMatchObject(counts);
      expect(r.code).toBe(code);
    });
  }
});

describe('sim check --jobs', () => {
  it('--jobs 2 prints what --jobs 1 prints, timings aside, in input order (the real bin)', () => {
    const dir = registerDir();
    for (const f of ['etcd_000.log', 'etcd_001.log', 'etcd_101.log']) copyFileSync(etcd(f), join(dir, f));
    const args = [dir, etcd('etcd_102.log'), '--model', 'etcd'];
    for (const format of [['--json'], []]) {
      const one = sim(...args, ...format, '--jobs', '1');
      const two = sim(...args, ...format, '--jobs', '2');
      expect(untimed(two.out)).toBe(untimed(one.out));
      expect(two.err).toBe(one.err);
      expect(two.code).toBe(one.code);
    }
    // Register histories under the etcd model are bad input; the etcd logs are judged.
    const rows = jsonLines(sim(...args, '--json', '--jobs', '3').out);
    expect(rows.map((j) => j.verdict)).toEqual(['ok', 'illegal', 'bad-input', 'illegal', 'illegal', 'ok', 'ok', 'ok', undefined]);
  });

  it('workers also run from the TypeScript sources (in-process, as vitest runs the CLI)', async () => {
    const dir = registerDir();
    const one = await simInProcess(dir, '--model', 'register', '--json');
    const two = await simInProcess(dir, '--model', 'register', '--json', '--jobs', '2');
    expect(untimed(two.out)).toBe(untimed(one.out));
    expect(two.code).toBe(1);
  });
});

describe('sim check: bad input is exit 2 and one line, never a stack trace', () => {
  const history = fixture('register-ok.edn');
  const cases: [string, () => string[], RegExp][] = [
    ['--model constructor', () => [history, '--model', 'constructor'], /^sim: --model expects one of register, .*, got constructor\n$/],
    ['--model __proto__', () => [history, '--model', '__proto__'], /^sim: --model expects one of register, .*, got __proto__\n$/],
    ['--model toString', () => [history, '--model', 'toString'], /^sim: --model expects one of .*, got toString\n$/],
    [
      'EDN nested 5,000 deep',
      () => {
        const file = join(mkdtempSync(join(tmpdir(), 'zabsim-deep-')), 'deep.edn');
        writeFileSync(file, `{:process 0, :type :invoke, :f :write, :value ${'['.repeat(5000)}${']'.repeat(5000)}}\n`);
        return [file, '--model', 'register'];
      },
      /^sim: \/.*deep\.edn:1:1046: expected at most 1000 nested forms, found deeper nesting here\n$/,
    ],
    [
      'JSON nested 100,000 deep',
      () => {
        const file = join(mkdtempSync(join(tmpdir(), 'zabsim-deep-')), 'deep.jsonl');
        writeFileSync(file, `{"process":0,"type":"invoke","f":"write","value":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);
        return [file, '--model', 'register'];
      },
      /^sim: \/.*deep\.jsonl:1:50: expected a :value nested at most 1000 levels deep\n$/,
    ],
    ['a path that does not exist', () => ['/nonexistent/histories', '--model', 'register'], /^sim: \/nonexistent\/histories: no such file or directory\n$/],
    [
      'a directory with no history files',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'zabsim-empty-'));
        writeFileSync(join(dir, 'README.md'), 'nothing\n');
        writeFileSync(join(dir, '.hidden.edn'), '{}\n');
        return [dir, '--model', 'register'];
      },
      /^sim: \/.*: no history files \(\.edn \.jsonl \.ndjson \.json \.log \.txt\) in this directory\n$/,
    ],
    ['--jobs 0', () => [history, '--model', 'register', '--jobs', '0'], /^sim: --jobs expects a positive integer, got 0\n$/],
    ['--jobs abc', () => [history, '--model', 'register', '--jobs', 'abc'], /^sim: --jobs expects a positive integer, got abc\n$/],
    ['--jobs 1.5', () => [history, '--model', 'register', '--jobs', '1.5'], /^sim: --jobs expects a positive integer, got 1.5\n$/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = sim(...args());
      expect(r.err).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      noStackTrace(r.err);
    });
  }

  it('an EDN key named __proto__ stays a plain field and does not become the prototype', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zabsim-proto-')), 'proto.edn');
    writeFileSync(file, '{:process 0, :type :invoke, :f :write, :value 1, :__proto__ {:f :read}}\n{:process 0, :type :ok, :f :write, :value 1}\n');
    const r = await simInProcess(file, '--model', 'register');
    expect(r.code).toBe(0);
  });
});

describe('sim check: a reader that goes away', () => {
  it('stdout closed after the first line ends the run quietly (the real bin)', async () => {
    const child = spawn(process.execPath, [join(root, 'bin/sim.mjs'), 'check', join(root, 'test/fixtures/etcd-jepsen'), '--model', 'etcd', '--json'], { cwd: root });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    noStackTrace(err);
    expect(err).not.toMatch(/EPIPE/);
    expect(code).toBe(0);
  });
});

describe('sim check --help', () => {
  it('names every model and format the checker knows', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin/sim.mjs'), 'check', '--help'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    for (const name of [...MODEL_NAMES, 'zookeeper', 'zab', ...HISTORY_FORMATS]) expect(help).toContain(name);
    expect(help).toContain('--jobs');
  });
});

describe('witness on or off', () => {
  it('times the witness apart from the search, and --no-witness skips it but keeps the verdict', async () => {
    const file = fixture('register-stale-read.edn');
    const withWitness = jsonLines((await simInProcess(file, '--model', 'register', '--json')).out)[0]!;
    expect(withWitness.verdict).toBe('illegal');
    expect(typeof withWitness.witnessMs).toBe('number');
    expect((withWitness.witness as { operations: unknown[] }).operations.length).toBeGreaterThan(0);
    const without = await simInProcess(file, '--model', 'register', '--json', '--no-witness');
    expect(without.code).toBe(1);
    const line = jsonLines(without.out)[0]!;
    expect(line.verdict).toBe('illegal');
    expect(line.witness).toBeNull();
    expect(line.witnessMs).toBeNull();
  });
});
