/**
 * Goal: property-based runs find real bugs and shrink them to something readable. On the clean
 * engine, random op mixes under random fault plans pass every check; with a planted engine bug
 * (commit after one ack) fast-check finds a failing run and shrinks it to a plan of at most two
 * faults that still fails when run again from its seed.
 * Method: fast-check over (seed, op mix, fault plan) → a short zab-system run → its verdicts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineMutation } from '../../src/engine/zab/config.ts';
import { faultPlanArb, registerMixArb, toPlan, type PlannedFault } from '../../src/workloads/arbitraries.ts';
import type { RegisterParams } from '../../src/workloads/register.ts';
import { runZab, zabParams } from '../run/zabParams.ts';

async function failures(seed: number, mix: RegisterParams, faults: PlannedFault[], mutations: EngineMutation[] = []): Promise<string[]> {
  const params = zabParams({
    cluster: { servers: 3, observers: [], tickTimeMs: 500, initLimit: 10, syncLimit: 4, snapCount: 100_000 },
    clients: { count: 3, sessionTimeoutMs: 6_000, requestTimeoutMs: 1_500 },
    workload: { kind: 'register', params: mix },
    workloadStopMs: 6_000,
    faults: toPlan(faults),
    mutations,
  });
  const r = await runZab(params, seed, 8_000);
  return Object.entries(r.outcome.checks!).flatMap(([name, c]) => (c.verdict === 'ok' ? [] : [`${name}: ${c.violations.map((v) => v.property).join(', ') || c.verdict}`]));
}

const runArb = fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), registerMixArb, faultPlanArb(1_000, 5_000));

describe('property-based runs', () => {
  it('clean engine: any op mix under any fault plan passes every check', async () => {
    await fc.assert(
      fc.asyncProperty(runArb, async ([seed, mix, faults]) => {
        expect(await failures(seed, mix, faults)).toEqual([]);
      }),
      { numRuns: 12, seed: 5 },
    );
  });

  it('commit-after-one-ack: fast-check finds a failing run and shrinks it to at most two faults', async () => {
    const out = await fc.check(
      fc.asyncProperty(runArb, async ([seed, mix, faults]) => (await failures(seed, mix, faults, ['commit-after-one-ack'])).length === 0),
      { numRuns: 40, seed: 3, endOnFailure: false, maxSkipsPerRun: 0 },
    );
    expect(out.failed).toBe(true);
    const [[seed, mix, faults]] = out.counterexample!;
    expect(faults.length).toBeLessThanOrEqual(2);
    // The shrunk case is a real, reproducible failure.
    expect(await failures(seed, mix, faults, ['commit-after-one-ack'])).not.toEqual([]);
    expect(await failures(seed, mix, faults)).toEqual([]);
  });
});
