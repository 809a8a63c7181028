/**
 * Immutable maps from small integer keys to small integer values, stored as a flat sorted array
 * `[k0, v0, k1, v1, ...]`. Partitions usually hold one key, so states stay tiny, hash quickly and
 * compare with a loop; an update copies a few numbers.
 */
import { mix32 } from '../model.ts';

/** A sparse map state; never mutated after creation. */
export type SparseMap = readonly number[];

/** The empty map. */
export const EMPTY_MAP: SparseMap = [];

/** The value of `key`, or `missing`. */
export function mapGet(m: SparseMap, key: number, missing: number): number {
  for (let i = 0; i < m.length; i += 2) if (m[i] === key) return m[i + 1]!;
  return missing;
}

/** A copy of `m` with `key` set to `value` (or removed when `value === remove`). */
export function mapSet(m: SparseMap, key: number, value: number, remove = NaN): SparseMap {
  const out: number[] = [];
  let placed = false;
  for (let i = 0; i < m.length; i += 2) {
    const k = m[i]!;
    if (!placed && k >= key) {
      placed = true;
      if (value !== remove) out.push(key, value);
      if (k === key) continue;
    }
    out.push(k, m[i + 1]!);
  }
  if (!placed && value !== remove) out.push(key, value);
  return out;
}

/** Element-wise equality. */
export function mapEqual(a: SparseMap, b: SparseMap): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Order-dependent hash; maps are kept sorted, so equal maps hash alike. */
export function mapHash(m: SparseMap): number {
  let h = 0x2545f491;
  for (let i = 0; i < m.length; i++) h = mix32(h ^ m[i]!);
  return h;
}
