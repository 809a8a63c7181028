/**
 * The ZAB properties the checker verifies (after Junqueira, Reed and Serafini, "Zab:
 * High-performance broadcast for primary-backup systems", and ZooKeeper's TLA+ invariants).
 * Exact definitions are in docs/checkers.md ("ZAB property checker").
 */
import type { Verdict } from '../verdict.ts';

/** A named property. */
export type ZabProperty =
  | 'one-leader-per-epoch'
  | 'committed-survive'
  | 'uncommitted-discarded'
  | 'agreement'
  | 'total-order'
  | 'integrity'
  | 'local-primary-order'
  | 'global-primary-order'
  | 'primary-integrity';

/** All properties, in report order. */
export const ZAB_PROPERTIES: readonly ZabProperty[] = [
  'one-leader-per-epoch',
  'committed-survive',
  'uncommitted-discarded',
  'agreement',
  'total-order',
  'integrity',
  'local-primary-order',
  'global-primary-order',
  'primary-integrity',
];

/** One violation and the smallest set of trace events that shows it. */
export interface ZabViolation {
  property: ZabProperty;
  message: string;
  /** eventIndexes, ascending. */
  events: number[];
}

/** The ZAB checker's result. */
export interface ZabCheckResult {
  /** `illegal` if any property is violated; the checker never answers `unknown`. */
  verdict: Verdict;
  violations: ZabViolation[];
  /** Violations per property (0 for those that hold). */
  counts: Record<ZabProperty, number>;
  eventCount: number;
}
