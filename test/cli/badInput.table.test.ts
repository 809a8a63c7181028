/**
 * Every bad input gets exit 2 and one `sim:` line saying what was expected: no stack trace, no
 * hang, no file written outside the output folder and no half-written file (issue 19, item 7).
 *
 * Method: the cases are generated, not hand-written. A small valid ZooKeeper scenario is the
 * base; each numeric field is set to each of a list of bad values, each fault field to values
 * that hang or crash a run (huge times, sub-ms periods, huge counts), and raw YAML, flags, run
 * folders and history files cover the rest, including every case the issue measured. Each case
 * runs `bin/sim.mjs` in a fresh folder with a time limit (scenario files, the bulk, call the
 * CLI in-process once the loader has refused them: a start costs ~1 s); afterwards the folder
 * must hold only the case's own inputs. Two controls (the base scenario and the recorded run it is edited
 * from) must succeed, so a case cannot pass only because its base was already broken.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SIM = join(root, 'bin/sim.mjs');
/** Longer than any case needs (a tsx start on a loaded 2-core machine is a few seconds). */
const CASE_TIMEOUT_MS = 60_000;
const PARALLEL_CASES = 2;

interface Case {
  name: string;
  /** Arguments to `sim`, run in the case's folder. */
  args: string[];
  /** Input files to create in the case's folder (path → content), or a function that makes them. */
  files?: Record<string, string>;
  setup?: (dir: string) => void;
  code?: number;
  /** What the one stderr line must say. */
  says?: RegExp;
  /**
   * Run by calling the CLI's `main` in this process (fast), after the scenario loader alone has
   * been shown to refuse the file, so a regression fails the case instead of starting a run.
   */
  inProcess?: boolean;
}

interface Outcome {
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Files in the case's folder after the run that were not there before. */
  written: string[];
}

// ---- the base scenario and how cases are made from it ----

const base = {
  name: 'small',
  system: 'zookeeper',
  durationMs: 2000,
  cluster: { servers: 3 },
  clients: { count: 2 },
  workload: { kind: 'register' },
  faults: [{ do: 'crash', target: 'leader', atMs: 500, durationMs: 500 }],
};
type Path = (string | number)[];

function edited(path: Path, value: unknown, from: unknown = base): unknown {
  const copy = structuredClone(from) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

const scenarioCase = (name: string, scenario: unknown, says?: RegExp): Case => ({
  name,
  args: ['run', 'scn.yaml', '--out', 'out'],
  files: { 'scn.yaml': stringify(scenario) },
  says: says ?? /^sim: scn\.yaml:\d+:\d+: /,
  inProcess: true,
});
const rawScenarioCase = (name: string, text: string, says?: RegExp): Case => ({
  name,
  args: ['run', 'scn.yaml', '--out', 'out'],
  files: { 'scn.yaml': text },
  says: says ?? /^sim: scn\.yaml:\d+:\d+: /,
  inProcess: true,
});
const withFault = (fault: Record<string, unknown>) => ({ ...base, faults: [fault] });

/** Numeric fields of the base, each set to values that no field of it accepts. */
const NUMERIC_FIELDS: Path[] = [
  ['durationMs'],
  ['cluster', 'servers'],
  ['cluster', 'tickTimeMs'],
  ['cluster', 'initLimit'],
  ['cluster', 'syncLimit'],
  ['clients', 'count'],
  ['clients', 'sessionTimeoutMs'],
  ['clients', 'requestTimeoutMs'],
  ['workload', 'durationMs'],
  ['faults', 0, 'atMs'],
  ['faults', 0, 'durationMs'],
];
const BAD_NUMBERS: unknown[] = [1e300, 1e15, 1e12, -1, 'ten', null, [1], { a: 1 }];

function generatedScenarioCases(): Case[] {
  const cases: Case[] = [];
  for (const path of NUMERIC_FIELDS) {
    for (const value of BAD_NUMBERS) {
      const where = path.join('\\.');
      cases.push(scenarioCase(`${path.join('.')} = ${JSON.stringify(value)}`, edited(path, value), new RegExp(`^sim: scn\\.yaml:\\d+:\\d+: (unknown key .* in )?${where}`)));
    }
  }
  const periods = [0, 0.001, 0.0001, -1, 1e300];
  for (const everyMs of periods) cases.push(scenarioCase(`everyMs = ${everyMs}`, withFault({ do: 'heal', everyMs }), /faults\.0\.everyMs: expected/));
  for (const downMs of [0, 0.0001, 1e300, -5, [5, 1e300], [500, 100]]) {
    cases.push(scenarioCase(`crash-restart downMs = ${JSON.stringify(downMs)}`, withFault({ do: 'crash-restart', target: 'n1', atMs: 100, downMs }), /faults\.0\.downMs/));
  }
  for (const byMs of [1e300, -1e300, 1e12, 'x']) cases.push(scenarioCase(`clock-skew byMs = ${byMs}`, withFault({ do: 'clock-skew', target: 'leader', atMs: 100, byMs }), /faults\.0\.byMs/));
  for (const count of [1e9, -1, 2.5, [5, 1e9], [9, 3]]) {
    cases.push(scenarioCase(`swarm count = ${JSON.stringify(count)}`, { ...base, faults: [{ swarm: { untilMs: 1500, count } }] }, /faults\.0\.swarm\.count/));
  }
  for (const us of [1e300, -1, 1.5, 1e9]) {
    cases.push(scenarioCase(`latency us = ${us}`, edited(['cluster', 'latency'], { kind: 'constant', us }), /cluster\.latency\.us/));
  }
  cases.push(
    // A server restarted in the instant it crashed re-triggers its own crash on LOOKING forever.
    scenarioCase('crash-restart that re-triggers itself on LOOKING', withFault({ do: 'crash-restart', target: 'n1', downMs: 0, when: { phase: 'LOOKING', node: 'n1' }, times: 100000 }), /faults\.0\.downMs/),
    scenarioCase('do: partiton', withFault({ do: 'partiton', atMs: 5 }), /faults\.0\.do: unknown kind "partiton": expected one of partition, .*\(did you mean partition\?\)$/),
    scenarioCase('no do', withFault({ atMs: 5, target: 'n1' }), /faults\.0: expected one of the keys swarm, do$/),
    scenarioCase('target of the wrong type', withFault({ do: 'crash', target: 5, atMs: 1 }), /faults\.0\.target: expected string or array, got number 5$/),
    scenarioCase('misspelt condition key', withFault({ do: 'crash', target: 'n1', when: { snet: 'PROPOSAL' } }), /faults\.0\.when: expected one of the keys sent, phase, op, session, proto, got "snet" \(did you mean sent\?\)$/),
    scenarioCase('misspelt phase', withFault({ do: 'crash', target: 'n1', when: { phase: 'LOOKIN' } }), /did you mean LOOKING\?\)$/),
    scenarioCase('misspelt latency kind', withFault({ do: 'delay', latency: { kind: 'constnt', us: 5 }, atMs: 1 }), /did you mean constant\?\)$/),
    scenarioCase('misspelt message type', withFault({ do: 'crash', target: 'n1', when: { sent: 'PROPOSE' } }), /unknown message type "PROPOSE".*\(did you mean PROPOSAL\?\)$/),
    scenarioCase('misspelt target', withFault({ do: 'crash', target: 'leadr', atMs: 1 }), /unknown target "leadr".*\(did you mean leader\?\)$/),
    scenarioCase('misspelt workload', edited(['workload', 'kind'], 'regster'), /did you mean register\?\)$/),
    scenarioCase('misspelt system', edited(['system'], 'zookeper'), /did you mean zookeeper\?\)$/),
    scenarioCase('a fault that is a number', { ...base, faults: [5] }, /faults\.0: expected object, got number 5$/),
    scenarioCase('seed 0x10 in the file', edited(['seed'], '0x10'), /seed: expected a non-negative decimal integer/),
    scenarioCase('seed ../../x in the file', edited(['seed'], '../../x'), /seed: expected a non-negative decimal integer/),
    scenarioCase('name ..', edited(['name'], '..'), /name: expected a name that is not only dots/),
    scenarioCase('name with a slash', edited(['name'], 'a/b'), /name: expected a file-name-safe name/),
    scenarioCase('checks.maxSteps = 1e15', edited(['checks'], { maxSteps: 1e15 }), /checks\.maxSteps: expected at most/),
    scenarioCase('gossip durationMs = 1e12', { system: 'gossip', durationMs: 1e12, nodes: 3 }, /durationMs: expected at most/),
    scenarioCase('gossip intervalMs = 0.0001', { system: 'gossip', durationMs: 100, nodes: 3, gossip: { intervalMs: 0.0001 } }, /gossip\.intervalMs: expected a period/),
    scenarioCase('gossip action atMs = 1e300', { system: 'gossip', durationMs: 100, nodes: 3, actions: [{ atMs: 1e300, crash: 'n1' }] }, /actions\.0\.atMs: expected at most/),
    scenarioCase('gossip misspelt action', { system: 'gossip', durationMs: 100, nodes: 3, actions: [{ atMs: 1, crsh: 'n1' }] }, /actions\.0: expected one of the keys crash, .*\(did you mean crash\?\)$/),
  );
  return cases;
}

function rawYamlCases(): Case[] {
  const valid = stringify(base);
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
  return [
    rawScenarioCase('a YAML alias bomb', `${valid}${bomb}\n`, /YAML aliases expand too far/),
    rawScenarioCase('an unknown YAML tag', valid.replace('durationMs: 2000', 'durationMs: !millis 2000'), /:\d+:\d+: unknown YAML tag !millis/),
    rawScenarioCase('an unknown tag on a key', `!foo name: x\n${valid.replace(/^name: .*\n/, '')}`, /unknown YAML tag !foo/),
    rawScenarioCase('invalid YAML', 'system: zookeeper\n  durationMs: [\n', /invalid YAML/),
    rawScenarioCase('a duplicate key', `${valid}durationMs: 5\n`, /invalid YAML/),
    rawScenarioCase('an empty file', '', /expected a mapping at the top level/),
    rawScenarioCase('a list at the top level', '- 1\n- 2\n', /expected a mapping at the top level/),
    rawScenarioCase('binary junk', '\u0000\u0001\u0002\u00ff', /scn\.yaml:\d+:\d+: /),
    rawScenarioCase('a scalar', 'just words\n', /expected a mapping at the top level/),
  ];
}

function flagCases(): Case[] {
  const run = (name: string, extra: string[], says: RegExp, setup?: (dir: string) => void): Case => ({ name, args: ['run', 'scn.yaml', ...extra], files: { 'scn.yaml': stringify(base) }, says, ...(setup ? { setup } : {}) });
  const seedSays = /^sim: --seed: expected a non-negative decimal integer/;
  return [
    run("--seed ''", ['--seed', '', '--out', 'out'], seedSays),
    run('--seed ../../x', ['--seed', '../../x', '--out', 'out'], seedSays),
    run('--seed 0x10', ['--seed', '0x10', '--out', 'out'], seedSays),
    run('--seed with a newline', ['--seed', '1\n2', '--out', 'out'], seedSays),
    run('--seed -1', ['--seed', '-1', '--out', 'out'], /^sim: /),
    run('--seed 1.5', ['--seed', '1.5', '--out', 'out'], seedSays),
    run('--seed of 30 digits', ['--seed', '1'.repeat(30), '--out', 'out'], seedSays),
    run('--seed x/..', ['--seed', 'x/..', '--out', 'out'], seedSays),
    run('--seeds 5..1', ['--seeds', '5..1', '--out', 'out'], /^sim: --seeds 5\.\.1: the end is before the start/),
    run('--seeds a..b', ['--seeds', 'a..b', '--out', 'out'], /^sim: --seeds expects A\.\.B/),
    run('--seeds over the limit', ['--seeds', '0..99999999999999999999', '--out', 'out'], /^sim: --seeds/),
    run('--seed and --seeds', ['--seed', '1', '--seeds', '1..2', '--out', 'out'], /^sim: use either --seed or --seeds/),
    run("--out ''", ['--out', ''], /^sim: --out: expected a folder path/),
    run('--out at a file', ['--out', 'afile'], /^sim: --out afile: .*afile is not a folder$/, (d) => writeFileSync(join(d, 'afile'), 'x')),
    run('--out under a file', ['--out', 'afile/sub'], /^sim: --out afile\/sub: .*afile is not a folder$/, (d) => writeFileSync(join(d, 'afile'), 'x')),
    run('--out /sys', ['--out', '/sys'], /^sim: --out \/sys: \/sys is on a kernel file system/),
    run('--out /sys/kernel/x', ['--out', '/sys/kernel/x'], /kernel file system/),
    run('--out /dev/null', ['--out', '/dev/null'], /^sim: --out \/dev\/null: \/dev\/null is not a folder$/),
    run('--out /proc/self/fd/1', ['--out', '/proc/self/fd/1'], /^sim: --out \/proc\/self\/fd\/1: /),
    run('--out /proc/sys/vm', ['--out', '/proc/sys/vm'], /kernel file system/),
    run('--out /proc/self', ['--out', '/proc/self'], /kernel file system/),
    run('an unknown option', ['--sed', '1'], /^sim: unknown option '--sed' \(did you mean --seed\?\)$/),
    { name: 'an unknown command', args: ['rn', 'x.yaml'], says: /^sim: unknown command 'rn' \(did you mean run\?\)$/ },
    { name: 'a missing argument', args: ['run'], says: /^sim: missing required argument 'scenario'$/ },
    { name: 'an option without its value', args: ['run', 'x.yaml', '--seeds'], says: /^sim: option '--seeds <A\.\.B>' argument missing$/ },
    { name: 'a missing scenario file', args: ['run', 'nope.yaml'], says: /^sim: nope\.yaml: no such file or directory$/ },
    { name: 'a folder as the scenario', args: ['run', '.'], says: /^sim: \.: is a directory, expected a file$/ },
    { name: 'a missing history file', args: ['check', 'nope.edn', '--model', 'register'], says: /^sim: nope\.edn: no such file or directory$/ },
    { name: 'a missing conformance trace', args: ['conformance', 'nope.jsonl'], says: /^sim: nope\.jsonl: no such file or directory$/ },
    { name: 'a missing run folder', args: ['replay', 'nope'], says: /^sim: nope: no such file or directory$/ },
    { name: 'a device as the scenario', args: ['run', '/dev/zero'], says: /^sim: \/dev\/zero: not a regular file/ },
    { name: 'a device as a history', args: ['check', '/dev/zero', '--model', 'register'], says: /^sim: \/dev\/zero: not a regular file/ },
    { name: 'a device as a conformance trace', args: ['conformance', '/dev/zero'], says: /^sim: \/dev\/zero: not a regular file/ },
    { name: 'a scenario over 1 MiB', args: ['run', 'big.yaml'], files: { 'big.yaml': `# ${'x'.repeat(1 << 20)}\n` }, says: /^sim: big\.yaml: \d+ bytes, expected at most 1048576$/ },
  ];
}

function checkCases(): Case[] {
  const history = '[{:type :invoke, :f :write, :value 1, :process 0} {:type :ok, :f :write, :value 1, :process 0}]\n';
  const check = (name: string, args: string[], files: Record<string, string>, says: RegExp): Case => ({ name, args: ['check', ...args], files, says });
  return [
    check('--model constructor', ['h.edn', '--model', 'constructor'], { 'h.edn': history }, /^sim: --model expects one of/),
    check('--model __proto__', ['h.edn', '--model', '__proto__'], { 'h.edn': history }, /^sim: --model expects one of/),
    check('--model toString', ['h.edn', '--model', 'toString'], { 'h.edn': history }, /^sim: --model expects one of/),
    check('--model regster', ['h.edn', '--model', 'regster'], { 'h.edn': history }, /\(did you mean register\?\)$/),
    check('--format ed', ['h.edn', '--model', 'register', '--format', 'ed'], { 'h.edn': history }, /^sim: --format expects one of/),
    check('EDN nested 5,000 deep', ['deep.edn', '--model', 'register'], { 'deep.edn': `${'['.repeat(5000)}${']'.repeat(5000)}\n` }, /^sim: deep\.edn:\d+:\d+: /),
    check('a value nested 5,000 deep', ['deep.edn', '--model', 'register'], { 'deep.edn': `[{:type :invoke, :f :write, :value ${'['.repeat(5000)}${']'.repeat(5000)}, :process 0}]\n` }, /^sim: deep\.edn:\d+:\d+: /),
    check('--timeout-ms 0', ['h.edn', '--model', 'register', '--timeout-ms', '0'], { 'h.edn': history }, /^sim: --timeout-ms/),
    check('--jobs x', ['h.edn', '--model', 'register', '--jobs', 'x'], { 'h.edn': history }, /^sim: --jobs/),
  ];
}

function conformanceCases(): Case[] {
  const meta = '{"kind":"meta","server":"test","mode":"standalone","tickTime":2000}';
  const connect = '{"kind":"connect","session":"A","timeoutMs":10000,"result":{"ok":true,"timeoutMs":10000}}';
  return [1e15, 1e300, 3_600_001].map((ms) => ({
    name: `a conformance sleep of ${ms} ms`,
    args: ['conformance', 't.jsonl'],
    files: { 't.jsonl': [meta, connect, `{"kind":"sleep","ms":${ms}}`].join('\n') + '\n' },
    says: /^sim: t\.jsonl:3:\d+: /,
  }));
}

/** The recorded run every replay case edits (made in beforeAll). */
let recordedRun = '';

function replayCases(): Case[] {
  const replay = (name: string, edit: (run: string) => void, says: RegExp): Case => ({
    name,
    args: ['replay', 'run'],
    setup: (dir) => {
      cpSync(recordedRun, join(dir, 'run'), { recursive: true });
      edit(join(dir, 'run'));
    },
    says,
  });
  const editJson = (file: string, change: (text: string) => string) => (run: string) => writeFileSync(join(run, file), change(readFileSync(join(run, file), 'utf8')));
  return [
    replay('result.json is {}', (r) => writeFileSync(join(r, 'result.json'), '{}'), /^sim: run\/result\.json:1:1: traceHash: /),
    replay('result.json is not JSON', (r) => writeFileSync(join(r, 'result.json'), '{'), /^sim: run\/result\.json:\d+:\d+: invalid YAML/),
    replay('spec.json with a huge duration', editJson('spec.json', (t) => t.replace(/\n  "durationUs": \d+/, '\n  "durationUs": 1000000000000000')), /^sim: run\/spec\.json:\d+:\d+: durationUs: expected at most/),
    replay('spec.json with a huge server count', editJson('spec.json', (t) => t.replace(/"servers": \d+/, '"servers": 100000')), /params\.cluster\.servers: expected at most 15/),
    replay('spec.json with a huge tick', editJson('spec.json', (t) => t.replace(/"tickTimeMs": \d+/, '"tickTimeMs": 1e15')), /params\.cluster\.tickTimeMs/),
    replay('spec.json with a huge fault time', editJson('spec.json', (t) => t.replace(/"durationUs": 500000/, '"durationUs": 1e300')), /params\.faults\.0\.durationUs/),
    replay('spec.json with a path as its seed', editJson('spec.json', (t) => t.replace(/"seed": "\d+"/, '"seed": "../../x"')), /seed: expected a seed/),
    replay('spec.json naming a module to import', editJson('spec.json', (t) => t.replace(/"builtin": "zab"/, '"module": "/tmp/x.js", "export": "x"')), /system: expected \{"builtin"/),
    replay('spec.json with an unknown workload', editJson('spec.json', (t) => t.replace(/"kind": "register"/, '"kind": "nope"')), /params\.workload\.kind: expected one of register/),
    replay('spec.json is empty', (r) => writeFileSync(join(r, 'spec.json'), ''), /^sim: run\/spec\.json:1:1: system: expected/),
    replay('tape.msgpack is junk', (r) => writeFileSync(join(r, 'tape.msgpack'), 'junk'), /^sim: run\/tape\.msgpack: not a choice tape/),
    replay('tape.msgpack is empty', (r) => writeFileSync(join(r, 'tape.msgpack'), ''), /^sim: run\/tape\.msgpack: not a choice tape/),
    replay('tape.msgpack is missing', (r) => rmSync(join(r, 'tape.msgpack')), /^sim: run: missing tape\.msgpack/),
  ];
}

// ---- running a case ----

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function caseDir(c: Case): string {
  const dir = mkdtempSync(join(tmpdir(), 'zabsim-bad-input-'));
  for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), text);
  c.setup?.(dir);
  return dir;
}

/** Calls `main` in this process, in the case's folder, capturing what it prints. */
async function runInProcess(c: Case): Promise<Outcome> {
  const dir = caseDir(c);
  const before = new Set(filesUnder(dir));
  const { loadScenarioFile } = await import('../../src/scenario/loadScenario.ts');
  try {
    loadScenarioFile(join(dir, 'scn.yaml'));
    return { code: null, timedOut: false, stdout: '', stderr: 'the scenario loader accepted this file', written: [] };
  } catch {
    // Refused, as it should be: the CLI can be asked without risk of starting a run.
  }
  const { main } = await import('../../src/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const writes = [vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true)), vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))];
  const cwd = process.cwd();
  process.chdir(dir);
  let code: number;
  try {
    code = await main(c.args);
  } finally {
    process.chdir(cwd);
    for (const w of writes) w.mockRestore();
  }
  return { code, timedOut: false, stdout, stderr, written: filesUnder(dir).filter((f) => !before.has(f)) };
}

/** Spawns `bin/sim.mjs` in the case's folder, killed if it outlives CASE_TIMEOUT_MS. */
function runCase(c: Case): Promise<Outcome> {
  const dir = caseDir(c);
  const before = new Set(filesUnder(dir));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SIM, ...c.args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CASE_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, stdout, stderr, written: filesUnder(dir).filter((f) => !before.has(f)) });
    });
  });
}

async function runAll(cases: Case[]): Promise<Map<string, Outcome>> {
  const results = new Map<string, Outcome>();
  // In-process cases one at a time (they share the working folder and stdout), then the rest.
  for (const c of cases.filter((c) => c.inProcess)) results.set(c.name, await runInProcess(c));
  const spawned = cases.filter((c) => !c.inProcess);
  let next = 0;
  const worker = async () => {
    while (next < spawned.length) {
      const c = spawned[next++]!;
      results.set(c.name, await runCase(c));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_CASES }, worker));
  return results;
}

// ---- the table ----

const CASES: Case[] = [...generatedScenarioCases(), ...rawYamlCases(), ...flagCases(), ...checkCases(), ...conformanceCases(), ...replayCases()];
let outcomes = new Map<string, Outcome>();

describe('bad input: exit 2, one sim: line, no stack, no hang, nothing written', () => {
  beforeAll(async () => {
    // The controls: the base scenario runs, and its run folder replays.
    const templateDir = mkdtempSync(join(tmpdir(), 'zabsim-bad-input-base-'));
    mkdirSync(join(templateDir, 'out'));
    const control = await runCase({ name: 'control', args: ['run', join(templateDir, 'scn.yaml'), '--seed', '7', '--out', join(templateDir, 'out')], setup: () => writeFileSync(join(templateDir, 'scn.yaml'), stringify(base)) });
    expect(control.stderr).toBe('');
    expect(control.code).toBe(0);
    // The folder follows the file (scn.yaml), not its name:.
    recordedRun = join(templateDir, 'out', 'scn', '7');
    const replayed = await runCase({ name: 'control replay', args: ['replay', recordedRun] });
    expect(replayed.code, replayed.stderr).toBe(0);
    outcomes = await runAll(CASES);
  }, CASES.length * CASE_TIMEOUT_MS);

  it('generates every case with a distinct name', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThan(150);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const o = outcomes.get(c.name)!;
    expect(o.timedOut, 'hung').toBe(false);
    const lines = o.stderr.trimEnd().split('\n');
    expect(lines, o.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^sim: /);
    if (c.says !== undefined) expect(lines[0]).toMatch(c.says);
    expect(o.stderr).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
    expect(o.stdout).toBe('');
    expect(o.code).toBe(c.code ?? 2);
    // Bad input writes nothing at all: no output folder, no half-written file, nothing outside.
    expect(o.written).toEqual([]);
  });
});
