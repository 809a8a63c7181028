/**
 * The sequential specification a history is checked against. A model is a small object of pure
 * functions; `prepare` turns each operation into the model's own compact input once, before the
 * search, so the search's inner loop only calls `step`, `hash` and `equal`.
 *
 * Porcupine's step takes (state, input, output); here `prepare` folds the output into the input,
 * which lets register models encode a whole operation as a few integers.
 */
import type { HistoryOp } from '../history/op.ts';
import type { Operation } from '../history/operations.ts';

/** A deterministic model over states `S` and prepared inputs `I`. */
export interface Model<S, I> {
  /** Short name used by the CLI and in reports. */
  readonly name: string;
  /** The initial state. States are values: never mutate one, never use `undefined` as one. */
  init(): S;
  /**
   * The model's input for one operation, or `undefined` when the operation cannot constrain the
   * state (a read whose result is unknown); such operations are left out of the search.
   * Throws {@link ModelInputError} for an operation this model does not understand.
   */
  prepare(op: Operation): I | undefined;
  /** The state after applying `input`, or `undefined` when the operation is illegal in `state`. */
  step(state: S, input: I): S | undefined;
  /** Real equality of states; used to confirm memo-cache hits. */
  equal(a: S, b: S): boolean;
  /** An int32 hash; `equal(a, b)` must imply `hash(a) === hash(b)`. */
  hash(state: S): number;
  /**
   * The keys an input touches, for P-compositionality: operations whose key sets are connected
   * are checked together, others separately. `undefined` (or no method) means "touches every key",
   * which puts everything in one partition.
   */
  partitionKeys?(input: I): readonly string[] | undefined;
  /**
   * True when the input never changes the state: for every state `s`, `step(s, input)` is `s` (or
   * `undefined`). Such an operation only adds constraints, so dropping it from a non-linearizable
   * history cannot hide the violation, and witnesses shrink by dropping these. Absent means no.
   */
  readOnly?(input: I): boolean;
  /**
   * True when an optional operation (one that may not have happened) can be removed from any
   * history made of it and `others` without making a linearizable history non-linearizable: every
   * valid order stays valid with it taken out. Witnesses use it to drop writes nobody observed.
   */
  dropsWhenOptional?(input: I, others: readonly I[]): boolean;
  /** One-line description of an input, e.g. `write 3` or `read -> 2`. */
  describeInput(input: I): string;
  /** One-line description of a state. */
  describeState(state: S): string;
  /**
   * The model reads definite failures (`fail` completions), e.g. etcd's failed compare-and-set
   * or ZooKeeper's NODEEXISTS. Otherwise `fail` operations are dropped before checking.
   */
  readonly usesFailed?: boolean;
}

/** A model over any state/input types; what registries and the CLI pass around. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any>;

/** An operation a model cannot interpret; carries the offending event for file:line reporting. */
export class ModelInputError extends Error {
  constructor(
    message: string,
    readonly op: HistoryOp,
  ) {
    super(message);
    this.name = 'ModelInputError';
  }
}

/** 32-bit finaliser (MurmurHash3's fmix32): spreads small integers over all bits. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** FNV-1a over a string; used by models whose states hold strings. */
export function hashString(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
