/**
 * Builders for hand-written histories: each operation is given as one interval and expanded into
 * an invoke and (unless it never completed) a completion, ordered by time.
 */
import type { HistoryOp, OpType } from '../../src/checker/history/op.ts';

/** One operation of a test history. */
export interface OpSpec {
  p: number;
  f: string;
  /** Invoke value. */
  v?: unknown;
  /** Completion value (defaults to the invoke value). */
  out?: unknown;
  call: number;
  /** Completion time; omit for an op that never completes. */
  ret?: number;
  type?: Exclude<OpType, 'invoke'>;
  /** Extra fields on the invoke. */
  inv?: Record<string, unknown>;
  /** Extra fields on the completion. */
  done?: Record<string, unknown>;
}

/** Expands op specs into a time-ordered history with dense indexes. */
export function history(specs: OpSpec[]): HistoryOp[] {
  const events: { t: number; order: number; op: Omit<HistoryOp, 'index'> }[] = [];
  specs.forEach((s, i) => {
    events.push({ t: s.call, order: i * 2, op: { type: 'invoke', process: s.p, f: s.f, value: s.v ?? null, time: s.call, ...s.inv } });
    if (s.ret !== undefined) {
      events.push({ t: s.ret, order: i * 2 + 1, op: { type: s.type ?? 'ok', process: s.p, f: s.f, value: s.out !== undefined ? s.out : (s.v ?? null), time: s.ret, ...s.done } });
    }
  });
  // Invokes sort before completions at the same time, matching closed intervals.
  events.sort((a, b) => a.t - b.t || (a.op.type === 'invoke' ? 0 : 1) - (b.op.type === 'invoke' ? 0 : 1) || a.order - b.order);
  return events.map((e, index) => ({ index, ...e.op }) as HistoryOp);
}
