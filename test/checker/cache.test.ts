/**
 * Goal: the memo cache's compact keys are canonical (equal linearized sets give equal keys, however
 * they were reached), distinct sets never compare equal, and the memory cap is never exceeded.
 * Method: fast-check drives random add/delete sequences on sets small enough for dense keys and
 * large enough for the sparse (stragglers-only) keys, and compares against a plain reference set.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ADDED, ConfigCache, DENSE_MAX_WORDS, LinearizedSet, OVER_MEMORY, PRESENT, type MemoryMeter } from '../../src/checker/linearizability/cache.ts';

const meter = (capBytes = 1 << 30): MemoryMeter => ({ usedBytes: 0, peakBytes: 0, capBytes });

/** Applies toggles to a LinearizedSet and to a reference Set; returns both. */
function apply(n: number, toggles: number[]): { set: LinearizedSet; ref: Set<number> } {
  const set = new LinearizedSet(n);
  const ref = new Set<number>();
  for (const t of toggles) {
    const op = t % n;
    if (ref.has(op)) {
      ref.delete(op);
      set.delete(op);
    } else {
      ref.add(op);
      set.add(op);
    }
  }
  return { set, ref };
}

/** The invariant of the sparse key, recomputed from the bits. */
function expectCanonical(set: LinearizedSet, ref: Set<number>): void {
  const words = set.bits.length;
  const held: number[] = [];
  for (let op = 0; op < words * 32; op++) if (((set.bits[op >>> 5]! >>> (op & 31)) & 1) === 1) held.push(op);
  expect(held).toEqual([...ref].sort((x, y) => x - y));
  if (set.dense) return;
  let hi = words;
  while (hi > 0 && set.bits[hi - 1] === 0) hi--;
  expect(set.hi).toBe(hi);
  const partial: number[] = [];
  for (let w = 0; w < hi; w++) if (set.bits[w] !== 0xffffffff) partial.push(w);
  expect(Array.from(set.partial.subarray(0, set.count))).toEqual(partial);
}

// Sizes on both sides of the dense/sparse boundary. Toggles mimic a search: runs of operations
// linearized at a moving frontier (filling whole words), and single toggles behind it (stragglers
// undone or added late), so words go full, partial and empty in every order.
const sizeArb = fc.oneof(fc.integer({ min: 1, max: DENSE_MAX_WORDS * 32 }), fc.integer({ min: DENSE_MAX_WORDS * 32 + 1, max: 2000 }));
const togglesArb = fc.array(fc.record({ run: fc.nat(80), back: fc.nat(120), jump: fc.nat(4000) }), { maxLength: 60 }).map((steps) => {
  const toggles: number[] = [];
  let frontier = 0;
  for (const s of steps) {
    for (let i = 0; i < s.run; i++) toggles.push(frontier++);
    if (frontier - s.back >= 0) toggles.push(frontier - s.back);
    if (s.jump % 5 === 0) toggles.push(s.jump);
  }
  return toggles;
});

describe('LinearizedSet', () => {
  test.prop([sizeArb, togglesArb])('keeps its compact key canonical under any add/delete sequence', (n, toggles) => {
    const { set, ref } = apply(n, toggles);
    expectCanonical(set, ref);
  });

  test.prop([sizeArb, togglesArb.filter((t) => t.length > 0), fc.nat()])(
    'the same set reached in two different orders is one cache entry',
    (n, toggles, shift) => {
      const a = apply(n, toggles).set;
      const b = apply(n, [...toggles.slice(shift % toggles.length), ...toggles.slice(0, shift % toggles.length)]).set;
      const cache = new ConfigCache<number>((x, y) => x === y, meter());
      expect(cache.add(a, 7, 1)).toBe(ADDED);
      // Rotating the toggle sequence keeps every op's parity, so b holds the same ops as a.
      expect(cache.add(b, 7, 1)).toBe(PRESENT);
      expect(cache.add(b, 7, 2)).toBe(ADDED);
    },
  );
});

describe('ConfigCache', () => {
  it('tells apart sets that differ in one straggler far below the frontier', () => {
    const n = 1000;
    const a = new LinearizedSet(n);
    const b = new LinearizedSet(n);
    for (let op = 0; op < 900; op++) {
      a.add(op);
      if (op !== 3) b.add(op);
    }
    const cache = new ConfigCache<number>((x, y) => x === y, meter());
    // Same hash on purpose: only the key comparison can separate them.
    expect(cache.add(a, 1, 0)).toBe(ADDED);
    expect(cache.add(b, 1, 0)).toBe(ADDED);
    expect(cache.add(a, 1, 0)).toBe(PRESENT);
    expect(cache.count).toBe(2);
  });

  it('refuses to grow past the memory cap and gives its bytes back on release', () => {
    const m = meter(64 * 1024);
    const cache = new ConfigCache<number>((x, y) => x === y, m);
    const set = new LinearizedSet(64);
    let result: number = ADDED;
    let added = 0;
    for (let state = 0; result === ADDED; state++) {
      result = cache.add(set, state, state);
      if (result === ADDED) added++;
      expect(m.usedBytes).toBeLessThanOrEqual(m.capBytes);
    }
    expect(result).toBe(OVER_MEMORY);
    expect(added).toBeGreaterThan(100);
    cache.release();
    expect(m.usedBytes).toBe(0);
    expect(m.peakBytes).toBeLessThanOrEqual(m.capBytes);
  });
});
