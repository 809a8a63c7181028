/**
 * The history model shared by every client-facing checker: Jepsen's flat list of operation
 * events. An op is one half of an operation: its `invoke`, or its completion (`ok`, `fail`,
 * `info`). The simulator's client layer emits these with `time` in integer microseconds of
 * simulated time; Jepsen files use nanoseconds. Checkers only compare times, so the unit does not
 * matter as long as one history uses one unit.
 *
 * Crashed clients: once a process's operation completes with `info`, that process may have an
 * operation still in flight forever, so (as in Jepsen) the client continues under a new process id
 * and the old id never invokes again. Checkers rely on each process being single-threaded.
 */

/**
 * `invoke` starts an operation. `ok` means it definitely took effect, `fail` means it definitely
 * did not, `info` means it may or may not have taken effect, at any time after its invocation.
 */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** One event of a history. Extra fields (`key`, `session`, `zxid`, `node`, ...) are allowed. */
export interface HistoryOp {
  /** Position in the full history; kept through filtering so reports can point at the source. */
  index: number;
  type: OpType;
  /** A single-threaded logical client. Nemesis ops are not `HistoryOp`s: readers skip them. */
  process: number;
  /** The function, e.g. `read`, `write`, `cas`, `create`, `setData`. */
  f: string;
  /** Arguments on an invoke, results on a completion (`null` when there are none). */
  value: unknown;
  /** Integer timestamp; a call at t is concurrent with a return at t (closed intervals). */
  time: number;
  /** Error detail on `fail`/`info` completions (e.g. `timed-out`, `NONODE`). */
  error?: unknown;
  [extra: string]: unknown;
}

const OP_TYPES: ReadonlySet<string> = new Set(['invoke', 'ok', 'fail', 'info']);

/** True when `s` names an op type. */
export function isOpType(s: unknown): s is OpType {
  return typeof s === 'string' && OP_TYPES.has(s);
}
