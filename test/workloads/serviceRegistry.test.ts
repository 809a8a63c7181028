/**
 * The registry workload end to end: clean runs pass, with members leaving; a killed member's
 * node goes when its session expires, and a member restarted on a new session waits for its old
 * node to go before registering again — both end exact; the test-only mutation (no re-watch)
 * leaves the watcher's view stale and is caught; seeded fault mixes never yield illegal.
 */
import { describe, expect, it } from 'vitest';
import { registryWorkload } from '../../src/workloads/recipes/serviceRegistry.ts';
import { cleanRun, faultyRun, type RecipeRun, randomFaults, recipeVerdicts } from './recipeHarness.ts';

/** The audits' listings (getChildren without a watch), in order; a process has one op at a time. */
const finalListings = (run: RecipeRun) => {
  const pending = new Map<number, boolean>();
  const out: string[][] = [];
  for (const op of run.history) {
    if (op.type === 'invoke') pending.set(op.process, op.f === 'getChildren' && (op.value as { watch?: boolean }).watch !== true);
    else if (op.type === 'ok' && pending.get(op.process)) out.push((op.value as { children: string[] }).children);
  }
  return out;
};
const closedOk = (run: RecipeRun) => run.history.filter((op) => op.type === 'ok' && op.f === 'close').map((op) => op.client as string);

describe('registry workload', () => {
  it('clean runs end with exact membership, members having left', async () => {
    let left = 0;
    for (const seed of [1, 2, 3, 4]) {
      const run = await cleanRun({ kind: 'registry', params: { leavePercent: 50 }, seed, clients: 5, stopMs: 3000, durationMs: 5500, allChecks: seed === 1 });
      expect(recipeVerdicts(run), `seed ${seed}`).toEqual({ membership: 'ok' });
      if (seed === 1) expect([run.checks.zookeeper?.verdict, run.checks.zab?.verdict]).toEqual(['ok', 'ok']);
      const gone = closedOk(run);
      left += gone.length;
      const last = finalListings(run).pop();
      expect(last, `seed ${seed}`).toEqual(['c1', 'c2', 'c3', 'c4'].filter((c) => !gone.includes(c)));
    }
    expect(left).toBeGreaterThan(0);
  });

  it('a killed member disappears at expiry; a restarted one re-registers once its old node is gone', () => {
    const run = faultyRun({ kind: 'registry', params: { leavePercent: 0, auditRounds: 4 }, seed: 3, clients: 4, stopMs: 6000, durationMs: 11_000 }, (sim) => {
      sim.at(1_500_000, () => sim.host('c1').crash()); // killed for good
      sim.at(2_000_000, () => sim.host('c2').crash());
      sim.at(2_500_000, () => sim.host('c2').start()); // back, on a new session
    });
    expect(recipeVerdicts(run)).toEqual({ membership: 'ok' });
    expect(finalListings(run).pop()).toEqual(['c2', 'c3']);
    // c2's new session first found its old node (another owner), then registered after it went.
    const c2 = run.history.filter((op) => op.client === 'c2' && op.type !== 'invoke' && op.time > 2_500_000);
    const firstCreate = c2.find((op) => op.f === 'create' && op.error !== 'NODEEXISTS' && op.type === 'ok' && (op.value as { path: string }).path === '/servers/c2');
    expect(c2.some((op) => op.f === 'create' && op.error === 'NODEEXISTS')).toBe(true);
    expect(firstCreate).toBeDefined();
    expect(firstCreate!.time).toBeGreaterThan(2_000_000 + 4_000_000); // after the old session's 4 s timeout
  });

  it('TEST-ONLY mutation: a watcher that does not re-watch ends with a stale view, and is caught', async () => {
    let caught = 0;
    for (const seed of [1, 2, 3]) {
      const run = await cleanRun({ kind: 'registry', params: { unsafeNoRewatch: true, leavePercent: 50 }, seed, clients: 5, stopMs: 3000, durationMs: 5500 });
      const check = run.checks['recipe:membership']!;
      if (check.verdict === 'illegal') caught++;
      for (const v of check.violations) expect(v.property).toBe('watcher-view');
    }
    expect(caught).toBeGreaterThanOrEqual(2);
  });

  it('seeded fault mixes never yield illegal', () => {
    const verdicts: string[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const run = faultyRun({ kind: 'registry', params: { auditRounds: 5 }, seed, clients: 5, stopMs: 10_000, durationMs: 16_000 }, (sim) => randomFaults(sim, seed, ['c1', 'c2', 'c3', 'c4', 'c5'], 1000, 9000));
      const v = recipeVerdicts(run).membership!;
      expect(v, `seed ${seed}: ${JSON.stringify(run.checks['recipe:membership']?.violations)}`).not.toBe('illegal');
      verdicts.push(v);
    }
    expect(verdicts.filter((v) => v === 'ok').length).toBeGreaterThanOrEqual(4);
  });

  it('validates its parameters strictly, with defaults', () => {
    expect(registryWorkload.parseParams(undefined)).toMatchObject({ watchers: 1, leavePercent: 30, heartbeatMs: 200, unsafeNoRewatch: false });
    expect(() => registryWorkload.parseParams({ leavePercent: 101 })).toThrow();
    expect(() => registryWorkload.parseParams({ watcher: 1 })).toThrow(/watcher/);
  });
});
