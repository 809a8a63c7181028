/**
 * Minimal witnesses: shrink a non-linearizable history to a 1-minimal sub-history that is still not
 * linearizable (dropping any single operation makes it linearizable). Shrinking starts from the
 * illegal partition, which is usually far smaller than the history, removes chunks first
 * (delta debugging) and single operations last, and repeats until nothing can be dropped.
 * Operations keep their original history indexes so the witness points into the source.
 *
 * Linearizability is not closed under taking sub-histories (dropping a write can orphan a read),
 * so a single pass is not enough: the single-op pass repeats until it removes nothing.
 */
import type { Operation } from '../history/operations.ts';
import type { CheckBudget } from '../verdict.ts';
import { checkOperations, type LinearizabilityResult } from './check.ts';
import { explainWitness } from './explain.ts';
import type { Model } from './model.ts';

/**
 * How minimal a witness is. `strict`: dropping any one operation makes it linearizable.
 * `real-time`: dropping any one operation makes it linearizable or leaves an operation that no
 * order could ever explain (typically a read of a value only the dropped write wrote); the
 * witness still needs its real-time order to fail. `none`: shrinking stopped early (budget).
 */
export type Minimality = 'strict' | 'real-time' | 'none';

/** A shrunk violation. */
export interface Witness {
  /** The operations of the witness, in invocation order, with their original history events. */
  operations: Operation[];
  /** True when every one-op-smaller subset was checked and found linearizable. */
  minimal: boolean;
  /** The precise minimality reached; see {@link Minimality}. */
  minimality: Minimality;
  /** Size of the partition the shrinking started from. */
  startedFrom: number;
  /** Plain sentences explaining the violation. */
  explanation: string[];
}

/** Budget per re-check while shrinking; a re-check that runs out counts as "keep the op". */
const RECHECK_STEPS = 200_000;
/** Budget for the real-time-free check used to reject inexplicable candidates. */
const TIMELESS_STEPS = 20_000;

/** The same operations with every interval collapsed to one instant: real time no longer matters. */
function timeless(ops: readonly Operation[]): Operation[] {
  return ops.map((o) => ({ ...o, call: 0, ret: o.status === 'info' ? Infinity : 0 }));
}

/**
 * Shrinks the illegal partition of `result` (from `checkOperations`/`checkHistory` on `model`).
 * Returns `undefined` when the result is not illegal.
 *
 * Dropping a write can make a read inexplicable in any order, which yields "witnesses" such as a
 * lone read of a value nobody wrote. Those say nothing about the real violation, so when the
 * partition itself has some order that ignores real time (the usual case: a stale read), only
 * candidates that keep that property are accepted: the witness then shows a real-time violation.
 */
export function minimalWitness<S, I>(model: Model<S, I>, result: LinearizabilityResult, budget: CheckBudget = {}): Witness | undefined {
  const start = result.illegal?.operations;
  if (result.verdict !== 'illegal' || start === undefined) return undefined;
  const recheck = (ops: Operation[], steps = RECHECK_STEPS) => checkOperations(model, ops, { ...budget, maxSteps: Math.min(budget.maxSteps ?? Infinity, steps) }).verdict;
  // With every interval collapsed the search is fully concurrent and can explode; an undecided
  // answer just means "not provably inexplicable", which is all the filter needs.
  const orderable = (ops: Operation[]): boolean => recheck(timeless(ops), TIMELESS_STEPS) !== 'illegal';
  const realTimeOnly = orderable([...start]);
  let current = [...start].sort((a, b) => a.id - b.id);
  let undecided = false;
  const accept = (ops: Operation[]): boolean => {
    const v = recheck(ops);
    if (v === 'unknown') undecided = true;
    return v === 'illegal' && (!realTimeOnly || orderable(ops));
  };
  for (let chunk = Math.floor(current.length / 2); chunk > 1; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at < current.length; ) {
      const candidate = [...current.slice(0, at), ...current.slice(at + chunk)];
      if (candidate.length > 0 && accept(candidate)) current = candidate;
      else at += chunk;
      if (budget.timeUp?.()) return finish(model, current, 'none', start.length);
    }
  }
  // Single-op passes until a whole pass removes nothing: that is 1-minimality.
  let strict = true;
  for (let changed = true; changed; ) {
    changed = false;
    undecided = false;
    strict = true;
    for (let at = 0; at < current.length; ) {
      const candidate = [...current.slice(0, at), ...current.slice(at + 1)];
      if (accept(candidate)) {
        current = candidate;
        changed = true;
        continue;
      }
      if (recheck(candidate) !== 'ok') strict = false;
      at++;
      if (budget.timeUp?.()) return finish(model, current, 'none', start.length);
    }
  }
  return finish(model, current, undecided ? 'none' : strict ? 'strict' : 'real-time', start.length);
}

function finish<S, I>(model: Model<S, I>, ops: Operation[], minimality: Minimality, startedFrom: number): Witness {
  return { operations: ops, minimal: minimality === 'strict', minimality, startedFrom, explanation: explainWitness(model, ops, minimality) };
}
