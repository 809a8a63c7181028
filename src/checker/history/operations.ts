/**
 * Pairs a flat history into operations: each invoke with the next completion of the same process.
 * Checkers reason about operations (a call time and a return time), not about events.
 */
import type { HistoryOp } from './op.ts';

/** How an operation ended; `info` ops may or may not have taken effect. */
export type OperationStatus = 'ok' | 'fail' | 'info';

/** An invocation paired with its completion. */
export interface Operation {
  /** Dense id, 0..n-1 in invocation order; checkers index bitsets with it. */
  id: number;
  process: number;
  f: string;
  /** The invoke's value (the arguments). */
  input: unknown;
  /** The completion's value (the results); `undefined` when there is no completion. */
  output: unknown;
  status: OperationStatus;
  /** Time of the invoke. */
  call: number;
  /**
   * Time of the completion. `Infinity` for `info` ops and ops that never completed: such an op may
   * take effect at any time after its call, or never.
   */
  ret: number;
  invoke: HistoryOp;
  completion: HistoryOp | undefined;
}

/** A structurally broken history; `position` is the offending op's position in the input array. */
export class HistoryError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** Options for {@link pairOperations}. */
export interface PairOptions {
  /**
   * Keep `fail` operations (status `fail`). Jepsen semantics say they did not happen, so they are
   * dropped by default; a model that learns something from a definite failure (etcd's failed
   * compare-and-set, ZooKeeper's NODEEXISTS) asks for them.
   */
  keepFailed?: boolean;
}

/**
 * Which clock orders the history. Real timestamps are used when every op has a non-negative
 * integer `time` and times never go backwards; otherwise (Jepsen's synthetic `-1`, missing
 * times) the position in the history is the time, which is what Knossos does.
 */
export function historyTimes(history: readonly HistoryOp[]): number[] {
  let usable = true;
  let last = -Infinity;
  for (const op of history) {
    const t = op.time;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t < last) {
      usable = false;
      break;
    }
    last = t;
  }
  return history.map((op, i) => (usable ? op.time : i));
}

/**
 * Pairs invocations with completions. Throws {@link HistoryError} for a completion with no
 * pending invoke, a second invoke while one is pending, or a completion whose `f` differs.
 * An invoke left pending at the end becomes an `info` operation.
 */
export function pairOperations(history: readonly HistoryOp[], options: PairOptions = {}): Operation[] {
  const times = historyTimes(history);
  const pending = new Map<number, Operation>();
  const all: Operation[] = [];
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (op.type === 'invoke') {
      if (pending.has(op.process)) {
        throw new HistoryError(`process ${op.process} invokes ${op.f} while its previous operation is still pending`, i);
      }
      const operation: Operation = {
        id: all.length,
        process: op.process,
        f: op.f,
        input: op.value,
        output: undefined,
        status: 'info',
        call: times[i]!,
        ret: Infinity,
        invoke: op,
        completion: undefined,
      };
      all.push(operation);
      pending.set(op.process, operation);
      continue;
    }
    const operation = pending.get(op.process);
    if (operation === undefined) {
      throw new HistoryError(`process ${op.process} completes ${op.f} (${op.type}) without a pending invoke`, i);
    }
    if (operation.f !== op.f) {
      throw new HistoryError(`process ${op.process} invoked ${operation.f} but completes ${op.f}`, i);
    }
    pending.delete(op.process);
    operation.completion = op;
    operation.status = op.type;
    operation.output = op.value;
    if (op.type !== 'info') operation.ret = times[i]!;
  }
  const kept = options.keepFailed ? all : all.filter((o) => o.status !== 'fail');
  // Re-number so ids stay dense after dropping failures.
  kept.forEach((o, id) => (o.id = id));
  return kept;
}

/** Re-numbers a subset of operations into fresh copies with dense ids, keeping everything else. */
export function renumber(ops: readonly Operation[]): Operation[] {
  return ops.map((o, id) => ({ ...o, id }));
}

/** The events of `ops` in their original history order (by event index): a sub-history. */
export function subHistory(ops: readonly Operation[]): HistoryOp[] {
  const events: HistoryOp[] = [];
  for (const o of ops) {
    events.push(o.invoke);
    if (o.completion !== undefined) events.push(o.completion);
  }
  return events.sort((a, b) => a.index - b.index);
}
