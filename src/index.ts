/**
 * zabsim as a library: what `sim run`, `sim check` and `sim replay` do, callable from code and
 * returning data instead of printing. A researcher can load a scenario once, run many seeds in
 * memory, and collect figures (election times, verdicts, histories) without touching the disk:
 *
 *   import { loadScenario, runScenario } from 'zabsim';
 *   const scenario = loadScenario('scenarios/leader-crash-before-commit.yaml');
 *   const run = await runScenario(scenario, { seed: 7 });
 *   console.log(run.verdict, run.stats.elections);
 *
 * Like the CLI, this module is a shell: it is the one place (with src/cli/) allowed to read the
 * wall clock, and only for timing figures and check time limits, never for what a run does.
 */
import { existsSync } from 'node:fs';
import { checkHistory as checkOperations, createModel, minimalWitness, MODEL_NAMES, type LinearizabilityResult, type Witness } from './checker/linearizability/index.ts';
import type { HistoryOp } from './checker/history/op.ts';
import type { Verdict as CheckVerdict } from './checker/verdict.ts';
import type { LoadedScenario } from './scenario/kernelScenario.ts';
import { loadScenarioFile, parseScenario } from './scenario/loadScenario.ts';
import { parseSeed, seedExpectation } from './scenario/runFolder.ts';
import { checkRecordedRun, RecordedRunError } from './scenario/recordedRun.ts';
import { InputError } from './scenario/yamlSource.ts';
import { renderReport } from './report/index.ts';
import { replayRunDir, simulateScenario, writeRun as writeRunFiles, type ReplayResult, type RunResult, type ScenarioRun } from './run/runScenario.ts';

export type { HistoryOp, LinearizabilityResult, ReplayResult, RunResult, ScenarioRun, Witness };
export type { RunStats, Verdict, Violation } from './run/runScenario.ts';
export type { ElectionRecord } from './run/system.ts';
export { InputError, MODEL_NAMES, RecordedRunError };

/** A validated scenario: its name, its default seed, and the run it describes for each seed. */
export type Scenario = LoadedScenario;

/**
 * Loads a scenario from a YAML file, or from YAML text when `pathOrYaml` is not an existing file
 * and spans several lines. Throws {@link InputError} (with `file:line:col`) for invalid input.
 */
export function loadScenario(pathOrYaml: string, name = 'scenario'): Scenario {
  if (existsSync(pathOrYaml) || !pathOrYaml.includes('\n')) return loadScenarioFile(pathOrYaml);
  return parseScenario(pathOrYaml, '<yaml>', name);
}

/** Options for {@link runScenario}. */
export interface RunOptions {
  /** The seed: a non-negative decimal integer, as `sim run --seed` takes it (default: the scenario's own). */
  seed?: number | string;
  /** `memory` keeps the whole trace in `run.trace` (msgpack); `hash` (default) only hashes it. */
  trace?: 'memory' | 'hash';
}

/**
 * Runs one seed of a scenario in memory and returns its verdict, checks, faults, stats (with the
 * elections), history and hashes. Writes nothing; see {@link writeRun}. The same seed gives the
 * same run, byte for byte, in any process.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const text = options.seed === undefined ? scenario.defaultSeed : String(options.seed);
  // The CLI's rule, so `016` here is the run `sim run --seed 16` makes.
  const seed = parseSeed(text);
  if (seed === undefined) throw new InputError('<options>', 1, 1, `seed: ${seedExpectation(text)}`);
  const wallClockMs = (): number => performance.now(); // determinism-ok: only times the run (stats.wallMs), never steers it
  return simulateScenario(scenario, seed, { trace: options.trace ?? 'hash', wallClockMs });
}

/**
 * Writes a run's files (spec.json, trace.msgpack when the run kept its trace, tape.msgpack,
 * history.jsonl/.edn, report.html, result.json) into `dir`, as `sim run` does, and returns
 * result.json's content. `sim replay dir` then re-runs it from the tape.
 */
export function writeRun(run: ScenarioRun, dir: string, options: { scenarioPath?: string; report?: boolean } = {}): RunResult {
  return writeRunFiles(run, dir, { ...(options.scenarioPath ? { scenarioPath: options.scenarioPath } : {}), ...(options.report === false ? {} : { renderReport }) });
}

/**
 * Re-runs a run directory from its tape and says whether the trace is identical. Throws
 * {@link RecordedRunError} (naming the file) when the folder is not a good recorded run.
 */
export function replay(dir: string): Promise<ReplayResult> {
  checkRecordedRun(dir);
  return replayRunDir(dir);
}

/** Options for {@link checkHistory}. */
export interface CheckOptions {
  /** A linearizability model: register, cas-register, etcd, mutex, multi-register, kv or znode. */
  model: string;
  /** The initial value (a register's, every key's, or multi-register's map of key to value). */
  initial?: unknown;
  /** Past this the verdict is `unknown` (default: no limit). */
  timeoutMs?: number;
  /** Shrink a violation to a witness (default true). */
  witness?: boolean;
}

/** A linearizability verdict, with its witness when the history is not linearizable. */
export interface CheckHistoryResult {
  verdict: CheckVerdict;
  result: LinearizabilityResult;
  witness: Witness | undefined;
}

/**
 * Checks a history (Jepsen's flat list of invoke/ok/fail/info ops) for linearizability under one
 * of the models `sim check` knows, with each model's source semantics (docs/checkers.md).
 */
export function checkHistory(history: readonly HistoryOp[], options: CheckOptions): CheckHistoryResult {
  const model = createModel(options.model, { initial: options.initial });
  if (model === undefined) throw new InputError('<options>', 1, 1, `model: expected one of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(options.model)}`);
  const start = performance.now(); // determinism-ok: a time limit can only turn a verdict into unknown
  const budget = options.timeoutMs === undefined ? {} : { timeUp: () => performance.now() - start > options.timeoutMs! }; // determinism-ok: same limit
  const result = checkOperations(model, history, budget);
  const witness = result.verdict === 'illegal' && options.witness !== false ? minimalWitness(model, result, budget) : undefined;
  return { verdict: result.verdict, result, witness };
}
