/**
 * A key-value store partitioned by key: `get`/`read` (result in the completion), `put`/`write`
 * and `append` (string concatenation, as in Porcupine's kv tests). The key comes from the op's
 * `key` field, or from a `[key value]` pair in the value. Missing keys hold `initial`
 * (default `""`, Porcupine's convention).
 */
import type { Operation } from '../../history/operations.ts';
import { ModelInputError, type Model } from '../model.ts';
import { EMPTY_MAP, mapEqual, mapGet, mapHash, mapSet, type SparseMap } from './sparseMap.ts';
import { ValueTable } from './values.ts';

const GET = 0;
const PUT = 1;
const APPEND = 2;

/** A prepared kv operation over interned key and value ids. */
export interface KvInput {
  kind: number;
  key: number;
  value: number;
}

/** kv model options. */
export interface KvOptions {
  /** Value of a key never written (default `""`). */
  initial?: unknown;
}

function keyAndValue(op: Operation, v: unknown): [unknown, unknown] {
  if (op.invoke.key !== undefined) return [op.invoke.key, v];
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
  throw new ModelInputError(`kv ops need a "key" field or a [key value] value, got ${JSON.stringify(v)}`, op.invoke);
}

/** The key-value model. */
export function kvModel(options: KvOptions = {}): Model<SparseMap, KvInput> {
  const keys = new ValueTable();
  const values = new ValueTable();
  const initial = values.id(options.initial ?? '');
  return {
    name: 'kv',
    init: () => EMPTY_MAP,
    prepare(op) {
      switch (op.f) {
        case 'get':
        case 'read': {
          if (op.status !== 'ok') return undefined;
          const [k] = keyAndValue(op, op.input);
          const [, out] = keyAndValue(op, op.output);
          return { kind: GET, key: keys.id(k), value: values.id(out) };
        }
        case 'put':
        case 'write':
        case 'append': {
          const [k, v] = keyAndValue(op, op.input);
          if (op.f === 'append' && typeof v !== 'string') throw new ModelInputError(`append expects a string, got ${JSON.stringify(v)}`, op.invoke);
          return { kind: op.f === 'append' ? APPEND : PUT, key: keys.id(k), value: values.id(v) };
        }
        default:
          throw new ModelInputError(`the kv model has no operation ${JSON.stringify(op.f)} (expected get, put or append)`, op.invoke);
      }
    },
    step(state, i) {
      const current = mapGet(state, i.key, initial);
      if (i.kind === GET) return current === i.value ? state : undefined;
      if (i.kind === PUT) return mapSet(state, i.key, i.value);
      const before = values.value(current);
      const joined = (typeof before === 'string' ? before : '') + (values.value(i.value) as string);
      return mapSet(state, i.key, values.id(joined));
    },
    equal: mapEqual,
    hash: mapHash,
    readOnly: (i) => i.kind === GET,
    partitionKeys: (i) => [keys.text(i.key)],
    describeInput(i) {
      const k = keys.text(i.key);
      const v = values.text(i.value);
      return i.kind === GET ? `get ${k} -> ${v}` : i.kind === PUT ? `put ${k} ${v}` : `append ${k} ${v}`;
    },
    describeState(state) {
      if (state.length === 0) return `{} (every key ${values.text(initial)})`;
      const parts: string[] = [];
      for (let i = 0; i < state.length; i += 2) parts.push(`${keys.text(state[i]!)}: ${values.text(state[i + 1]!)}`);
      return `{${parts.join(', ')}}`;
    },
  };
}
