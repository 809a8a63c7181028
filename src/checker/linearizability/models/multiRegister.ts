/**
 * Knossos's multi-register (knossos.model/multi-register): `txn` ops whose value is a list of
 * micro-ops `[read k v]` / `[write k v]`, applied atomically in order.
 *
 * Knossos's rules, followed here:
 * - an `ok` txn is judged by its completion's micro-ops (history/complete copies the completion's
 *   value onto the invocation), an `info` txn by its invocation's and may have happened or not;
 *   `fail` txns did not happen;
 * - a read whose value is `nil` is legal in every state (the client did not learn the value);
 * - the initial state is a map of keys to values (`--initial '{:x 0 :y 0}'`); a key it does not
 *   hold reads as `nil`, so a non-nil read of it is illegal until a write.
 * zabsim's additions: `r`/`w` spell read/write (Elle's style), and a non-map initial value is the
 * value of every key. Transactions are partitioned by the connected sets of keys they touch.
 */
import type { Operation } from '../../history/operations.ts';
import { ModelInputError, type Model } from '../model.ts';
import { knossosValue } from './registers.ts';
import { EMPTY_MAP, mapEqual, mapGet, mapHash, mapSet, type SparseMap } from './sparseMap.ts';
import { ValueTable } from './values.ts';

/** One prepared micro-op: read (must see `value`) or write. */
export interface MicroOp {
  write: boolean;
  key: number;
  value: number;
}

/** A prepared transaction. */
export interface TxnInput {
  /** The micro-ops that matter: writes, and reads of a known value. */
  ops: MicroOp[];
  keyNames: string[];
}

/** multi-register options. */
export interface MultiRegisterOptions {
  /**
   * A map from key to initial value (Knossos), or one value for every key (zabsim). Keys a map
   * leaves out, and every key when there is no initial value, start as `nil`.
   */
  initial?: unknown;
}

function microOps(op: Operation, v: unknown): unknown[][] {
  if (!Array.isArray(v) || !v.every((m) => Array.isArray(m) && m.length === 3)) {
    throw new ModelInputError(`txn expects a list of [read|write key value] micro-ops, got ${JSON.stringify(v)}`, op.invoke);
  }
  return v as unknown[][];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The multi-register model. */
export function multiRegisterModel(options: MultiRegisterOptions = {}): Model<SparseMap, TxnInput> {
  const keys = new ValueTable();
  const values = new ValueTable();
  const nil = values.id(null);
  const perKey = isMap(options.initial) ? options.initial : undefined;
  const missing = perKey === undefined ? values.id(options.initial ?? null) : nil;
  let initialState: SparseMap = EMPTY_MAP;
  // Explicit initial values are part of the state (a key left out holds `missing`).
  for (const [k, v] of Object.entries(perKey ?? {})) initialState = mapSet(initialState, keys.id(k), values.id(v ?? null));
  return {
    name: 'multi-register',
    init: () => initialState,
    prepare(op) {
      if (op.f !== 'txn') throw new ModelInputError(`the multi-register model has no operation ${JSON.stringify(op.f)} (expected txn)`, op.invoke);
      // Validate the invocation even when the completion's micro-ops are the ones judged.
      microOps(op, op.input);
      const ops: MicroOp[] = [];
      for (const m of microOps(op, knossosValue(op))) {
        const f = m[0];
        if (f !== 'read' && f !== 'r' && f !== 'write' && f !== 'w') throw new ModelInputError(`unknown micro-op ${JSON.stringify(f)} (expected read or write)`, op.invoke);
        const write = f === 'write' || f === 'w';
        const value = m[2] ?? null;
        if (!write && value === null) continue;
        ops.push({ write, key: keys.id(m[1]), value: values.id(value) });
      }
      // A txn of nil reads alone is legal in every state and changes nothing.
      if (ops.length === 0) return undefined;
      return { ops, keyNames: [...new Set(ops.map((m) => keys.text(m.key)))] };
    },
    step(state, txn) {
      let s = state;
      for (const m of txn.ops) {
        if (m.write) s = mapSet(s, m.key, m.value);
        else if (mapGet(s, m.key, missing) !== m.value) return undefined;
      }
      return s;
    },
    equal: mapEqual,
    hash: mapHash,
    partitionKeys: (txn) => txn.keyNames,
    readOnly: (txn) => txn.ops.every((m) => !m.write),
    describeInput: (txn) => `txn [${txn.ops.map((m) => `${m.write ? 'write' : 'read'} ${keys.text(m.key)} ${values.text(m.value)}`).join(', ')}]`,
    describeState(state) {
      const parts: string[] = [];
      for (let i = 0; i < state.length; i += 2) parts.push(`${keys.text(state[i]!)}: ${values.text(state[i + 1]!)}`);
      return `{${parts.join(', ')}} (${parts.length === 0 ? 'every' : 'any other'} key ${values.text(missing)})`;
    },
  };
}
