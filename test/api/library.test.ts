/**
 * Goal: zabsim works as a library, as a researcher uses it: load a scenario (file or YAML text),
 * run seeds in memory (same seed, same run; nothing written), write a run and replay it, check a
 * history with each model's semantics; and the package as `npm pack` ships it installs into a
 * fresh folder where the README's script (examples/elections.mjs) and `sim --version` run.
 * Method: the API in this process for the first part; `npm pack` and `npm install` into
 * a scratch folder for the second (--prefer-offline: the npm cache holds most dependencies after
 * `npm ci`; the registry serves the rest).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readHistory } from '../../src/checker/formats/index.ts';
import { checkHistory, InputError, loadScenario, RecordedRunError, replay, runScenario, writeRun } from '../../src/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const flagship = join(root, 'scenarios/leader-crash-before-commit.yaml');
const fixture = (name: string) => {
  const file = join(root, 'test/checker/fixtures', name);
  return readHistory(file, readFileSync(file, 'utf8')).ops;
};

describe('the library API', () => {
  it('runs a scenario in memory: a verdict, elections and hashes, the same for the same seed, no files', async () => {
    const scenario = loadScenario(flagship);
    const before = existsSync(join(root, 'reports', scenario.name)) ? readdirSync(join(root, 'reports', scenario.name)).length : 0;
    const a = await runScenario(scenario, { seed: 2 });
    const b = await runScenario(scenario, { seed: '02' }); // the CLI's rule: leading zeros name the same run
    expect(a.verdict).toBe('ok');
    expect(a.stats.elections.length).toBeGreaterThanOrEqual(2);
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.historyHash).toBe(b.historyHash);
    expect(a.history!.length).toBeGreaterThan(0);
    expect(a.trace).toBeUndefined();
    expect(existsSync(join(root, 'reports', scenario.name)) ? readdirSync(join(root, 'reports', scenario.name)).length : 0).toBe(before);
  });

  it('loads YAML text too, and refuses a bad seed or bad YAML with a located InputError', async () => {
    const text = readFileSync(flagship, 'utf8');
    expect(loadScenario(text, 'inline').defaultSeed).toBe(loadScenario(flagship).defaultSeed);
    await expect(runScenario(loadScenario(flagship), { seed: '../x' })).rejects.toBeInstanceOf(InputError);
    expect(() => loadScenario('system: zookeeper\nservers: [\n', 'bad')).toThrow(InputError);
  });

  it('writes a run that replays identically, with the trace kept in memory', async () => {
    const run = await runScenario(loadScenario(flagship), { seed: 3, trace: 'memory' });
    expect(run.trace!.length).toBeGreaterThan(1000);
    const dir = mkdtempSync(join(tmpdir(), 'zabsim-api-'));
    const result = writeRun(run, dir, { report: false });
    expect(result.files).toEqual(['spec.json', 'trace.msgpack', 'tape.msgpack', 'history.jsonl', 'history.edn', 'result.json']);
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).traceHash).toBe(run.traceHash);
    expect((await replay(dir)).matches).toBe(true);
    // A run that kept only its trace hash does not claim the trace another run left in the folder.
    const hashOnly = writeRun(await runScenario(loadScenario(flagship), { seed: 4 }), dir, { report: false });
    expect(hashOnly.files).not.toContain('trace.msgpack');
    // A folder that is not a recorded run is refused by name, as `sim replay` refuses it.
    expect(() => replay(join(dir, 'nope'))).toThrow(RecordedRunError);
  });

  it('checks histories with each model’s semantics and returns a witness for a violation', () => {
    expect(checkHistory(fixture('cas-register-nil-read.edn'), { model: 'cas-register', initial: 0 }).verdict).toBe('ok');
    const stale = checkHistory(fixture('register-stale-read.edn'), { model: 'register' });
    expect(stale.verdict).toBe('illegal');
    expect(stale.witness!.minimal).toBe(true);
    expect(checkHistory(fixture('register-stale-read.edn'), { model: 'register', witness: false }).witness).toBeUndefined();
    expect(checkHistory(fixture('multi-register-initial.edn'), { model: 'multi-register', initial: { x: 0, y: 0 } }).verdict).toBe('illegal');
    expect(() => checkHistory([], { model: 'nope' })).toThrow(InputError);
  });
});

describe('the packed package', () => {
  it('installs from `npm pack` and runs the README script and `sim --version`', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'zabsim-pack-'));
    const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
    const app = join(scratch, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(scratch, packed)], { cwd: app, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    const script = readFileSync(join(root, 'examples/elections.mjs'), 'utf8');
    // The README shows the script verbatim, so what it shows is what this test runs.
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(script.trim());
    writeFileSync(join(app, 'elections.mjs'), script);
    const out = execFileSync(process.execPath, ['elections.mjs', 'node_modules/zabsim/scenarios/leader-crash-before-commit.yaml', '3'], { cwd: app, encoding: 'utf8' });
    expect(out).toMatch(/^3 seeds, 0 with a violation, [1-9]\d* elections after a crash\nelection ms: min \d+, median \d+, p90 \d+, max \d+\n$/);
    const version = spawnSync(process.execPath, ['node_modules/zabsim/bin/sim.mjs', '--version'], { cwd: app, encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  }, 180_000);
});
