/**
 * A lock: `acquire` is legal only when free, `release` only when held. The model does not track
 * owners (Knossos's mutex does not either), so it catches double grants and releases of a free lock.
 */
import { ModelInputError, type Model } from '../model.ts';

/** A prepared mutex operation. */
export interface MutexInput {
  acquire: boolean;
}

/** The mutex model; state is 1 when held. */
export function mutexModel(): Model<number, MutexInput> {
  return {
    name: 'mutex',
    init: () => 0,
    prepare(op) {
      if (op.f === 'acquire') return { acquire: true };
      if (op.f === 'release') return { acquire: false };
      throw new ModelInputError(`the mutex model has no operation ${JSON.stringify(op.f)} (expected acquire or release)`, op.invoke);
    },
    step: (state, i) => (i.acquire ? (state === 0 ? 1 : undefined) : state === 1 ? 0 : undefined),
    equal: (a, b) => a === b,
    hash: (s) => s,
    describeInput: (i) => (i.acquire ? 'acquire' : 'release'),
    describeState: (s) => (s === 1 ? 'held' : 'free'),
  };
}
