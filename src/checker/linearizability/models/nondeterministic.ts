/**
 * Nondeterministic models and their adapter. A nondeterministic step may lead to several states
 * (e.g. a lossy operation that may or may not have applied); the adapter runs the subset
 * construction, so the search sees one deterministic state: the set of states the object could be
 * in. The set is deduplicated with the model's own `equal`, and hashed order-independently.
 */
import type { Operation } from '../../history/operations.ts';
import { mix32, type Model } from '../model.ts';

/** Like {@link Model}, but `init` and `step` return every possible state. */
export interface NondeterministicModel<S, I> {
  readonly name: string;
  init(): readonly S[];
  prepare(op: Operation): I | undefined;
  /** Every state `input` can lead to from `state`; empty when it is illegal there. */
  step(state: S, input: I): readonly S[];
  equal(a: S, b: S): boolean;
  hash(state: S): number;
  partitionKeys?(input: I): readonly string[] | undefined;
  /** True when every state `step` returns equals the one it was given (see Model.readOnly). */
  readOnly?(input: I): boolean;
  describeInput(input: I): string;
  describeState(state: S): string;
  readonly usesFailed?: boolean;
}

/** Adds `s` to `set` unless an equal state is there. */
function addUnique<S>(m: NondeterministicModel<S, unknown>, set: S[], s: S): void {
  for (const t of set) if (m.equal(s, t)) return;
  set.push(s);
}

/** A deterministic view of `m` whose states are sets of `m`'s states. */
export function fromNondeterministic<S, I>(m: NondeterministicModel<S, I>): Model<readonly S[], I> {
  const any = m as NondeterministicModel<S, unknown>;
  const model: Model<readonly S[], I> = {
    name: m.name,
    init() {
      const set: S[] = [];
      for (const s of m.init()) addUnique(any, set, s);
      return set;
    },
    prepare: (op) => m.prepare(op),
    step(states, input) {
      const set: S[] = [];
      for (const s of states) for (const t of m.step(s, input)) addUnique(any, set, t);
      return set.length === 0 ? undefined : set;
    },
    equal(a, b) {
      if (a.length !== b.length) return false;
      return a.every((s) => b.some((t) => m.equal(s, t)));
    },
    // Addition commutes, so the hash does not depend on the order states were found in.
    hash: (states) => states.reduce((h, s) => (h + mix32(m.hash(s))) | 0, 0),
    describeInput: (i) => m.describeInput(i),
    describeState: (states) => (states.length === 1 ? m.describeState(states[0]!) : `one of {${states.map((s) => m.describeState(s)).join(' | ')}}`),
  };
  if (m.partitionKeys) model.partitionKeys = (i) => m.partitionKeys!(i);
  // A read-only step only narrows the set of possible states, and every later step is monotone in
  // that set, so dropping it still cannot turn a legal order into an illegal one.
  if (m.readOnly) model.readOnly = (i) => m.readOnly!(i);
  if (m.usesFailed) Object.assign(model, { usesFailed: true });
  return model;
}
