/**
 * A key-value store partitioned by key: `get`/`read` (result in the completion), `put`/`write`
 * and `append` (string concatenation, as in Porcupine's kv tests). The key comes from the op's
 * `key` field, or from a `[key value]` pair in the value. Missing keys hold `initial`
 * (default `""`, Porcupine's convention).
 */
import type { Operation } from '../../history/operations.ts';
import { mix32, ModelInputError, type Model } from '../model.ts';
import { StringChains } from './stringChains.ts';
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

/** A kv state: {@link UNTOUCHED}, or the StringChains node of the partition's one key. */
export type KvState = number;
/** No operation has touched the partition's key yet: it holds the initial value. */
const UNTOUCHED = -1;

/**
 * The key-value model. Partitions hold one key each (every op touches exactly one), so a state is
 * one number: the node of that key's value. No state is allocated and equality is `===`. A step
 * that meets a state of another key throws: it would mean a search mixed keys.
 */
export function kvModel(options: KvOptions = {}): Model<KvState, KvInput> {
  const keys = new ValueTable();
  const values = new ValueTable();
  const chains = new StringChains(values);
  const initialValue = values.id(options.initial ?? '');
  return {
    name: 'kv',
    init: () => UNTOUCHED,
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
      const current = state === UNTOUCHED ? chains.leaf(i.key, initialValue) : state;
      if (chains.key(current) !== i.key) throw new Error('kv: one search saw two keys; partitions must hold one key each');
      if (i.kind === GET) return chains.equalsValue(current, i.value) ? state : undefined;
      if (i.kind === PUT) return chains.leaf(i.key, i.value);
      return chains.append(current, i.value);
    },
    equal: (a, b) => a === b,
    hash: (s) => mix32(s),
    readOnly: (i) => i.kind === GET,
    partitionKeys: (i) => [keys.text(i.key)],
    describeInput(i) {
      const k = keys.text(i.key);
      const v = values.text(i.value);
      return i.kind === GET ? `get ${k} -> ${v}` : i.kind === PUT ? `put ${k} ${v}` : `append ${k} ${v}`;
    },
    describeState(state) {
      if (state === UNTOUCHED) return `every key ${values.text(initialValue)}`;
      return `${keys.text(chains.key(state))}: ${values.text(values.id(chains.value(state)))}`;
    },
  };
}
