/**
 * Building {@link WorkloadCheck}s: a check collects violations and, when it could not decide
 * (the run ended before the recipe's audit, say), says why instead of guessing.
 */
import type { Violation } from '../../checker/verdict.ts';
import type { WorkloadCheck } from '../workload.ts';

/** One violation of a recipe property (the checker layer's one shape). */
export type { Violation } from '../../checker/verdict.ts';

/** A check's verdict from its violations: any violation is illegal; else unknown if undecided. */
export function checkResult(name: string, violations: Violation[], undecided?: string): WorkloadCheck {
  if (violations.length > 0) return { name, verdict: 'illegal', violations };
  if (undecided !== undefined) return { name, verdict: 'unknown', violations: [{ property: 'undecided', message: undecided }] };
  return { name, verdict: 'ok', violations: [] };
}

/** Time in µs as milliseconds with three decimals, for messages. */
export function ms(us: number): string {
  return `${(us / 1000).toFixed(3)} ms`;
}
