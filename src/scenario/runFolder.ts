/**
 * The two names that make a run's folder, `<out>/<scenario>/<seed>/`. A seed is a non-negative
 * decimal integer, as users write it; anything else — a path, an empty string, a newline — must
 * be refused before it reaches the file system, and `0x10` must not quietly be a different run
 * from `16`. Leading zeros are dropped so `016` and `16` name the same run.
 */
import { z } from 'zod';

/** The longest seed accepted, in digits: 2^64 has 20, and no one types more. */
export const MAX_SEED_DIGITS = 20;

/** The canonical form of a seed written as `text`, or undefined when it is not a seed. */
export function parseSeed(text: string): string | undefined {
  if (!/^[0-9]+$/.test(text) || text.length > MAX_SEED_DIGITS) return undefined;
  return BigInt(text).toString();
}

/** What a bad seed is told, e.g. `--seed: expected a non-negative decimal integer, got "0x10"`. */
export function seedExpectation(text: string): string {
  return `expected a non-negative decimal integer of at most ${MAX_SEED_DIGITS} digits, got ${JSON.stringify(text)}`;
}

/** A scenario's `seed:`: a safe integer, or its decimal text (canonicalised). */
export const seedSchema = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).transform(String),
  z.string().refine((s) => parseSeed(s) !== undefined, { message: 'expected a non-negative decimal integer' }).transform((s) => parseSeed(s)!),
]);

/** A scenario's `name:`: file-name-safe, and not `.` or `..`, which would leave the output folder. */
export const scenarioNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, 'expected a file-name-safe name (letters, digits, ".", "_", "-")')
  .refine((s) => !/^\.+$/.test(s), { message: 'expected a name that is not only dots' });
