import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeTape, decodeTape } from '../sim/rng/tape.ts';
import { usToMs } from '../sim/clock/clock.ts';
import type { LoadedScenario } from '../scenario/kernelScenario.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import { executeRun, type RunSpec } from './execute.ts';
import { FileSink } from './fileSink.ts';
import type { ElectionRecord, SystemOutcome } from './system.ts';
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

/** One broken property, as reported in result.json. */
export interface Violation {
  property: string;
  message: string;
  witness?: unknown;
}

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

/**
 * Runs one seed of a scenario and writes its files into `<outRoot>/<scenario>/<seed>/`:
 * spec.json (what determines the run), trace.msgpack, tape.msgpack and result.json, each
 * through a temporary name and a rename.
 */
export async function runScenarioSeed(scn: LoadedScenario, seed: string, opts: RunScenarioOptions): Promise<RunResult> {
  const spec = scn.spec(seed);
  const outDir = join(opts.outRoot, scn.name, seed);
  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(join(outDir, 'spec.json'), JSON.stringify(spec, null, 2) + '\n');
  const t0 = opts.wallClockMs();
  let simulatedAt = t0;
  const run = await executeRun(spec, { traceLevel: 'full', sink: new FileSink(join(outDir, 'trace.msgpack')), onSimulated: () => (simulatedAt = opts.wallClockMs()) });
  const wallMs = opts.wallClockMs() - t0;
  const simWallMs = simulatedAt - t0;
  if (run.tape !== undefined) writeFileAtomic(join(outDir, 'tape.msgpack'), encodeTape(run.tape));
  const { checks, verdict } = verdictOf(run.outcome, spec);
  if (run.outcome.history !== undefined) {
    writeFileAtomic(join(outDir, 'history.jsonl'), writeJsonlHistory(run.outcome.history));
    writeFileAtomic(join(outDir, 'history.edn'), writeEdnHistory(run.outcome.history));
  }
  const simTimeMs = usToMs(run.simTimeUs);
  const ops = run.outcome.history?.filter((o) => o.type === 'invoke').length ?? 0;
  const result: RunResult = {
    scenario: scn.name,
    seed,
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
      ops,
      simTimeMs,
      wallMs: Math.round(wallMs),
      simWallMs: Math.round(simWallMs),
      checkWallMs: Math.round(wallMs - simWallMs),
      simRealRatio: simWallMs > 0 ? Math.round((simTimeMs / simWallMs) * 10) / 10 : 0,
      elections: run.outcome.elections ?? [],
    },
    files: ['spec.json', 'trace.msgpack', ...(run.tape !== undefined ? ['tape.msgpack'] : []), ...(run.outcome.history !== undefined ? ['history.jsonl', 'history.edn'] : [])],
    outDir,
    replay: `npx sim run ${opts.scenarioPath} --seed ${seed}`,
  };
  if (opts.renderReport !== undefined && run.outcome.report !== undefined) {
    writeFileAtomic(join(outDir, 'report.html'), opts.renderReport(result, run.outcome));
    result.report = join(outDir, 'report.html');
    result.files.push('report.html');
  }
  result.files.push('result.json');
  writeFileAtomic(join(outDir, 'result.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
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
