/**
 * The election workload end to end: clean runs pass and leadership moves around; a leader cut
 * off past its session timeout still believes it leads while a successor is elected, which is
 * not reported; a leader whose process dies near the end leaves the liveness check unknown (not
 * illegal); the test-only mutations elect two leaders or leave the line stuck (both caught);
 * seeded fault mixes never yield illegal.
 */
import { describe, expect, it } from 'vitest';
import { electionWorkload } from '../../src/workloads/recipes/clientElection.ts';
import { cleanRun, faultyRun, invokes, isolate, randomFaults, recipeVerdicts, stateTimes } from './recipeHarness.ts';

const announcements = (run: Parameters<typeof invokes>[0]) => invokes(run, 'setData', '/election-leader');

describe('election workload', () => {
  it('clean runs pass both checks, and leadership moves among the clients', async () => {
    for (const seed of [1, 2, 3]) {
      const run = await cleanRun({ kind: 'election', params: { termMs: 100 }, seed, stopMs: 3000, durationMs: 6000, allChecks: seed === 1 });
      expect(recipeVerdicts(run), `seed ${seed}`).toEqual({ 'single-leader': 'ok', 'leader-liveness': 'ok' });
      if (seed === 1) expect([run.checks.zookeeper?.verdict, run.checks.zab?.verdict]).toEqual(['ok', 'ok']);
      const leaders = new Set(announcements(run).map((op) => op.client));
      expect(leaders.size, `seed ${seed}`).toBe(4);
    }
  });

  it('a leader cut off past its session timeout overlaps its successor, and that is not reported', () => {
    let victim: string | undefined;
    const run = faultyRun({ kind: 'election', params: { termMs: 30_000 }, seed: 2, stopMs: 12_000, durationMs: 16_000 }, (sim, outputs) => {
      sim.at(2_000_000, () => {
        victim = outputs.find((o) => o.out.type === 'invoke' && o.out.f === 'setData' && (o.out.value as { path: string }).path === '/election-leader')?.client;
        if (victim !== undefined) isolate(sim, victim, 2000, 7000);
      });
    });
    expect(victim).toBeDefined();
    const expiredAt = stateTimes(run, victim!, 'expired');
    expect(expiredAt).toHaveLength(1);
    // A successor announced itself while the victim (term ≥ 15 s) still believed it led.
    const successor = announcements(run).find((op) => op.client !== victim);
    expect(successor).toBeDefined();
    expect(successor!.time).toBeLessThan(expiredAt[0]!);
    expect(recipeVerdicts(run)).toEqual({ 'single-leader': 'ok', 'leader-liveness': 'ok' });
  });

  it('a leader crashed just before the audits leaves liveness unknown, with the reason', () => {
    const run = faultyRun({ kind: 'election', params: { termMs: 30_000, auditRounds: 2 }, seed: 1, stopMs: 3000, durationMs: 6500 }, (sim, outputs) => {
      sim.at(3_500_000, () => {
        const last = outputs.filter((o) => o.out.type === 'invoke' && o.out.f === 'setData').pop();
        if (last !== undefined) sim.host(last.client).crash();
      });
    });
    // Its session (4 s timeout) outlives the run: its node blocks the line, legitimately.
    const check = run.checks['recipe:leader-liveness']!;
    expect(check.verdict).toBe('unknown');
    expect(check.violations[0]!.message).toMatch(/^no audit round got every answer before the run ended; the last: 5000\.000 ms; c\d leads\? pending; .* waits for \/election\/.* \(present\)/);
    expect(run.checks['recipe:single-leader']!.verdict).toBe('ok');
  });

  it('TEST-ONLY mutation: leading without checking to be lowest elects two leaders', async () => {
    const run = await cleanRun({ kind: 'election', params: { unsafeSkipLowestCheck: true }, seed: 1, stopMs: 2000, durationMs: 4000 });
    const check = run.checks['recipe:single-leader']!;
    expect(check.verdict).toBe('illegal');
    expect(check.violations[0]!.message).toMatch(/both believed they led from .* both sessions were provably alive/);
  });

  it('TEST-ONLY mutation: without watches a resignation wakes no one, and liveness names the stuck candidate', async () => {
    const run = await cleanRun({ kind: 'election', params: { unsafeNoWatch: true, termMs: 100 }, seed: 1, stopMs: 2000, durationMs: 4000 });
    const check = run.checks['recipe:leader-liveness']!;
    expect(check.verdict).toBe('illegal');
    expect(check.violations[0]).toMatchObject({ property: 'lost-wake-up' });
    expect(check.violations[0]!.message).toMatch(/waited from .* for \/election\/c\d\.\d+-\d{10}, which was gone at the audit/);
  });

  it('seeded fault mixes never yield illegal', () => {
    const verdicts: string[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const run = faultyRun({ kind: 'election', params: { auditRounds: 5 }, seed, clients: 5, stopMs: 10_000, durationMs: 16_000 }, (sim) => randomFaults(sim, seed, ['c1', 'c2', 'c3', 'c4', 'c5'], 1000, 9000));
      const v = recipeVerdicts(run);
      expect(Object.values(v), `seed ${seed}`).not.toContain('illegal');
      verdicts.push(...Object.values(v));
    }
    expect(verdicts.filter((v) => v === 'ok').length).toBeGreaterThanOrEqual(10);
  });

  it('validates its parameters strictly, with defaults', () => {
    expect(electionWorkload.parseParams({})).toMatchObject({ termMs: 300, rejoinMs: 50, auditAfterStopMs: 1000, unsafeSkipLowestCheck: false });
    expect(() => electionWorkload.parseParams({ auditRounds: 0 })).toThrow();
    expect(() => electionWorkload.parseParams({ leaders: 2 })).toThrow(/leaders/);
  });
});
