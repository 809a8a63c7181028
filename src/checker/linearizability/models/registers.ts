/**
 * Single-register models over interned integer values: Knossos's `register` and `cas-register`
 * (knossos.model, v0.3.x), and the etcd flavour of Porcupine's Jepsen etcd test (v1.3.0).
 *
 * Ops: `read`, `write v`, `cas [old new]`.
 * - `register` / `cas-register` (Knossos): an `ok` op is judged by its completion's value (Knossos's
 *   history/complete copies it onto the invocation), an `info` op by its invocation's value and may
 *   have happened or not; `fail` ops did not happen and are dropped. A read whose value is `nil`
 *   says nothing (the client did not learn the value) and is legal in every state, so it is left
 *   out of the search; so is any `info` read (optional, and a read never changes the state).
 * - `etcd` (Porcupine): the completion's value of a read is its result, and `nil` is a value like
 *   any other (the register starts as `nil`); write and cas arguments come from the invocation. A
 *   `fail` cas is a definite failed compare (legal iff the register differs from `old`); `info` ops
 *   have unknown outputs: an unknown read constrains nothing and is dropped, an unknown cas succeeds
 *   iff the register equals `old`.
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

/** The value Knossos judges an op by: the completion's for an `ok` op, else the invocation's. */
export function knossosValue(op: Operation): unknown {
  return op.status === 'ok' ? (op.output ?? null) : (op.input ?? null);
}

function casPair(op: Operation, v: unknown): [unknown, unknown] {
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
      const knossos = flavour !== 'etcd';
      switch (op.f) {
        case 'read': {
          // A read that may not have returned anything constrains nothing.
          if (unknownOutput) return undefined;
          const seen = op.output ?? null;
          if (knossos && seen === null) return undefined;
          return input(READ, values.id(seen));
        }
        case 'write':
          if (op.status === 'fail') return undefined;
          return input(WRITE, values.id(knossos ? knossosValue(op) : op.input));
        case 'cas': {
          if (flavour === 'register') throw new ModelInputError('the register model has no cas; use cas-register or etcd', op.invoke);
          const [old, next] = casPair(op, knossos ? knossosValue(op) : op.input);
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
    readOnly: (i) => i.kind === READ || i.kind === CAS_FAILED,
    // An optional op that leaves the register at v can go when no other op can follow it in
    // state v except a write (a read of v, a cas from v, a failed or unknown cas): in any valid
    // order the op after it is then a write, legal whatever the state, or there is none.
    dropsWhenOptional(i, others) {
      if (i.kind === READ || i.kind === CAS_FAILED) return true;
      const v = i.kind === WRITE ? i.a : i.b;
      return others.every((o) => o.kind === WRITE || (o.kind === READ && o.a !== v) || (o.kind === CAS && o.a !== v));
    },
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
