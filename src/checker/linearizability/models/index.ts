/**
 * The model registry: every model by its CLI name. Factories return a fresh model per check
 * because models intern values into per-check tables.
 */
import type { AnyModel } from '../model.ts';
import { kvModel } from './kv.ts';
import { multiRegisterModel } from './multiRegister.ts';
import { mutexModel } from './mutex.ts';
import { casRegisterModel, etcdModel, registerModel } from './registers.ts';
import { znodeModel } from './znodeMap.ts';

/** Options every factory accepts (ignored where meaningless). */
export interface ModelOptions {
  /** Initial value of a register or of every kv key. */
  initial?: unknown;
}

const FACTORIES: Record<string, (o: ModelOptions) => AnyModel> = {
  register: (o) => registerModel(o),
  'cas-register': (o) => casRegisterModel(o),
  etcd: (o) => etcdModel(o),
  mutex: () => mutexModel(),
  'multi-register': (o) => multiRegisterModel(o),
  kv: (o) => kvModel(o),
  znode: () => znodeModel(),
};

/** Names accepted by {@link createModel}. */
export const MODEL_NAMES: readonly string[] = Object.keys(FACTORIES);

/**
 * A fresh model by name, or `undefined` for an unknown name. `Object.hasOwn` keeps names such as
 * `constructor` or `__proto__` (inherited by every object) from being taken as factories.
 */
export function createModel(name: string, options: ModelOptions = {}): AnyModel | undefined {
  return Object.hasOwn(FACTORIES, name) ? FACTORIES[name]!(options) : undefined;
}

export { kvModel, multiRegisterModel, mutexModel, casRegisterModel, etcdModel, registerModel, znodeModel };
export { fromNondeterministic, type NondeterministicModel } from './nondeterministic.ts';
export type { RegisterInput, RegisterOptions } from './registers.ts';
export type { KvInput, KvOptions } from './kv.ts';
export type { TxnInput, MicroOp, MultiRegisterOptions } from './multiRegister.ts';
export type { ZnodeInput } from './znodeMap.ts';
export type { MutexInput } from './mutex.ts';
export type { SparseMap } from './sparseMap.ts';
