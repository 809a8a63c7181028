/**
 * Little helpers for the on-disk formats: big-endian u32 fields (ZooKeeper's Java streams are
 * big-endian) and byte concatenation. Reads take explicit offsets and never go past the end;
 * callers check the length first, because a short buffer is a torn write, not a bug.
 */
import { assert } from '../assert.ts';

/** Writes `value` (0 ≤ value < 2^32) as 4 big-endian bytes at `offset`. */
export function writeU32(out: Uint8Array, offset: number, value: number): void {
  assert(Number.isInteger(value) && value >= 0 && value <= 0xffffffff, () => `u32 out of range: ${value}`);
  assert(offset >= 0 && offset + 4 <= out.length, () => `u32 write past the end at ${offset}`);
  out[offset] = value >>> 24;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

/** Reads 4 big-endian bytes at `offset` as an unsigned number; the caller checked the length. */
export function readU32(bytes: Uint8Array, offset: number): number {
  assert(offset >= 0 && offset + 4 <= bytes.length, () => `u32 read past the end at ${offset}`);
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** ASCII text to bytes (format magics and signatures only; no TextEncoder needed). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    assert(code < 0x80, `not ASCII: ${text}`);
    out[i] = code;
  }
  return out;
}

/** True when `bytes[offset, offset + expected.length)` equals `expected`. */
export function bytesEqualAt(bytes: Uint8Array, offset: number, expected: Uint8Array): boolean {
  if (offset < 0 || offset + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[offset + i] !== expected[i]) return false;
  return true;
}
