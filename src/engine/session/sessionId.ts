/**
 * Session ids and passwords. ZooKeeper builds ids as `(sid << 56) | ((nowMs << 24) >>> 8)`
 * and then counts up, which needs 64 bits. We keep its shape in 53 bits so ids stay exact JS
 * numbers: `serverId · 2^45 + (startMs mod 2^21) · 2^24 + n` — server id on top (8 bits), a
 * time-derived middle so a restarted leader does not reuse ids, and a 24-bit counter
 * (see docs/deviations.md).
 *
 * Passwords are a deterministic function of the id (ZooKeeper seeds `Random` with
 * `id ^ superSecret`), so any server can check a re-attach without shared state.
 */
import { assert } from '../assert.ts';

/** The first id a server hands out after starting at `startMs`. */
export function initialSessionId(serverId: number, startMs: number): number {
  assert(Number.isInteger(serverId) && serverId >= 0 && serverId < 256, () => `serverId ${serverId} out of 0..255`);
  assert(Number.isInteger(startMs) && startMs >= 0, () => `bad startMs ${startMs}`);
  return serverId * 2 ** 45 + (startMs % 2 ** 21) * 2 ** 24;
}

/** Length of a session password in bytes. */
export const PASSWORD_BYTES = 16;

/** The session's password: 16 bytes derived from the id (xorshift32 over both halves). */
export function sessionPassword(sessionId: number): Uint8Array {
  const out = new Uint8Array(PASSWORD_BYTES);
  let state = ((sessionId % 4294967296) ^ Math.floor(sessionId / 4294967296) ^ 0x5a17c0de) >>> 0;
  if (state === 0) state = 0x9e3779b9;
  for (let i = 0; i < PASSWORD_BYTES; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

/** Byte-wise equality of two passwords. */
export function passwordsEqual(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
