/**
 * fast-check arbitraries for property-based runs: a register op mix and a fault plan. A property
 * over them ("every check passes") lets fast-check search for a failing run and shrink it — to
 * fewer faults, earlier and shorter, simpler targets, a plainer op mix — so the counterexample
 * it reports is a handful of events a person can read. Runs stay deterministic: the run's own
 * seed is part of the generated value.
 */
import fc from 'fast-check';
import type { FaultPlanEntry, TargetSpec } from '../faults/spec.ts';
import type { RegisterParams } from './register.ts';

/** A register op mix; reads + compare-and-sets never exceed 100 %. */
export const registerMixArb: fc.Arbitrary<RegisterParams> = fc
  .record({
    keys: fc.integer({ min: 1, max: 4 }),
    opIntervalMs: fc.integer({ min: 5, max: 40 }),
    readPercent: fc.integer({ min: 0, max: 90 }),
    casPercent: fc.integer({ min: 0, max: 60 }),
    syncPercent: fc.integer({ min: 0, max: 50 }),
  })
  .map((m) => ({ ...m, casPercent: Math.min(m.casPercent, 100 - m.readPercent), valuePrefix: '' }));

/** One fault of a generated plan, before it becomes a {@link FaultPlanEntry}. */
export interface PlannedFault {
  kind: 'crash' | 'partition' | 'pause' | 'loss' | 'clock-skew';
  target: 'leader' | 'random-follower' | 'random' | 'minority-with-leader';
  atMs: number;
  durationMs: number;
}

/** Faults between `fromMs` and `untilMs`, each undone by `untilMs`; shrinks toward fewer, earlier, shorter. */
export function faultPlanArb(fromMs: number, untilMs: number, maxFaults = 5): fc.Arbitrary<PlannedFault[]> {
  const fault = fc
    .record({
      kind: fc.constantFrom<PlannedFault['kind']>('crash', 'partition', 'pause', 'loss', 'clock-skew'),
      target: fc.constantFrom<PlannedFault['target']>('leader', 'random-follower', 'random', 'minority-with-leader'),
      atMs: fc.integer({ min: fromMs, max: untilMs - 100 }),
      durationMs: fc.integer({ min: 100, max: untilMs - fromMs }),
    })
    .map((f) => ({ ...f, durationMs: Math.max(100, Math.min(f.durationMs, untilMs - f.atMs)) }));
  return fc.array(fault, { maxLength: maxFaults });
}

/** The injector's plan for generated faults. */
export function toPlan(faults: readonly PlannedFault[]): FaultPlanEntry[] {
  return faults.map((f, i) => {
    const name = `${f.kind}-${i + 1}`;
    const trigger = { type: 'at' as const, atUs: f.atMs * 1000 };
    const durationUs = f.durationMs * 1000;
    const target: TargetSpec = f.target;
    switch (f.kind) {
      case 'crash':
        return { name, action: { kind: 'crash', target, disk: 'lose-unsynced' }, trigger, durationUs };
      case 'partition':
        return { name, action: { kind: 'partition', groups: [target, 'rest'] }, trigger, durationUs };
      case 'pause':
        return { name, action: { kind: 'pause', target }, trigger, durationUs };
      case 'loss':
        return { name, action: { kind: 'loss', perMille: 100, from: target, to: 'all', oneWay: false }, trigger, durationUs };
      case 'clock-skew':
        return { name, action: { kind: 'clock-skew', target, byUs: 2_000_000 }, trigger, durationUs };
    }
  });
}
