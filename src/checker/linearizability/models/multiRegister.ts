/**
 * Knossos's multi-register: `txn` ops whose value is a list of micro-ops `[read k v]` /
 * `[write k v]`, applied atomically in order. The invoke carries the writes, the completion the
 * values read. Transactions are partitioned by the connected sets of keys they touch.
 */
import type { Operation } from '../../history/operations.ts';
import { ModelInputError, type Model } from '../model.ts';
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
  ops: MicroOp[];
  /** Reads whose value is unknown (an `info` txn) are skipped. */
  keyNames: string[];
}

/** multi-register options. */
export interface MultiRegisterOptions {
  /** Value of a register never written (default `null`). */
  initial?: unknown;
}

function microOps(op: Operation, v: unknown): unknown[][] {
  if (!Array.isArray(v) || !v.every((m) => Array.isArray(m) && m.length === 3)) {
    throw new ModelInputError(`txn expects a list of [read|write key value] micro-ops, got ${JSON.stringify(v)}`, op.invoke);
  }
  return v as unknown[][];
}

/** The multi-register model. */
export function multiRegisterModel(options: MultiRegisterOptions = {}): Model<SparseMap, TxnInput> {
  const keys = new ValueTable();
  const values = new ValueTable();
  const initial = values.id(options.initial ?? null);
  return {
    name: 'multi-register',
    init: () => EMPTY_MAP,
    prepare(op) {
      if (op.f !== 'txn') throw new ModelInputError(`the multi-register model has no operation ${JSON.stringify(op.f)} (expected txn)`, op.invoke);
      const invoked = microOps(op, op.input);
      const completed = op.status === 'ok' ? microOps(op, op.output) : undefined;
      const ops: MicroOp[] = [];
      invoked.forEach((m, i) => {
        const f = m[0];
        if (f !== 'read' && f !== 'r' && f !== 'write' && f !== 'w') throw new ModelInputError(`unknown micro-op ${JSON.stringify(f)} (expected read or write)`, op.invoke);
        const write = f === 'write' || f === 'w';
        if (!write && completed === undefined) return;
        const value = write ? m[2] : completed![i]?.[2];
        ops.push({ write, key: keys.id(m[1]), value: values.id(value) });
      });
      return { ops, keyNames: [...new Set(ops.map((m) => keys.text(m.key)))] };
    },
    step(state, txn) {
      let s = state;
      for (const m of txn.ops) {
        if (m.write) s = mapSet(s, m.key, m.value);
        else if (mapGet(s, m.key, initial) !== m.value) return undefined;
      }
      return s;
    },
    equal: mapEqual,
    hash: mapHash,
    partitionKeys: (txn) => txn.keyNames,
    describeInput: (txn) => `txn [${txn.ops.map((m) => `${m.write ? 'write' : 'read'} ${keys.text(m.key)} ${values.text(m.value)}`).join(', ')}]`,
    describeState(state) {
      const parts: string[] = [];
      for (let i = 0; i < state.length; i += 2) parts.push(`${keys.text(state[i]!)}: ${values.text(state[i + 1]!)}`);
      return `{${parts.join(', ')}}`;
    },
  };
}
