import seedrandom from 'seedrandom';

/** 2^32, the size of one raw draw. */
export const TWO_POW_32 = 4294967296;

/** A seed as users write it: a number, a word, or a git commit hash. Always used as a string. */
export type Seed = string | number;

/** Canonical text form of a seed, so `7` and `"7"` name the same run. */
export function canonicalSeed(seed: Seed): string {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    return String(seed);
  }
  if (seed.length === 0) throw new RangeError('seed must not be empty');
  return seed;
}

/**
 * A raw 32-bit generator for one named stream. The stream's state depends only on
 * (seed, name), so adding draws to one stream never shifts another.
 *
 * The generator is Baagøe's Alea, seeded by seedrandom (its Mash hash of the key). The
 * recurrence itself is stepped here, over seedrandom's exported state, rather than through
 * its `int32()`: that keeps the state in three doubles of one typed array and a small integer,
 * with no closure call and no boxed double per draw (a run draws for every message and fsync).
 * The words are exactly seedrandom's `int32() >>> 0`; a test compares them.
 */
export class RawStream {
  /** Alea's three lagged fractions s0, s1, s2 (each a multiple of 2^-32 in [0, 1)). */
  private readonly lags: Float64Array;
  /** Alea's carry. */
  private carry: number;
  /** The last `n` given to `below`, and its rejection limit (runs draw in a few ranges only). */
  private limitFor = 0;
  private limit = 0;

  constructor(seed: Seed, name: string) {
    const state = seedrandom.alea(`${canonicalSeed(seed)}\u0000${name}`, { state: true }).state();
    this.lags = Float64Array.of(state.s0, state.s1, state.s2);
    this.carry = state.c | 0;
  }

  /** Uniform integer in [0, 2^32). */
  uint32(): number {
    const lags = this.lags;
    const t = 2091639 * lags[0]! + this.carry * 2.3283064365386963e-10; // 2^-32
    lags[0] = lags[1]!;
    lags[1] = lags[2]!;
    this.carry = t | 0;
    const next = t - this.carry;
    lags[2] = next;
    // `next` is a multiple of 2^-32 below 1, so this is an exact integer below 2^32.
    return next * TWO_POW_32;
  }

  /** Uniform integer in [0, n) without modulo bias; 1 ≤ n ≤ 2^32. */
  below(n: number): number {
    if (n === 1) return 0;
    // Largest multiple of n that fits in 2^32; draws at or above it are rejected. Written with
    // floor division rather than `%`: the operands pass 2^31, where `%` becomes a slow fmod
    // call; both are exact here (every value is an integer below 2^53).
    if (n !== this.limitFor) {
      this.limitFor = n;
      this.limit = Math.floor(TWO_POW_32 / n) * n;
    }
    const limit = this.limit;
    for (;;) {
      const u = this.uint32();
      if (u < limit) return u - Math.floor(u / n) * n;
    }
  }
}
