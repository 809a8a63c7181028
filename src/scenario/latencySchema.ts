/** A link latency distribution as scenarios write it (µs), shared by every scenario kind. */
import { z } from 'zod';
import { latencyUs } from './limits.ts';

export const latencySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant'), us: latencyUs }),
  z.strictObject({ kind: z.literal('uniform'), minUs: latencyUs, maxUs: latencyUs }),
  z.strictObject({ kind: z.literal('exponential'), minUs: latencyUs, meanUs: latencyUs }),
]);
