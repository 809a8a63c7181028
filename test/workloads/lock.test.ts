/**
 * The lock workload end to end on a 3-server ensemble: clean runs pass both checks; a holder
 * cut off past its session timeout keeps believing while another client takes the lock, which
 * session semantics explain (not reported); the test-only mutations make each check fail;
 * seeded fault mixes never produce an `illegal`; parameters are validated.
 */
import { describe, expect, it } from 'vitest';
import { lockWorkload } from '../../src/workloads/recipes/lock.ts';
import { cleanRun, faultyRun, invokes, isolate, randomFaults, recipeVerdicts, stateTimes } from './recipeHarness.ts';

const CLIENTS = ['c1', 'c2', 'c3', 'c4'];

describe('lock workload', () => {
  it('clean runs pass mutual exclusion and no lost wake-up, with real contention', async () => {
    for (const seed of [1, 2, 3]) {
      const run = await cleanRun({ kind: 'lock', seed, stopMs: 3000, durationMs: 5000, allChecks: seed === 1 });
      expect(recipeVerdicts(run), `seed ${seed}`).toEqual({ 'mutual-exclusion': 'ok', 'no-lost-wakeup': 'ok' });
      if (seed === 1) expect([run.checks.zookeeper?.verdict, run.checks.zab?.verdict]).toEqual(['ok', 'ok']);
      // Every client took the lock many times, and some had to wait on a predecessor's watch.
      const holders = invokes(run, 'setData', '/lock-resource').map((op) => op.client);
      for (const c of CLIENTS) expect(holders.filter((h) => h === c).length, `seed ${seed} ${c}`).toBeGreaterThan(10);
      expect(run.history.some((op) => op.type === 'invoke' && op.f === 'exists' && (op.value as { watch?: boolean }).watch === true)).toBe(true);
    }
  });

  it('a holder cut off past its session timeout overlaps the next holder, and that is not reported', () => {
    let victim: string | undefined;
    let victimSince = 0;
    // Holds last 10–30 s: the first holder still holds at 2 s, and still believes when its
    // session has expired and another client has taken the lock.
    const run = faultyRun({ kind: 'lock', params: { holdMs: 20_000 }, seed: 4, stopMs: 14_000, durationMs: 20_000 }, (sim, outputs) => {
      sim.at(2_000_000, () => {
        const first = outputs.find((o) => o.out.type === 'invoke' && o.out.f === 'setData');
        victim = first?.client;
        victimSince = first?.t ?? 0;
        if (victim !== undefined) isolate(sim, victim, 2000, 8000);
      });
    });
    expect(victim).toBeDefined();
    const expiredAt = stateTimes(run, victim!, 'expired');
    expect(expiredAt).toHaveLength(1);
    const next = invokes(run, 'setData', '/lock-resource').find((op) => op.client !== victim);
    // Another client took the lock while the victim still believed it held it: after its
    // session timed out, before the victim heard of the expiry and before its hold could end.
    expect(next).toBeDefined();
    expect(next!.time).toBeGreaterThan(6_000_000);
    expect(next!.time).toBeLessThan(Math.min(expiredAt[0]!, victimSince + 10_000_000));
    expect(recipeVerdicts(run)).toEqual({ 'mutual-exclusion': 'ok', 'no-lost-wakeup': 'ok' });
  });

  it('TEST-ONLY mutation: taking the lock without checking to be lowest breaks mutual exclusion', async () => {
    const run = await cleanRun({ kind: 'lock', params: { unsafeSkipLowestCheck: true }, seed: 1, stopMs: 2000, durationMs: 4000 });
    const check = run.checks['recipe:mutual-exclusion']!;
    expect(check.verdict).toBe('illegal');
    expect(check.violations[0]!.property).toBe('mutual-exclusion');
    expect(check.violations[0]!.message).toMatch(/both held the lock from .* both sessions were provably alive/);
  });

  it('TEST-ONLY mutation: waiting without a watch is a lost wake-up', async () => {
    const run = await cleanRun({ kind: 'lock', params: { unsafeNoWatch: true }, seed: 1, stopMs: 2000, durationMs: 4000 });
    expect(recipeVerdicts(run)).toEqual({ 'mutual-exclusion': 'ok', 'no-lost-wakeup': 'illegal' });
    expect(run.checks['recipe:no-lost-wakeup']!.violations[0]!.message).toMatch(/waited from .* for \/lock\/c\d\.\d+-\d{10}, which was gone at the audit/);
  });

  it('seeded fault mixes (isolations, crashes, server failures) never yield illegal', () => {
    const verdicts: string[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const run = faultyRun({ kind: 'lock', params: { holdMs: 200 }, seed, clients: 5, stopMs: 10_000, durationMs: 16_000 }, (sim) => randomFaults(sim, seed, ['c1', 'c2', 'c3', 'c4', 'c5'], 1000, 9000));
      const v = recipeVerdicts(run);
      expect(v['mutual-exclusion'], `seed ${seed}`).not.toBe('illegal');
      expect(v['no-lost-wakeup'], `seed ${seed}`).not.toBe('illegal');
      verdicts.push(v['mutual-exclusion']!, v['no-lost-wakeup']!);
    }
    // The faults did not make the checks give up across the board.
    expect(verdicts.filter((v) => v === 'ok').length).toBeGreaterThanOrEqual(10);
  });

  it('a run that ends before the audit leaves the lost-wake-up check unknown', async () => {
    const run = await cleanRun({ kind: 'lock', seed: 1, stopMs: 1500, durationMs: 2000 });
    expect(run.checks['recipe:no-lost-wakeup']).toMatchObject({ verdict: 'unknown', violations: [{ property: 'undecided', message: 'the run ended before the first audit (2500.000 ms)' }] });
  });

  it('validates its parameters strictly, with defaults', () => {
    expect(lockWorkload.parseParams(undefined)).toMatchObject({ holdMs: 20, thinkMs: 20, writeWhileHolding: true, auditRounds: 3, unsafeSkipLowestCheck: false });
    expect(() => lockWorkload.parseParams({ holdMs: -1 })).toThrow();
    expect(() => lockWorkload.parseParams({ holdMS: 5 })).toThrow(/holdMS/);
  });
});
