/**
 * The queue recipe: clean runs (also with crashes, held replies and an expiring consumer) pass;
 * the check reports planted double consumption, duplicated data and lost items, and accepts
 * what indeterminate creates and deletes explain; a consumer that takes NONODE for success is
 * caught.
 */
import { describe, expect, it } from 'vitest';
import { queueWorkload } from '../../src/workloads/recipes/queue.ts';
import { type Delivery, type QueueAudit, checkQueue } from '../../src/workloads/recipes/queueCheck.ts';
import { HistoryBuilder } from './recipeHistory.ts';
import { all, crash, holdReplies, isolate, runRecipe, verdicts } from './recipeRunner.ts';

describe('queue workload runs', () => {
  it('clean runs pass over several seeds', () => {
    for (const seed of [1, 2, 3, 4]) {
      const run = runRecipe({ kind: 'queue', seed, clients: 3 });
      expect(verdicts(run), `seed ${seed}`).toEqual({ 'queue-exactly-once': 'ok' });
      // Two consumers compete: some claims lose with NONODE.
      expect(run.outcome.history!.some((o) => o.f === 'delete' && o.type === 'fail' && o.error === 'NONODE')).toBe(true);
    }
  });

  it('crashes, held replies and an expiring consumer are not violations', () => {
    const faults = all(crash('n1', 1500, 3000), holdReplies('c1', 2000, 5200), holdReplies('c2', 3000, 6200), isolate('c4', 1000, 8500));
    for (const seed of [1, 2]) {
      const run = runRecipe({ kind: 'queue', seed, clients: 4, sessionTimeoutMs: 4000, stopMs: 8000, durationMs: 11_000, faults });
      expect(run.states).toContain('c4 expired');
      expect(run.outcome.stats['info']).toBeGreaterThan(0);
      expect(verdicts(run), `seed ${seed}`).toEqual({ 'queue-exactly-once': 'ok' });
    }
  });

  it('a consumer that takes NONODE for a successful claim is caught', () => {
    const run = runRecipe({ kind: 'queue', params: { bug: 'nonode-is-success' }, seed: 1, clients: 3 });
    expect(run.checks['queue-exactly-once']!.verdict).toBe('illegal');
    expect(run.checks['queue-exactly-once']!.violations.map((v) => v.property)).toContain('double-delivery');
  });

  it('validates its parameters', () => {
    expect(queueWorkload.parseParams({})).toMatchObject({ producers: 1, bug: 'none' });
    expect(() => queueWorkload.parseParams({ producers: -1 })).toThrow();
  });
});

// Hand-written histories: c1 produces, c2 and c3 consume.
const item = (n: number) => `/queue/item-${String(n).padStart(10, '0')}`;
const create = (n: number, type: 'ok' | 'info', call: number) => ({ client: 'c1', session: 's1', f: 'create', value: { path: '/queue/item-', data: `c1#${n}`, mode: 'PERSISTENT_SEQUENTIAL' }, type, out: type === 'ok' ? { path: item(n) } : null, call, ret: call + 5 });
const del = (client: string, n: number, type: 'ok' | 'fail' | 'info', call: number) => ({ client, session: `s-${client}`, f: 'delete', value: { path: item(n) }, type, call, ret: call + 5, ...(type === 'fail' ? { error: 'NONODE' } : type === 'info' ? { error: 'CONNECTIONLOSS' } : {}) });
const delivery = (client: string, n: number, atUs: number, data = `c1#${n}`): Delivery => ({ client, session: `s-${client}`, path: item(n), data, atUs });
const audit = (children: number[], syncInvokeUs = 1000): QueueAudit => ({ client: 'c2', syncOk: true, syncInvokeUs, children: children.map((n) => item(n).slice('/queue/'.length)), atUs: syncInvokeUs + 10 });
const props = (h: HistoryBuilder, ds: Delivery[], a: QueueAudit | undefined) => checkQueue(h.ops, ds, a);

describe('queue check on hand-written histories', () => {
  it('accepts items consumed once or still queued', () => {
    const h = new HistoryBuilder().op(create(0, 'ok', 10)).op(create(1, 'ok', 20)).op(del('c2', 0, 'ok', 30)).op(del('c3', 0, 'fail', 31));
    expect(props(h, [delivery('c2', 0, 36)], audit([1])).verdict).toBe('ok');
  });

  it('reports an item deleted successfully twice, or delivered twice', () => {
    const twice = new HistoryBuilder().op(create(0, 'ok', 10)).op(del('c2', 0, 'ok', 30)).op(del('c3', 0, 'ok', 31));
    expect(props(twice, [delivery('c2', 0, 36), delivery('c3', 0, 37)], audit([])).violations.map((v) => v.property)).toEqual(['double-consume', 'double-delivery']);
    // NONODE taken for success: the history is fine, the deliveries are not.
    const nonode = new HistoryBuilder().op(create(0, 'ok', 10)).op(del('c2', 0, 'ok', 30)).op(del('c3', 0, 'fail', 31));
    const r = props(nonode, [delivery('c2', 0, 36), delivery('c3', 0, 37)], audit([]));
    expect(r.verdict).toBe('illegal');
    expect(r.violations.map((v) => v.property)).toEqual(['double-delivery']);
  });

  it('reports the same data delivered under two paths, and data that differs from the create', () => {
    const h = new HistoryBuilder().op(create(0, 'ok', 10)).op(create(1, 'info', 20)).op(del('c2', 0, 'ok', 30)).op(del('c3', 1, 'ok', 40));
    expect(props(h, [delivery('c2', 0, 36), delivery('c3', 1, 46, 'c1#0')], audit([])).violations.map((v) => v.property)).toEqual(['duplicate-data']);
    const wrong = new HistoryBuilder().op(create(0, 'ok', 10)).op(del('c2', 0, 'ok', 30));
    expect(props(wrong, [delivery('c2', 0, 36, 'c1#9')], audit([])).violations.map((v) => v.property)).toEqual(['wrong-data']);
  });

  it('reports an acknowledged item that is neither consumed nor queued', () => {
    const h = new HistoryBuilder().op(create(0, 'ok', 10)).op(create(1, 'ok', 20)).op(del('c2', 0, 'ok', 30));
    const r = props(h, [delivery('c2', 0, 36)], audit([]));
    expect(r.verdict).toBe('illegal');
    expect(r.violations.map((v) => v.property)).toEqual(['lost-item']);
    expect(r.violations[0]!.message).toContain(item(1));
  });

  it('accepts a missing item that an indeterminate delete may have taken, and an item whose create was indeterminate', () => {
    const h = new HistoryBuilder().op(create(0, 'ok', 10)).op(create(1, 'info', 20)).op(del('c2', 0, 'info', 30));
    expect(props(h, [], audit([])).verdict).toBe('ok');
    // A delete that failed, though, took nothing.
    const failed = new HistoryBuilder().op(create(0, 'ok', 10)).op(del('c2', 0, 'fail', 30));
    expect(props(failed, [], audit([])).verdict).toBe('illegal');
  });

  it('is unknown when the audit cannot speak for an item, or never ran', () => {
    const h = new HistoryBuilder().op(create(0, 'ok', 10));
    expect(props(h, [], audit([], 12)).verdict).toBe('unknown');
    expect(props(h, [], { ...audit([]), syncOk: false }).verdict).toBe('unknown');
    expect(props(h, [], undefined).verdict).toBe('unknown');
  });

  it('reports an item the audit lists after its delete was acknowledged', () => {
    const h = new HistoryBuilder().op(create(0, 'ok', 10)).op(del('c2', 0, 'ok', 30));
    expect(props(h, [delivery('c2', 0, 36)], audit([0])).violations.map((v) => v.property)).toEqual(['resurrected']);
  });
});
