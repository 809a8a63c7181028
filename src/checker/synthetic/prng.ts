/**
 * Small, fast, integer-only PRNG (Mulberry32) for the synthetic history generators: the whole
 * stream follows from the seed, so a generated history is the same in every run.
 */
export function prng(seed: number): (n: number) => number {
  let a = seed | 0;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}
