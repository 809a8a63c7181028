/**
 * The master–worker recipe: clean runs (also with the master cut off until its session
 * expires, and with held replies) pass; the checks report planted double masters, double
 * assignments and lost tasks, and accept what a zombie master or indeterminate writes
 * explain; a master that assigns without multi and a candidate that takes NODEEXISTS for
 * winning are caught.
 */
import { describe, expect, it } from 'vitest';
import { masterWorkerWorkload } from '../../src/workloads/recipes/masterWorker.ts';
import { type MasterClaim, type TaskAudit, checkMasterWorker } from '../../src/workloads/recipes/masterWorkerCheck.ts';
import { HistoryBuilder, type OpSpec, factsOf } from './recipeHistory.ts';
import { all, holdReplies, isolate, runRecipe, verdicts } from './recipeRunner.ts';

const OK = { 'single-master': 'ok', 'task-assignment': 'ok', 'task-completion': 'ok' };

describe('master-worker workload runs', () => {
  it('clean runs pass over several seeds, and tasks get done', () => {
    for (const seed of [1, 2, 3]) {
      const run = runRecipe({ kind: 'master-worker', seed, clients: 3 });
      expect(verdicts(run), `seed ${seed}`).toEqual(OK);
      const done = run.outcome.history!.filter((o) => o.f === 'multi' && o.type === 'ok' && JSON.stringify(o.value).includes('"/status/'));
      expect(done.length).toBeGreaterThan(100);
    }
  });

  it('a master cut off until its session expires is succeeded without a violation', () => {
    // c1 wins /master in these seeds; cut off, it still believes until it hears of the expiry.
    for (const seed of [1, 2]) {
      const run = runRecipe({ kind: 'master-worker', seed, clients: 4, sessionTimeoutMs: 4000, stopMs: 8000, durationMs: 11_000, faults: all(isolate('c1', 1000, 8500), holdReplies('c2', 2000, 5200)) });
      expect(run.states).toContain('c1 expired');
      const masters = run.outcome.history!.filter((o) => o.f === 'create' && o.type === 'ok' && (o.value as { path?: string }).path === '/master');
      expect(masters.length).toBe(2);
      expect(verdicts(run), `seed ${seed}`).toEqual(OK);
    }
  });

  it('a master that assigns without multi and a candidate that takes NODEEXISTS for winning are caught', () => {
    const noMulti = runRecipe({ kind: 'master-worker', params: { bug: 'no-multi' }, seed: 1, clients: 3 });
    expect(noMulti.checks['task-assignment']!.violations.map((v) => v.property)).toContain('double-assignment');
    const usurper = runRecipe({ kind: 'master-worker', params: { bug: 'nodeexists-is-master' }, seed: 1, clients: 3 });
    expect(usurper.checks['single-master']!.violations.map((v) => v.property)).toContain('two-masters');
  });

  it('validates its parameters', () => {
    expect(masterWorkerWorkload.parseParams({})).toMatchObject({ submitIntervalMs: 100, bug: 'none' });
    expect(() => masterWorkerWorkload.parseParams({ bug: 'other' })).toThrow();
  });
});

// Hand-written histories. Sessions: sA (c1), sB (c2); workers wA, wB.
const A = { client: 'c1', session: 'sA' };
const B = { client: 'c2', session: 'sB' };
const write = (who: typeof A, call: number): OpSpec => ({ ...who, f: 'setData', value: { path: '/x', data: 'x', version: -1 }, type: 'ok', out: { version: 1 }, call, ret: call + 5 });
const claim = (who: typeof A, sinceUs: number): MasterClaim => ({ ...who, sinceUs, how: 'created' });
const submit = (n: number, call: number, type: 'ok' | 'info' = 'ok'): OpSpec => ({ ...A, f: 'create', value: { path: '/tasks/task-', data: `c1#${n}` }, type, out: type === 'ok' ? { path: `/tasks/task-${n}` } : null, call, ret: call + 5, zxid: 100 + n });
const move = (who: typeof A, ops: { op: string; path: string }[], type: 'ok' | 'info' | 'fail', call: number, zxid?: number): OpSpec => ({ ...who, f: 'multi', value: { ops }, type, out: null, call, ret: call + 5, ...(zxid !== undefined ? { zxid } : {}) });
const assignOps = (w: string, t: string) => [{ op: 'create', path: `/assign/${w}/${t}` }, { op: 'delete', path: `/tasks/${t}` }];
const finishOps = (w: string, t: string) => [{ op: 'create', path: `/status/${t}` }, { op: 'delete', path: `/assign/${w}/${t}` }];
const audit = (a: Partial<TaskAudit>): TaskAudit => ({ client: 'c1', syncOk: true, syncInvokeUs: 1000, atUs: 1010, tasks: [], assigned: {}, status: [], ...a });

function check(h: HistoryBuilder, claims: MasterClaim[], a: TaskAudit | undefined, ended: Record<string, number> = {}) {
  const [master, assignment, completion] = checkMasterWorker(h.ops, factsOf(h.ops, ended), claims, a);
  return { master: master!, assignment: assignment!, completion: completion! };
}

describe('master-worker checks on hand-written histories', () => {
  it('reports two masters whose sessions both prove alive after the second claim', () => {
    const h = new HistoryBuilder().op(write(A, 50)).op(write(B, 250)).op(write(A, 300));
    const r = check(h, [claim(A, 100), claim(B, 200)], audit({}));
    expect(r.master.verdict).toBe('illegal');
    expect(r.master.violations[0]!.property).toBe('two-masters');
  });

  it('accepts a zombie master: no write of its session succeeds after the new master took over', () => {
    // sA was master, went silent (expired); sB became master and writes. sA's failed write proves nothing.
    const h = new HistoryBuilder()
      .op(write(A, 50))
      .op({ ...write(A, 260), type: 'fail', error: 'SESSIONEXPIRED' })
      .op(write(B, 250));
    expect(check(h, [claim(A, 100), claim(B, 200)], audit({}), { sA: 400 }).master.verdict).toBe('ok');
    // A write of sA invoked before B's claim does not place sA after it either.
    const early = new HistoryBuilder().op(write(A, 150)).op(write(B, 250));
    expect(check(early, [claim(A, 100), claim(B, 200)], audit({})).master.verdict).toBe('ok');
  });

  it('reports a task assigned to a second worker while the first assignment stands', () => {
    const h = new HistoryBuilder().op(submit(1, 10)).op(move(A, assignOps('wA', 'task-1'), 'ok', 20, 110)).op({ ...A, f: 'create', value: { path: '/assign/wB/task-1' }, type: 'ok', out: { path: '/assign/wB/task-1' }, call: 30, ret: 35, zxid: 112 });
    const r = check(h, [], audit({ assigned: { wA: ['task-1'], wB: ['task-1'] } }));
    expect(r.assignment.violations.map((v) => v.property)).toEqual(['double-assignment']);
  });

  it('accepts a reassignment after the first one was removed, or may have been by an indeterminate write', () => {
    const removed = new HistoryBuilder()
      .op(submit(1, 10))
      .op(move(A, assignOps('wA', 'task-1'), 'ok', 20, 110))
      .op(move(A, [{ op: 'create', path: '/tasks/task-1' }, { op: 'delete', path: '/assign/wA/task-1' }], 'ok', 30, 111))
      .op(move(A, assignOps('wB', 'task-1'), 'ok', 40, 112));
    expect(check(removed, [], audit({ assigned: { wB: ['task-1'] } })).assignment.verdict).toBe('ok');
    const maybe = new HistoryBuilder()
      .op(submit(1, 10))
      .op(move(A, assignOps('wA', 'task-1'), 'ok', 20, 110))
      .op(move(B, finishOps('wA', 'task-1'), 'info', 25))
      .op(move(A, assignOps('wB', 'task-1'), 'ok', 40, 112));
    expect(check(maybe, [], audit({ assigned: { wB: ['task-1'] } })).assignment.verdict).toBe('ok');
    // An indeterminate removal invoked only after the second assignment completed cannot explain it.
    const tooLate = new HistoryBuilder()
      .op(submit(1, 10))
      .op(move(A, assignOps('wA', 'task-1'), 'ok', 20, 110))
      .op(move(A, assignOps('wB', 'task-1'), 'ok', 40, 112))
      .op(move(B, finishOps('wA', 'task-1'), 'info', 60));
    expect(check(tooLate, [], audit({ assigned: { wB: ['task-1'] } })).assignment.verdict).toBe('illegal');
  });

  it('accepts tasks completed or pending, and reports an acknowledged task found nowhere', () => {
    const h = new HistoryBuilder()
      .op(submit(1, 10))
      .op(submit(2, 20))
      .op(submit(3, 30))
      .op(move(A, assignOps('wA', 'task-1'), 'ok', 40, 110))
      .op(move(B, finishOps('wA', 'task-1'), 'ok', 50, 111))
      .op(move(A, assignOps('wB', 'task-2'), 'ok', 60, 112));
    expect(check(h, [], audit({ status: ['task-1'], assigned: { wB: ['task-2'] }, tasks: ['task-3'] })).completion.verdict).toBe('ok');
    const lost = check(h, [], audit({ status: ['task-1'], tasks: ['task-3'] })).completion;
    expect(lost.violations.map((v) => v.property)).toEqual(['lost-task']);
    expect(lost.violations[0]!.message).toContain('task-2');
  });

  it('is unknown for a missing task an indeterminate write touched or a late write moved, and without an audit', () => {
    const h = new HistoryBuilder().op(submit(1, 10)).op(move(A, assignOps('wA', 'task-1'), 'info', 40));
    expect(check(h, [], audit({})).completion.verdict).toBe('unknown');
    const late = new HistoryBuilder().op(submit(1, 10)).op(move(A, assignOps('wA', 'task-1'), 'ok', 998, 110));
    expect(check(late, [], audit({})).completion.verdict).toBe('unknown');
    expect(check(late, [], undefined).completion.verdict).toBe('unknown');
    // An indeterminate submission promises nothing.
    expect(check(new HistoryBuilder().op(submit(1, 10, 'info')), [], audit({})).completion.verdict).toBe('ok');
  });
});
