/**
 * Timing shared by the recipe workloads: drawn think/hold times, and the end-of-run audit
 * rounds (recipes check "eventually" properties by asking the clients themselves once the
 * workload has stopped issuing new work, since a workload cannot see the servers).
 */
import { z } from 'zod';
import type { WorkloadContext } from '../workload.ts';

/** Audit parameters, spread into each recipe's parameter schema. */
export const auditParams = {
  /** First audit round, this long after the workload stops. */
  auditAfterStopMs: z.number().nonnegative().default(1000),
  /** How many rounds, and how far apart (the last complete round decides). */
  auditRounds: z.number().int().min(1).max(100).default(3),
  auditIntervalMs: z.number().positive().default(1000),
};

export interface AuditTiming {
  auditAfterStopMs: number;
  auditRounds: number;
  auditIntervalMs: number;
}

/** A duration (µs) drawn uniformly from [mean/2, 3·mean/2] on the workload stream. */
export function drawAroundUs(ctx: WorkloadContext, meanMs: number): number {
  const meanUs = Math.round(meanMs * 1000);
  return ctx.rng.range(Math.ceil(meanUs / 2), Math.max(Math.ceil(meanUs / 2), Math.floor((meanUs * 3) / 2)));
}

/** When the first audit round starts (µs). */
export function firstAuditUs(ctx: WorkloadContext, t: AuditTiming): number {
  return ctx.stopAtUs + Math.round(t.auditAfterStopMs * 1000);
}

/** Schedules `round(k)` for each audit round k (0-based). */
export function scheduleAudits(ctx: WorkloadContext, t: AuditTiming, round: (k: number) => void): void {
  const first = firstAuditUs(ctx, t);
  for (let k = 0; k < t.auditRounds; k++) ctx.at(Math.max(ctx.nowUs(), first + Math.round(k * t.auditIntervalMs * 1000)), () => round(k));
}
