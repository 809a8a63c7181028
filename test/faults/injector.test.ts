/**
 * Goal: the fault injector fires each trigger kind when it should, resolves role targets at the
 * moment of firing, undoes a fault after its duration, records every firing in the trace, and
 * reports a trigger that never fired instead of passing silently.
 * Method: short zab-system runs (3 servers, register workload) with hand-written plans; the
 * records and the trace's `fault` events are compared with what the plan asked for.
 */
import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../../src/faults/record.ts';
import type { FaultPlanEntry } from '../../src/faults/spec.ts';
import { EffectBoundary } from '../../src/sim/host/effectBoundary.ts';
import { runZab, zabParams } from '../run/zabParams.ts';

const records = async (faults: FaultPlanEntry[], seed = 1, durationMs = 7000) => {
  const r = await runZab(zabParams({ faults }), seed, durationMs);
  return { faults: r.outcome.faults as FaultRecord[], outcome: r.outcome };
};

describe('triggers', () => {
  it('at: fires at its virtual time, and a duration undoes it', async () => {
    const { faults } = await records([{ name: 'p', action: { kind: 'pause', target: 'leader' }, trigger: { type: 'at', atUs: 2_000_000 }, durationUs: 500_000 }]);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ name: 'p', fired: true, atMs: 2000, endMs: 2500, phase: 'broadcast' });
    expect(faults[0]!.resolvedTo).toHaveLength(1);
  });

  it('after: fires its delay after the named fault, each time it fires', async () => {
    const { faults } = await records([
      { name: 'c', action: { kind: 'crash', target: 'random-follower', disk: 'lose-unsynced' }, trigger: { type: 'every', periodUs: 1_500_000, startUs: 1_000_000, times: 2 } },
      { name: 'r', action: { kind: 'restart', target: 'down' }, trigger: { type: 'after', fault: 'c', delayUs: 300_000 } },
    ]);
    const at = (name: string) => faults.filter((f) => f.name === name).map((f) => f.atMs);
    expect(at('c')).toEqual([1000, 2500]);
    expect(at('r')).toEqual([1300, 2800]);
    // The restart brought back exactly what the crash took down.
    for (const k of [0, 1]) expect(faults.filter((f) => f.name === 'r')[k]!.resolvedTo).toEqual(faults.filter((f) => f.name === 'c')[k]!.resolvedTo);
  });

  it('when: fires on the nth matching protocol event, inside the phase it names', async () => {
    const { faults } = await records([
      { name: 'w', action: { kind: 'crash', target: 'leader', disk: 'lose-unsynced' }, trigger: { type: 'when', condition: { sent: 'COMMIT', from: 'leader' }, nth: 3, times: 1, delayUs: 0, startUs: 1_000_000 } },
    ]);
    expect(faults).toHaveLength(1);
    expect(faults[0]!.cause).toMatch(/^sent COMMIT 0x[0-9a-f]+ n\d→n\d$/);
    expect(faults[0]!.phase).toBe('broadcast');
    expect(faults[0]!.atMs).toBeGreaterThanOrEqual(1000);
  });

  it('a trigger that never fires is reported with the reason', async () => {
    const { faults } = await records([
      { name: 'late', action: { kind: 'heal' }, trigger: { type: 'at', atUs: 60_000_000 } },
      { name: 'never', action: { kind: 'heal' }, trigger: { type: 'when', condition: { phase: 'TRUNC' }, nth: 1, times: 1, delayUs: 0, startUs: 0 } },
      { name: 'orphan', action: { kind: 'heal' }, trigger: { type: 'after', fault: 'never', delayUs: 0 } },
    ]);
    expect(faults.map((f) => [f.name, f.fired, f.reason])).toEqual([
      ['late', false, 'the run ended before 60000 ms'],
      ['never', false, 'no event matched {"phase":"TRUNC"}'],
      ['orphan', false, 'fault "never" never fired'],
    ]);
  });

  it('keepQuorum skips a crash that would take the last quorum down, and says so', async () => {
    const r = await runZab(
      zabParams({
        keepQuorum: true,
        faults: [
          { name: 'a', action: { kind: 'crash', target: 'leader', disk: 'lose-unsynced' }, trigger: { type: 'at', atUs: 1_000_000 } },
          { name: 'b', action: { kind: 'crash', target: 'random', disk: 'lose-unsynced' }, trigger: { type: 'at', atUs: 1_100_000 } },
        ],
      }),
      3,
    );
    const b = (r.outcome.faults as FaultRecord[]).find((f) => f.name === 'b')!;
    expect(b.skipped).toMatch(/^keepQuorum: only 1 of 3 participants would remain/);
  });

  it('the same plan and seed give the same firings and trace', async () => {
    const plan: FaultPlanEntry[] = [{ name: 's', swarm: { startUs: 1_000_000, untilUs: 4_000_000, kinds: ['crash', 'partition', 'pause', 'clock-skew'], count: { min: 3, max: 5 }, maxDurationUs: 1_000_000 } }];
    const a = await runZab(zabParams({ faults: plan }), 9);
    const b = await runZab(zabParams({ faults: plan }), 9);
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.outcome.faults).toEqual(b.outcome.faults);
    const c = await runZab(zabParams({ faults: plan }), 10);
    expect(c.outcome.faults).not.toEqual(a.outcome.faults);
  });
});

describe('EffectBoundary', () => {
  it('runs an action at once outside an effect, and right after the effect inside one', () => {
    const b = new EffectBoundary();
    // What the host does around each effect it applies.
    const apply = (effect: () => void) => {
      b.enter();
      try {
        effect();
      } finally {
        b.leave();
      }
      b.flush();
    };
    const log: string[] = [];
    b.run(() => log.push('outside'));
    apply(() => {
      log.push('effect starts');
      b.run(() => log.push('deferred'));
      apply(() => b.run(() => log.push('nested')));
      log.push('effect ends');
    });
    expect(log).toEqual(['outside', 'effect starts', 'effect ends', 'deferred', 'nested']);
  });
});
