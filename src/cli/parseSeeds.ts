import { parseSeed, seedExpectation } from '../scenario/runFolder.ts';
import { UsageError } from './exitCodes.ts';

const MAX_SEEDS = 100_000;

/** Parses `--seed N` into its canonical decimal form. */
export function parseSeedFlag(text: string): string {
  const seed = parseSeed(text);
  if (seed === undefined) throw new UsageError(`--seed: ${seedExpectation(text)}`);
  return seed;
}

/** Parses `A..B` into the list of integer seeds A..B inclusive. */
export function parseSeeds(range: string): string[] {
  const m = /^(\d+)\.\.(\d+)$/.exec(range);
  if (m === null) throw new UsageError(`--seeds expects A..B with integers A ≤ B, got ${JSON.stringify(range)}`);
  const a = Number(m[1]);
  const b = Number(m[2]);
  // Beyond 2^53 the range below would skip or repeat seeds.
  if (!Number.isSafeInteger(b)) throw new UsageError(`--seeds ${range}: the end must be at most ${Number.MAX_SAFE_INTEGER}`);
  if (b < a) throw new UsageError(`--seeds ${range}: the end is before the start`);
  if (b - a + 1 > MAX_SEEDS) throw new UsageError(`--seeds ${range}: at most ${MAX_SEEDS} seeds at once`);
  return Array.from({ length: b - a + 1 }, (_, i) => String(a + i));
}
