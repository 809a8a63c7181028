/** A link latency distribution as scenarios write it (µs), shared by every scenario kind. */
import { z } from 'zod';

const nonNegInt = z.number().int().nonnegative();

export const latencySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant'), us: nonNegInt }),
  z.strictObject({ kind: z.literal('uniform'), minUs: nonNegInt, maxUs: nonNegInt }),
  z.strictObject({ kind: z.literal('exponential'), minUs: nonNegInt, meanUs: nonNegInt }),
]);
