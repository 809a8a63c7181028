import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { encodeTape, decodeTape, type Tape } from '../sim/rng/tape.ts';
import { MemorySink, type TraceSink } from '../sim/trace/trace.ts';
import type { HistoryOp } from '../checker/history/op.ts';
import { usToMs } from '../sim/clock/clock.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import { executeRun, type LoadedScenario, type RunSpec } from './execute.ts';
import { FileSink } from './fileSink.ts';
import type { ElectionRecord, SystemOutcome } from './system.ts';
import type { Violation } from '../checker/verdict.ts';
import { writeEdnHistory, writeJsonlHistory } from '../checker/formats/index.ts';

/** A run's figures: the fixed ones, the elections, and whatever counts the system reports. */
export interface RunStats {
  events: number;
  firedEvents: number;
  ops: number;
  simTimeMs: number;
  /** Wall time of the whole run: simulation, then checks. */
  wallMs: number;
  /** Wall time of the simulation alone, and of the checks after it. */
  simWallMs: number;
  checkWallMs: number;
  /** Virtual time per unit of simulation wall time. */
  simRealRatio: number;
  elections: ElectionRecord[];
  [figure: string]: number | ElectionRecord[];
}

/** A numeric figure of a run's stats (0 when absent). */
export function figure(stats: RunStats, name: string): number {
  const v = stats[name];
  return typeof v === 'number' ? v : 0;
}

/** Verdict of a whole run or of one check. */
export type Verdict = 'ok' | 'violation' | 'unknown';

/** One broken property, as reported in result.json (the checker layer's one shape). */
export type { Violation } from '../checker/verdict.ts';

/** The machine-readable outcome of one run (result.json). */
export interface RunResult {
  scenario: string;
  seed: string;
  verdict: Verdict;
  ok: boolean;
  historyHash: string;
  traceHash: string;
  checks: Record<string, { verdict: Verdict; violations: Violation[]; note?: string }>;
  faults: unknown[];
  /** The HTML report's path, when one was written. */
  report?: string;
  stats: RunStats;
  /** The files written into outDir. */
  files: string[];
  /** Directory holding this run's files, relative to where the command ran. */
  outDir: string;
  replay: string;
}

/** Options for one scenario run; the wall clock comes from the caller (the CLI). */
export interface RunScenarioOptions {
  scenarioPath: string;
  outRoot: string;
  wallClockMs: () => number;
  /** Renders report.html from the result and the system's outcome (absent: no report). */
  renderReport?: (result: RunResult, outcome: SystemOutcome) => string;
}

/** The run's checks and verdict: a system's named checks, or its plain violations as one check. */
function verdictOf(outcome: SystemOutcome, spec: RunSpec): { checks: RunResult['checks']; verdict: Verdict } {
  let checks: RunResult['checks'];
  if (outcome.checks !== undefined) {
    checks = {};
    for (const [name, c] of Object.entries(outcome.checks)) checks[name] = { verdict: c.verdict === 'illegal' ? 'violation' : c.verdict, violations: c.violations, ...(c.note !== undefined ? { note: c.note } : {}) };
  } else {
    const violations: Violation[] = outcome.violations.map((message) => ({ property: 'fifo', message }));
    checks = { ['builtin' in spec.system ? `${spec.system.builtin}-fifo` : 'system']: { verdict: violations.length > 0 ? 'violation' : 'ok', violations } };
  }
  const all = Object.values(checks).map((c) => c.verdict);
  const verdict: Verdict = all.includes('violation') ? 'violation' : all.includes('unknown') ? 'unknown' : 'ok';
  return { checks, verdict };
}

/** A run held in memory: everything result.json says, plus what the run produced. */
export interface ScenarioRun {
  scenario: string;
  seed: string;
  /** What determines the run (spec.json). */
  spec: RunSpec;
  verdict: Verdict;
  ok: boolean;
  historyHash: string;
  traceHash: string;
  checks: RunResult['checks'];
  faults: unknown[];
  stats: RunStats;
  /** The client history (Jepsen's ops), for systems that have clients. */
  history: readonly HistoryOp[] | undefined;
  /** The whole trace (msgpack), when the run was asked to keep it in memory. */
  trace: Uint8Array | undefined;
  /** Every choice the run drew, for replay. */
  tape: Tape | undefined;
  /** The system's own outcome (what the HTML report draws). */
  outcome: SystemOutcome;
}

/** How to run a scenario seed (nothing here changes what happens in the run). */
export interface SimulateOptions {
  /**
   * `memory`: keep the whole trace in {@link ScenarioRun.trace}; `hash`: only its hash (the
   * fastest); or a sink to stream it to (the CLI streams into trace.msgpack). Default `hash`.
   */
  trace?: 'memory' | 'hash' | TraceSink;
  /** The wall clock, for the timing figures in stats (default: none, they read 0). */
  wallClockMs?: () => number;
}

/** Runs one seed of a scenario in memory: no file is read or written. */
export async function simulateScenario(scn: LoadedScenario, seed: string, opts: SimulateOptions = {}): Promise<ScenarioRun> {
  const spec = scn.spec(seed);
  const clock = opts.wallClockMs ?? (() => 0);
  const memory = opts.trace === 'memory' ? new MemorySink() : undefined;
  const sink = memory ?? (typeof opts.trace === 'object' ? opts.trace : undefined);
  const t0 = clock();
  let simulatedAt = t0;
  const run = await executeRun(spec, { traceLevel: sink === undefined ? 'hash' : 'full', ...(sink ? { sink } : {}), onSimulated: () => (simulatedAt = clock()) });
  const wallMs = clock() - t0;
  const simWallMs = simulatedAt - t0;
  const { checks, verdict } = verdictOf(run.outcome, spec);
  const simTimeMs = usToMs(run.simTimeUs);
  const history = run.outcome.history;
  return {
    scenario: scn.name,
    seed,
    spec,
    verdict,
    ok: verdict === 'ok',
    historyHash: run.historyHash,
    traceHash: run.traceHash,
    checks,
    faults: run.outcome.faults ?? [],
    stats: {
      ...run.outcome.stats,
      events: run.events,
      firedEvents: run.firedEvents,
      ops: history?.filter((o) => o.type === 'invoke').length ?? 0,
      simTimeMs,
      wallMs: Math.round(wallMs),
      simWallMs: Math.round(simWallMs),
      checkWallMs: Math.round(wallMs - simWallMs),
      simRealRatio: simWallMs > 0 ? Math.round((simTimeMs / simWallMs) * 10) / 10 : 0,
      elections: run.outcome.elections ?? [],
    },
    history,
    trace: memory?.bytes(),
    tape: run.tape,
    outcome: run.outcome,
  };
}

/** Options for {@link writeRun}. */
export interface WriteRunOptions {
  /** The scenario file, for the replay command in result.json. */
  scenarioPath?: string;
  /** Renders report.html from the result and the system's outcome (absent: no report). */
  renderReport?: (result: RunResult, outcome: SystemOutcome) => string;
  /** The run streamed its trace into `<outDir>/trace.msgpack` already (runScenarioSeed does). */
  traceStreamed?: boolean;
}

/**
 * Writes a run's files into `outDir`: spec.json, trace.msgpack (when the run kept its trace, or
 * streamed it there), tape.msgpack, history.jsonl and history.edn, report.html and result.json,
 * each through a temporary name and a rename. Returns result.json's content.
 */
export function writeRun(run: ScenarioRun, outDir: string, opts: WriteRunOptions = {}): RunResult {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, data: string | Uint8Array): void => {
    writeFileAtomic(join(outDir, name), data);
    files.push(name);
  };
  write('spec.json', JSON.stringify(run.spec, null, 2) + '\n');
  if (run.trace !== undefined) write('trace.msgpack', run.trace);
  else if (opts.traceStreamed === true) files.push('trace.msgpack');
  if (run.tape !== undefined) write('tape.msgpack', encodeTape(run.tape));
  if (run.history !== undefined) {
    write('history.jsonl', writeJsonlHistory(run.history));
    write('history.edn', writeEdnHistory(run.history));
  }
  const result: RunResult = {
    scenario: run.scenario,
    seed: run.seed,
    verdict: run.verdict,
    ok: run.ok,
    historyHash: run.historyHash,
    traceHash: run.traceHash,
    checks: run.checks,
    faults: run.faults,
    stats: run.stats,
    files,
    outDir,
    replay: `npx sim run ${opts.scenarioPath ?? `<${run.scenario}.yaml>`} --seed ${run.seed}`,
  };
  if (opts.renderReport !== undefined && run.outcome.report !== undefined) {
    writeFileAtomic(join(outDir, 'report.html'), opts.renderReport(result, run.outcome));
    result.report = join(outDir, 'report.html');
    files.push('report.html');
  }
  files.push('result.json');
  writeFileAtomic(join(outDir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

/**
 * Runs one seed of a scenario and writes its files into `<outRoot>/<folder>/<seed>/` (see
 * {@link writeRun}); the trace streams straight into trace.msgpack. The folder is named after
 * the scenario file, not its `name:`, so an edited copy of a shipped scenario never writes into
 * the original's folder. A run that throws leaves no half-written trace behind.
 */
export async function runScenarioSeed(scn: LoadedScenario, seed: string, opts: RunScenarioOptions): Promise<RunResult> {
  const folder = opts.scenarioPath === '' ? scn.name : basename(opts.scenarioPath, extname(opts.scenarioPath));
  const outDir = join(opts.outRoot, folder, seed);
  mkdirSync(outDir, { recursive: true });
  const sink = new FileSink(join(outDir, 'trace.msgpack'));
  let run: ScenarioRun;
  try {
    run = await simulateScenario(scn, seed, { trace: sink, wallClockMs: opts.wallClockMs });
  } catch (err) {
    sink.discard();
    // The seed folder was made for this run; leave nothing when it failed (rmdir keeps a non-empty one).
    try {
      rmdirSync(outDir);
    } catch {
      // not empty (an earlier run's files) or already gone
    }
    throw err;
  }
  return writeRun(run, outDir, { scenarioPath: opts.scenarioPath, traceStreamed: true, ...(opts.renderReport ? { renderReport: opts.renderReport } : {}) });
}

/** What a replay found. */
export interface ReplayResult {
  matches: boolean;
  recordedTraceHash: string;
  replayedTraceHash: string;
  events: number;
}

/**
 * Re-runs a recorded run from its directory (spec.json + tape.msgpack) with every choice read
 * from the tape, and compares the trace hash with the one in result.json.
 */
export async function replayRunDir(dir: string): Promise<ReplayResult> {
  const spec = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')) as RunSpec;
  const tape = decodeTape(readFileSync(join(dir, 'tape.msgpack')));
  const recorded = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
  const run = await executeRun(spec, { traceLevel: 'hash', replay: tape, record: false });
  return { matches: run.traceHash === recorded.traceHash, recordedTraceHash: recorded.traceHash, replayedTraceHash: run.traceHash, events: run.events };
}
