/**
 * The three answers every checker gives. `unknown` is an honest "ran out of budget or could not
 * decide": a checker prefers it to a guess, so `ok` and `illegal` are always proofs.
 */
export type Verdict = 'ok' | 'illegal' | 'unknown';

/**
 * One broken property and what shows it: the shape every check of a run reports (the ZAB and
 * ZooKeeper checkers, the recipes' checks, the in-flight fate) and result.json records.
 */
export interface Violation {
  /** The property's name, e.g. `committed-survive` or `mutual-exclusion`. */
  property: string;
  /** What went wrong, in one sentence. */
  message: string;
  /** Evidence: trace event numbers, history indexes, ops (shape per check). */
  witness?: unknown;
}

/** Why a checker answered `unknown`, so a report can say which budget to raise. */
export type UnknownReason = 'timeout' | 'steps' | 'memory' | 'undecidable-input';

/**
 * Budget shared by the checkers. Nothing here reads a clock: the caller injects `timeUp`
 * (the CLI builds it from the wall clock, tests from a fake clock), which keeps `src/` deterministic.
 */
export interface CheckBudget {
  /** Polled every few thousand search steps; once it returns true the check answers `unknown`. */
  timeUp?: () => boolean;
  /** Total search steps across all partitions before answering `unknown` (default: unlimited). */
  maxSteps?: number;
  /** Cap on the memo cache, in bytes (estimated); exceeding it answers `unknown`. Default 512 MiB. */
  maxCacheBytes?: number;
}

/** Combines verdicts of independent sub-checks: any `illegal` wins, then any `unknown`. */
export function combineVerdicts(verdicts: Iterable<Verdict>): Verdict {
  let result: Verdict = 'ok';
  for (const v of verdicts) {
    if (v === 'illegal') return 'illegal';
    if (v === 'unknown') result = 'unknown';
  }
  return result;
}
