/**
 * Engine invariants. A ZooKeeper outcome (NONODE, BADVERSION, ...) is a value; a broken
 * invariant is a bug in the engine itself and throws InvariantError, which nothing catches.
 */

/** Thrown when the engine's own state contradicts itself: always a bug, never a ZK outcome. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantError';
  }
}

/**
 * Throws InvariantError unless `condition` holds. Pass a message that needs formatting as a
 * function: asserts sit on hot paths and the message is only built when one fails.
 */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new InvariantError(typeof message === 'string' ? message : message());
}

/** Marks a switch as exhaustive: reaching it means a union grew without its handler. */
export function assertNever(value: never, what: string): never {
  throw new InvariantError(`unhandled ${what}: ${JSON.stringify(value)}`);
}
