/**
 * Witnesses that are evidence. A witness is the illegal partition with constraints taken away,
 * only in ways that can never turn a linearizable history into a non-linearizable one. So if the
 * witness has no linearization, neither has the history; and putting back anything that was taken
 * away keeps it non-linearizable. The reductions, each sound on its own:
 *
 * - **cut**: keep the history up to time T. Operations invoked after T go; operations in flight
 *   at T become optional. (Take any linearization and stop it before the first operation invoked
 *   after T: every operation that completed by T is placed before that point by real-time order.)
 * - **drop a read-only operation**: one that never changes the state (Model.readOnly). Removing it
 *   from a valid order leaves a valid order.
 * - **relax**: an operation may also not have happened, and may take effect any time after its
 *   call. Every order valid before is still valid.
 * - **component**: keep one key-independent part that is illegal on its own (P-compositionality).
 * - **drop an optional operation the model proves irrelevant** (Model.dropsWhenOptional).
 *
 * Dropping a write is never among them: it can orphan a read and manufacture a violation. The
 * shrinking is greedy (cut by bisection, then drops and relaxations chunk by chunk, then one by
 * one) and stops at a fixpoint, where no single further reduction keeps the witness illegal.
 */
import type { Operation } from '../history/operations.ts';
import type { CheckBudget } from '../verdict.ts';
import { checkItems, type CheckItem, type LinearizabilityResult } from './check.ts';
import { explainWitness, type Minimality, type WitnessOp } from './explain.ts';
import type { Model } from './model.ts';
import { partitionInputs } from './partition.ts';

export type { Minimality, WitnessOp } from './explain.ts';

/** A sound, shrunk violation. */
export interface Witness {
  /** The operations of the witness, in invocation order, with their original history events. */
  operations: Operation[];
  /** The same, with how the witness treats each. */
  items: WitnessOp[];
  /** True when {@link minimality} is `minimal`. */
  minimal: boolean;
  minimality: Minimality;
  /** Size of the illegal partition the shrinking started from. */
  startedFrom: number;
  /** Search steps the shrinking spent re-checking candidates. */
  steps: number;
  /** What the reductions did: the cut's time, operations dropped, and relaxed ones left in. */
  reductions: { cutAfter: number | null; droppedReads: number; relaxed: number; droppedOptional: number; otherComponents: number };
  /** Plain sentences explaining the violation. */
  explanation: string[];
}

/**
 * Search steps allowed to one re-check while shrinking (running out counts as "keep the op"):
 * at least this many, and a few times what the full check needed, since proving a smaller
 * candidate illegal can take as long as proving the whole partition.
 */
const RECHECK_STEPS = 100_000;
const RECHECK_PER_CHECK_STEP = 4;
/**
 * Search steps allowed to the whole shrinking, in proportion to what proving the partition
 * illegal took; past it the witness is returned as it stands (still sound, marked `partial`).
 * Relaxing appends can make re-checks exponential, so an unbounded shrink could take far longer
 * than the check it explains.
 */
const TOTAL_STEPS = 2_000_000;
const TOTAL_PER_CHECK_STEP = 20;

interface Item<I> extends CheckItem<I> {
  relaxed: boolean;
}

/**
 * Shrinks the illegal partition of `result` (from checkOperations/checkHistory on `model`) to a
 * witness. Returns `undefined` when the result is not illegal.
 */
export function minimalWitness<S, I>(model: Model<S, I>, result: LinearizabilityResult, budget: CheckBudget = {}): Witness | undefined {
  const start = result.illegal?.items as CheckItem<I>[] | undefined;
  if (result.verdict !== 'illegal' || start === undefined) return undefined;
  const checkSteps = result.illegal?.steps ?? 0;
  const shrinker = new Shrinker(model, budget, Math.max(RECHECK_STEPS, RECHECK_PER_CHECK_STEP * checkSteps), Math.max(TOTAL_STEPS, TOTAL_PER_CHECK_STEP * checkSteps));
  let current: Item<I>[] = [...start].sort((a, b) => a.op.id - b.op.id).map((it) => ({ ...it, relaxed: false }));
  const counts = { cutAfter: null as number | null, droppedReads: 0, relaxed: 0, droppedOptional: 0, otherComponents: 0 };
  // Illegality survives every reduction, so a reduction that failed once fails on any smaller
  // witness too: one pass of each is a fixpoint, except after a component or optional-op drop,
  // which add constraints back (a dropped optional op can no longer be chosen to happen).
  for (let again = true; again && !shrinker.outOfBudget(); ) {
    current = shrinker.cut(current, counts);
    current = shrinker.dropReads(current, counts);
    current = shrinker.relax(current);
    const before = current.length;
    current = shrinker.component(current, counts);
    current = shrinker.dropOptional(current, counts);
    again = current.length !== before;
  }
  // Relaxed by the cut or by the relax step alike: what the witness finally lets not happen.
  counts.relaxed = current.filter((it) => it.relaxed).length;
  const minimality: Minimality = shrinker.outOfBudget() || shrinker.undecided ? 'partial' : 'minimal';
  const items: WitnessOp[] = current.map((it) => ({ op: it.op, relaxed: it.relaxed, optional: it.optional }));
  return {
    operations: current.map((it) => it.op),
    items,
    minimal: minimality === 'minimal',
    minimality,
    startedFrom: start.length,
    steps: shrinker.stepsUsed,
    reductions: counts,
    explanation: explainWitness(model, items, minimality),
  };
}

/** The reductions, each keeping only candidates the search proves illegal. */
class Shrinker<S, I> {
  /** A re-check ran out of budget, so some reduction was not tried to the end. */
  undecided = false;
  private stepsLeft: number;

  constructor(
    private readonly model: Model<S, I>,
    private readonly budget: CheckBudget,
    private readonly recheckSteps: number,
    private readonly totalSteps: number,
  ) {
    this.stepsLeft = totalSteps;
  }

  get stepsUsed(): number {
    return this.totalSteps - this.stepsLeft;
  }

  outOfBudget(): boolean {
    return this.stepsLeft <= 0 || this.budget.timeUp?.() === true;
  }

  /** True when `items` is proven non-linearizable. */
  private illegal(items: readonly Item<I>[]): boolean {
    if (items.length === 0 || this.outOfBudget()) return false;
    const maxSteps = Math.min(this.recheckSteps, this.stepsLeft, this.budget.maxSteps ?? Infinity);
    const r = checkItems(this.model, items, { ...this.budget, maxSteps });
    this.stepsLeft -= r.steps;
    return r.verdict === 'illegal';
  }

  /** The history cut at time `t` (see the module comment). */
  private cutAt(items: readonly Item<I>[], t: number): Item<I>[] {
    const out: Item<I>[] = [];
    for (const it of items) {
      if (it.op.call > t) continue;
      if (!it.optional && it.op.ret > t) out.push({ ...it, optional: true, relaxed: true });
      else out.push(it);
    }
    return out;
  }

  /** The earliest cut that is still illegal; cuts are monotone in T, so bisection finds it. */
  cut(items: Item<I>[], counts: Witness['reductions']): Item<I>[] {
    const times = [...new Set(items.filter((it) => !it.optional).map((it) => it.op.ret))].sort((a, b) => a - b);
    let lo = 0;
    let hi = times.length - 1;
    let best = items;
    let bestTime: number | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const candidate = this.cutAt(items, times[mid]!);
      // A cut that changes nothing is the witness itself, known to be illegal.
      const same = candidate.length === items.length && candidate.every((c, i) => c === items[i]);
      if (same || this.illegal(candidate)) {
        if (!same) {
          best = candidate;
          bestTime = times[mid]!;
        }
        hi = mid - 1;
      } else lo = mid + 1;
    }
    if (bestTime !== null) counts.cutAfter = bestTime;
    return best;
  }

  /** One illegal key-independent component, when the witness has fallen apart into several. */
  component(items: Item<I>[], counts: Witness['reductions']): Item<I>[] {
    const parts = partitionInputs(
      this.model,
      items.map((it) => it.input),
    );
    if (parts.length < 2) return items;
    parts.sort((a, b) => a.members.length - b.members.length);
    for (const p of parts) {
      const candidate = p.members.map((i) => items[i]!);
      if (this.illegal(candidate)) {
        counts.otherComponents += items.length - candidate.length;
        return candidate;
      }
    }
    return items;
  }

  /** Drops read-only operations the violation does not need: chunks first, then one at a time. */
  dropReads(items: Item<I>[], counts: Witness['reductions']): Item<I>[] {
    const readOnly = this.model.readOnly;
    if (readOnly === undefined) return items;
    const isRead = (it: Item<I>): boolean => readOnly(it.input);
    const out = this.shrinkBy(items, isRead, () => undefined);
    counts.droppedReads += items.length - out.length;
    return out;
  }

  /** Lets definite operations not happen where the violation does not need them. */
  relax(items: Item<I>[]): Item<I>[] {
    return this.shrinkBy(
      items,
      (it) => !it.optional,
      (it) => ({ ...it, optional: true, relaxed: true }),
    );
  }

  /** Removes optional operations the model proves cannot matter (no re-check needed). */
  dropOptional(items: Item<I>[], counts: Witness['reductions']): Item<I>[] {
    const drops = this.model.dropsWhenOptional;
    if (drops === undefined) return items;
    let current = items;
    for (let i = current.length - 1; i >= 0; i--) {
      const it = current[i]!;
      if (!it.optional) continue;
      const others = current.filter((o) => o !== it).map((o) => o.input);
      if (!drops(it.input, others)) continue;
      current = current.filter((o) => o !== it);
      counts.droppedOptional++;
    }
    return current;
  }

  /**
   * Delta debugging over the items `eligible` selects: replace a chunk of them (by `reduce`, or
   * remove them when it returns undefined) and keep the change when the result is still illegal.
   */
  private shrinkBy(items: Item<I>[], eligible: (it: Item<I>) => boolean, reduce: (it: Item<I>) => Item<I> | undefined): Item<I>[] {
    let current = items;
    const apply = (targets: ReadonlySet<Item<I>>): Item<I>[] => {
      const out: Item<I>[] = [];
      for (const it of current) {
        if (!targets.has(it)) out.push(it);
        else {
          const r = reduce(it);
          if (r !== undefined) out.push(r);
        }
      }
      return out;
    };
    let targets = current.filter(eligible);
    for (let chunk = Math.floor(targets.length / 2); chunk >= 1 && !this.outOfBudget(); chunk = Math.floor(chunk / 2)) {
      for (let at = 0; at < targets.length && !this.outOfBudget(); ) {
        const group = new Set(targets.slice(at, at + chunk));
        const candidate = apply(group);
        if (this.illegal(candidate)) {
          current = candidate;
          targets = [...targets.slice(0, at), ...targets.slice(at + chunk)];
        } else at += chunk;
      }
    }
    return current;
  }
}
