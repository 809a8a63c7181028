import type { HistoryOp } from '../checker/history/op.ts';
import type { Verdict, Violation } from '../checker/verdict.ts';
import type { Simulation } from '../sim/simulation.ts';

/** One broken property, with what shows it (the checker layer's one shape). */
export type CheckViolation = Violation;

/** One checker's answer for a run. */
export interface CheckOutcome {
  verdict: Verdict;
  violations: CheckViolation[];
  /** What the check covered or why it could not decide, in one line. */
  note?: string;
}

/** An election as the run saw it: when the old leader was lost and when the new one served. */
export interface ElectionRecord {
  epoch: number;
  leader: string;
  startedAtMs: number;
  servingAtMs: number;
}

/** What a system reports when its run ends. */
export interface SystemOutcome {
  /** Anything found wrong, in plain sentences (systems without named checks). */
  violations: string[];
  /** Free-form figures for the summary (counts, rates). */
  stats: Record<string, number>;
  /** Named checks with their verdicts; when present they decide the run's verdict. */
  checks?: Record<string, CheckOutcome>;
  /** Faults as they fired (or did not). */
  faults?: unknown[];
  elections?: ElectionRecord[];
  /** The client history, for history.jsonl / history.edn. */
  history?: readonly HistoryOp[];
  /** Everything the HTML report needs, when the system can render one. */
  report?: unknown;
}

/**
 * Something the kernel can run: it adds processes to a simulation and schedules what it needs.
 * `setup` must be deterministic given the simulation (its seed) and the params.
 */
export interface SystemDefinition {
  readonly name: string;
  setup(sim: Simulation, params: unknown): { finish(): SystemOutcome };
}

/** Which system a run uses: a built-in one by name, or one exported by a module (tests). */
export type SystemRef = { builtin: string } | { module: string; export: string };
