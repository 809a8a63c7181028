/**
 * Linearizability checking: prepare operations, split them into independent partitions, and run
 * one resumable WGL search per partition under a deterministic round-robin scheduler. Each round
 * gives every unfinished partition a slice of steps and doubles the slice, so easy partitions
 * finish at once, hard ones cannot starve the rest, and the first illegal partition ends the check
 * (the Porcupine early exit, without threads). Budgets (injected deadline, step count, memory cap)
 * end the check with `unknown`, never with a guess.
 */
import type { HistoryOp } from '../history/op.ts';
import { pairOperations, type Operation } from '../history/operations.ts';
import type { CheckBudget, UnknownReason, Verdict } from '../verdict.ts';
import type { MemoryMeter } from './cache.ts';
import type { Model } from './model.ts';
import { partitionInputs } from './partition.ts';
import { PartitionSearch, type SearchOp } from './search.ts';

/**
 * One operation as the search sees it: its prepared input, and whether it may be left out (an
 * `info` op, or one a witness relaxed). If an optional op happened, it happened between its call
 * and its return (`Infinity` for an op that never completed).
 */
export interface CheckItem<I> {
  op: Operation;
  input: I;
  optional: boolean;
}

/** The result for one partition that finished (or was cut short). */
export interface PartitionOutcome {
  key: string;
  /** The partition's operations (after `prepare` dropped the unconstraining ones). */
  operations: Operation[];
  /** The same operations as the search saw them; kept for the illegal partition only. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  items?: CheckItem<any>[];
  verdict: Verdict;
  reason?: UnknownReason;
  /** For `ok`: operation ids in a valid linearization order (optional ops may be absent). */
  linearization?: number[];
  steps: number;
}

/** The overall result. */
export interface LinearizabilityResult {
  verdict: Verdict;
  /** Set when `verdict` is `unknown`. */
  reason?: UnknownReason;
  /** The illegal partition, when `verdict` is `illegal`. */
  illegal?: PartitionOutcome;
  /** Partitions that finished, in the order they finished. */
  partitions: PartitionOutcome[];
  partitionCount: number;
  operationCount: number;
  steps: number;
  peakCacheBytes: number;
}

/** Default memo-cache cap: big enough for hard histories, far below a 1 GiB process budget. */
export const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;
/** Steps between two polls of the injected deadline. */
const POLL_STEPS = 4096;
/**
 * First round's slice per partition, at least {@link SLICE_PER_OP} steps per operation so that an
 * easy partition (the search is about linear in its length) finishes in its first slice instead
 * of pausing with its memo cache held. Slices grow by {@link SLICE_GROWTH} a round: round-robin
 * over N partitions then finds a violation that needs s steps within about N·s·1.25 steps, near
 * the fair share a parallel checker gives (doubling could spend twice that); a slice costs one
 * call, so the extra rounds are free.
 */
const FIRST_SLICE = 1 << 12;
const SLICE_GROWTH = 1.25;
const SLICE_PER_OP = 8;

interface Pending<S, I> {
  key: string;
  /** Positions into the prepared arrays. */
  members: number[];
  search?: PartitionSearch<S, I>;
}

/**
 * Prepared operations as parallel arrays: a million-operation history costs no object per
 * operation beyond its model input.
 */
interface PreparedOps<I> {
  ops: Operation[];
  inputs: I[];
  optional: Uint8Array;
}

/** Prepares operations for `model`, leaving out those that cannot constrain the state. */
function prepare<S, I>(model: Model<S, I>, operations: readonly Operation[]): PreparedOps<I> {
  const ops: Operation[] = [];
  const inputs: I[] = [];
  for (const op of operations) {
    if (op.status === 'fail' && !model.usesFailed) continue;
    const input = model.prepare(op);
    if (input === undefined) continue;
    ops.push(op);
    inputs.push(input);
  }
  return { ops, inputs, optional: Uint8Array.from(ops, (op) => (op.status === 'info' ? 1 : 0)) };
}

/**
 * Checks already-paired operations against `model`. Memory stays proportional to the history:
 * one prepared input per operation, and search structures only for partitions being searched
 * (each partition's are released as soon as it finishes).
 */
export function checkOperations<S, I>(model: Model<S, I>, operations: readonly Operation[], budget: CheckBudget = {}): LinearizabilityResult {
  return checkPrepared(model, prepare(model, operations), budget);
}

/** Checks prepared items (see {@link CheckItem}); what witnesses run. */
export function checkItems<S, I>(model: Model<S, I>, items: readonly CheckItem<I>[], budget: CheckBudget = {}): LinearizabilityResult {
  const prepared: PreparedOps<I> = {
    ops: items.map((it) => it.op),
    inputs: items.map((it) => it.input),
    optional: Uint8Array.from(items, (it) => (it.optional ? 1 : 0)),
  };
  return checkPrepared(model, prepared, budget);
}

function checkPrepared<S, I>(model: Model<S, I>, prepared: PreparedOps<I>, budget: CheckBudget): LinearizabilityResult {
  const { ops, inputs, optional } = prepared;
  const parts = partitionInputs(model, inputs);
  // Smaller partitions first: they are the cheapest place to find a violation.
  parts.sort((a, b) => a.members.length - b.members.length);
  const queue: Pending<S, I>[] = parts.map((p) => ({ key: p.key, members: p.members }));
  const searchOps = (members: number[]): SearchOp<I>[] =>
    // An `info` op never returned, whoever built the Operation; a relaxed one keeps its return.
    members.map((i) => ({ input: inputs[i]!, call: ops[i]!.call, ret: ops[i]!.status === 'info' ? Infinity : ops[i]!.ret, optional: optional[i] === 1 }));
  const meter: MemoryMeter = { usedBytes: 0, peakBytes: 0, capBytes: budget.maxCacheBytes ?? DEFAULT_CACHE_BYTES };
  const result: LinearizabilityResult = {
    verdict: 'ok',
    partitions: [],
    partitionCount: parts.length,
    operationCount: ops.length,
    steps: 0,
    peakCacheBytes: 0,
  };
  const stop = (verdict: Verdict, reason?: UnknownReason): LinearizabilityResult => {
    result.verdict = verdict;
    if (reason !== undefined) result.reason = reason;
    result.peakCacheBytes = meter.peakBytes;
    return result;
  };
  const maxSteps = budget.maxSteps ?? Infinity;
  // Steps since the deadline was last polled, counted across partitions: a history of many small
  // partitions that each finish at once must still notice the deadline.
  let sincePoll = 0;
  let memoryShort = false;
  let active = queue;
  for (let round = 0; active.length > 0; round++) {
    const still: Pending<S, I>[] = [];
    for (const p of active) {
      if (p.search === undefined) p.search = new PartitionSearch(model, searchOps(p.members), meter);
      const search = p.search;
      // Whole steps: a fractional count reaches run() as a heap number and deoptimizes it.
      const slice = Math.floor(Math.max(FIRST_SLICE, SLICE_PER_OP * p.members.length) * SLICE_GROWTH ** round);
      let outcome: ReturnType<PartitionSearch<S, I>['run']> = 'paused';
      for (let used = 0; used < slice && outcome === 'paused'; ) {
        const chunk = Math.min(POLL_STEPS, slice - used, maxSteps - result.steps);
        if (chunk <= 0) return stop('unknown', 'steps');
        const before = search.steps;
        outcome = search.run(chunk);
        const done = search.steps - before;
        used += done;
        result.steps += done;
        sincePoll += done;
        if (outcome !== 'illegal' && sincePoll >= POLL_STEPS) {
          sincePoll = 0;
          if (budget.timeUp?.()) return stop('unknown', 'timeout');
        }
      }
      if (outcome === 'paused') {
        still.push(p);
        continue;
      }
      const done: PartitionOutcome = { key: p.key, operations: p.members.map((i) => ops[i]!), verdict: 'unknown', steps: search.steps };
      delete p.search;
      if (outcome === 'ok') {
        done.verdict = 'ok';
        done.linearization = search.linearization().map((i) => ops[p.members[i]!]!.id);
      } else if (outcome === 'illegal') {
        done.verdict = 'illegal';
        done.items = p.members.map((i) => ({ op: ops[i]!, input: inputs[i]!, optional: optional[i] === 1 }));
        result.partitions.push(done);
        result.illegal = done;
        return stop('illegal');
      } else {
        done.reason = 'memory';
        memoryShort = true;
      }
      result.partitions.push(done);
    }
    active = still;
  }
  return memoryShort ? stop('unknown', 'memory') : stop('ok');
}

/** Pairs a raw history (keeping definite failures when the model reads them) and checks it. */
export function checkHistory<S, I>(model: Model<S, I>, history: readonly HistoryOp[], budget: CheckBudget = {}): LinearizabilityResult {
  const ops = pairOperations(history, { keepFailed: model.usesFailed === true });
  return checkOperations(model, ops, budget);
}
