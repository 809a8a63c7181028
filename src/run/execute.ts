import { Simulation } from '../sim/simulation.ts';
import type { Tape } from '../sim/rng/tape.ts';
import type { TraceLevel, TraceSink } from '../sim/trace/trace.ts';
import type { SystemOutcome, SystemRef } from './system.ts';
import { loadSystem } from './systems/registry.ts';

/**
 * Everything that determines a run. Two runs of equal specs (and equal tapes, when replaying)
 * produce byte-identical traces, in any process. Plain JSON, so it can cross to a child process.
 */
export interface RunSpec {
  system: SystemRef;
  params: unknown;
  seed: string;
  durationUs: number;
  /** Safety bound on fired events, so a livelock cannot hang a run. */
  maxEvents?: number;
}

/**
 * A validated scenario as the run layer sees it: a name, a default seed, and the spec of the run
 * for each seed. The scenario layer (src/scenario/) builds these from YAML.
 */
export interface LoadedScenario {
  name: string;
  defaultSeed: string;
  spec(seed: string): RunSpec;
}

/** How to observe a run (none of this changes what happens in it). */
export interface RunObservers {
  traceLevel?: TraceLevel;
  sink?: TraceSink;
  record?: boolean;
  replay?: Tape;
  /** Called when the simulation has run and before the system's checks (for timing). */
  onSimulated?: () => void;
}

/** What a run produced. */
export interface RunOutcome {
  traceHash: string;
  historyHash: string;
  events: number;
  firedEvents: number;
  simTimeUs: number;
  stop: string;
  outcome: SystemOutcome;
  tape: Tape | undefined;
}

/** Runs a spec to its end and returns its hashes, its system's outcome and its tape. */
export async function executeRun(spec: RunSpec, obs: RunObservers = {}): Promise<RunOutcome> {
  const system = await loadSystem(spec.system);
  const sim = new Simulation({
    seed: spec.seed,
    trace: { level: obs.traceLevel ?? 'hash', ...(obs.sink ? { sink: obs.sink } : {}) },
    record: obs.record ?? true,
    ...(obs.replay ? { replay: obs.replay } : {}),
  });
  const handle = system.setup(sim, spec.params);
  const stop = sim.runUntil(spec.durationUs, spec.maxEvents);
  obs.onSimulated?.();
  const outcome = handle.finish();
  const done = sim.finish();
  return { ...done, firedEvents: sim.sched.firedCount, stop, outcome, tape: sim.choices.tape() };
}
