/**
 * Single-register models over interned integer values: a plain read/write register, Knossos's
 * cas-register, and the etcd flavour used by the Jepsen etcd corpus.
 *
 * Ops: `read` (result in the completion's value), `write v`, `cas [old new]`.
 * - `cas-register` (Knossos): a `fail` cas did not happen and is dropped; an `info` op is optional.
 * - `etcd` (Porcupine's etcd model): a `fail` cas is a definite failed compare (legal iff the
 *   register differs from `old`); `info` ops have unknown outputs: an unknown read constrains
 *   nothing and is dropped, an unknown cas succeeds iff the register equals `old`.
 */
import type { Operation } from '../../history/operations.ts';
import { mix32, ModelInputError, type Model } from '../model.ts';
import { ValueTable } from './values.ts';

const READ = 0;
const WRITE = 1;
const CAS = 2;
const CAS_FAILED = 3;
const CAS_UNKNOWN = 4;

/** A prepared register operation: a kind and up to two interned values. */
export interface RegisterInput {
  kind: number;
  a: number;
  b: number;
}

/** Options shared by the register models. */
export interface RegisterOptions {
  /** Initial value (default `null`, Jepsen's `nil`). */
  initial?: unknown;
}

type Flavour = 'register' | 'cas-register' | 'etcd';

function casPair(op: Operation): [unknown, unknown] {
  const v = op.input;
  if (!Array.isArray(v) || v.length !== 2) {
    throw new ModelInputError(`cas expects a value [old new], got ${JSON.stringify(v)}`, op.invoke);
  }
  return [v[0], v[1]];
}

function makeRegister(flavour: Flavour, options: RegisterOptions): Model<number, RegisterInput> {
  const values = new ValueTable();
  const initial = values.id(options.initial ?? null);
  const input = (kind: number, a: number, b = 0): RegisterInput => ({ kind, a, b });
  return {
    name: flavour,
    usesFailed: flavour === 'etcd',
    init: () => initial,
    prepare(op) {
      const unknownOutput = op.status === 'info' || op.status === 'fail';
      switch (op.f) {
        case 'read':
          // A read that may not have returned anything constrains nothing.
          if (unknownOutput) return undefined;
          return input(READ, values.id(op.output));
        case 'write':
          if (op.status === 'fail') return undefined;
          return input(WRITE, values.id(op.input));
        case 'cas': {
          if (flavour === 'register') throw new ModelInputError('the register model has no cas; use cas-register or etcd', op.invoke);
          const [old, next] = casPair(op);
          const a = values.id(old);
          const b = values.id(next);
          if (op.status === 'ok') return input(CAS, a, b);
          if (flavour === 'cas-register') return op.status === 'info' ? input(CAS, a, b) : undefined;
          return input(op.status === 'fail' ? CAS_FAILED : CAS_UNKNOWN, a, b);
        }
        default:
          throw new ModelInputError(`the ${flavour} model has no operation ${JSON.stringify(op.f)} (expected read, write${flavour === 'register' ? '' : ', cas'})`, op.invoke);
      }
    },
    step(state, i) {
      switch (i.kind) {
        case READ:
          return state === i.a ? state : undefined;
        case WRITE:
          return i.a;
        case CAS:
          return state === i.a ? i.b : undefined;
        case CAS_FAILED:
          return state !== i.a ? state : undefined;
        default:
          return state === i.a ? i.b : state;
      }
    },
    equal: (a, b) => a === b,
    hash: (s) => mix32(s),
    describeInput(i) {
      switch (i.kind) {
        case READ:
          return `read -> ${values.text(i.a)}`;
        case WRITE:
          return `write ${values.text(i.a)}`;
        case CAS:
          return `cas ${values.text(i.a)} -> ${values.text(i.b)}`;
        case CAS_FAILED:
          return `cas ${values.text(i.a)} -> ${values.text(i.b)} (failed compare)`;
        default:
          return `cas ${values.text(i.a)} -> ${values.text(i.b)} (outcome unknown)`;
      }
    },
    describeState: (s) => values.text(s),
  };
}

/** A read/write register. */
export function registerModel(options: RegisterOptions = {}): Model<number, RegisterInput> {
  return makeRegister('register', options);
}

/** Knossos's compare-and-set register: read/write/cas, failed ops dropped. */
export function casRegisterModel(options: RegisterOptions = {}): Model<number, RegisterInput> {
  return makeRegister('cas-register', options);
}

/** The etcd compare-and-set register: definite failed compares, unknown outputs for `info`. */
export function etcdModel(options: RegisterOptions = {}): Model<number, RegisterInput> {
  return makeRegister('etcd', options);
}
