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

/** A shrunk violation. */
export interface Witness {
  /** The operations of the witness, in invocation order, with their original history events. */
  operations: Operation[];
  /** True when every one-op-smaller subset was checked and found linearizable. */
  minimal: boolean;
  /** Size of the partition the shrinking started from. */
  startedFrom: number;
  /** Plain sentences explaining the violation. */
  explanation: string[];
}

/** Budget per re-check while shrinking; a re-check that runs out counts as "keep the op". */
const RECHECK_STEPS = 200_000;

/**
 * Shrinks the illegal partition of `result` (from `checkOperations`/`checkHistory` on `model`).
 * Returns `undefined` when the result is not illegal.
 */
export function minimalWitness<S, I>(model: Model<S, I>, result: LinearizabilityResult, budget: CheckBudget = {}): Witness | undefined {
  const start = result.illegal?.operations;
  if (result.verdict !== 'illegal' || start === undefined) return undefined;
  let current = [...start].sort((a, b) => a.id - b.id);
  let undecided = false;
  const stillIllegal = (ops: Operation[]): boolean => {
    const r = checkOperations(model, ops, { ...budget, maxSteps: Math.min(budget.maxSteps ?? Infinity, RECHECK_STEPS) });
    if (r.verdict === 'unknown') undecided = true;
    return r.verdict === 'illegal';
  };
  for (let chunk = Math.floor(current.length / 2); chunk > 1; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at < current.length; ) {
      const candidate = [...current.slice(0, at), ...current.slice(at + chunk)];
      if (candidate.length > 0 && stillIllegal(candidate)) current = candidate;
      else at += chunk;
      if (budget.timeUp?.()) return finish(model, current, false, start.length);
    }
  }
  // Single-op passes until a whole pass removes nothing: that is 1-minimality.
  for (let changed = true; changed; ) {
    changed = false;
    undecided = false;
    for (let at = 0; at < current.length; ) {
      const candidate = [...current.slice(0, at), ...current.slice(at + 1)];
      if (stillIllegal(candidate)) {
        current = candidate;
        changed = true;
      } else at++;
      if (budget.timeUp?.()) return finish(model, current, false, start.length);
    }
  }
  return finish(model, current, !undecided, start.length);
}

function finish<S, I>(model: Model<S, I>, ops: Operation[], minimal: boolean, startedFrom: number): Witness {
  return { operations: ops, minimal, startedFrom, explanation: explainWitness(model, ops, minimal) };
}
