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
 */
export class RawStream {
  private readonly prng: seedrandom.PRNG;

  constructor(seed: Seed, name: string) {
    this.prng = seedrandom.alea(`${canonicalSeed(seed)}\u0000${name}`);
  }

  /** Uniform integer in [0, 2^32). */
  uint32(): number {
    return this.prng.int32() >>> 0;
  }

  /** Uniform integer in [0, n) without modulo bias; 1 ≤ n ≤ 2^32. */
  below(n: number): number {
    if (n === 1) return 0;
    // Largest multiple of n that fits in 2^32; draws at or above it are rejected. Written with
    // floor division rather than `%`: the operands pass 2^31, where `%` becomes a slow fmod
    // call; both are exact here (every value is an integer below 2^53).
    const limit = Math.floor(TWO_POW_32 / n) * n;
    for (;;) {
      const u = this.uint32();
      if (u < limit) return u - Math.floor(u / n) * n;
    }
  }
}
