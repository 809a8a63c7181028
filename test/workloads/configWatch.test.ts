/**
 * The config-watch recipe: clean runs (also with server crashes and an expiring reader) pass;
 * the checks report planted stale, backwards and unwritten configs, and accept what an
 * indeterminate write or an expired session explains; a reader that does not re-register its
 * watch is caught.
 */
import { describe, expect, it } from 'vitest';
import { type ConfigAudit, type ConfigSettle, checkConfigWatch } from '../../src/workloads/recipes/configWatchCheck.ts';
import { configWatchWorkload } from '../../src/workloads/recipes/configWatch.ts';
import { HistoryBuilder, factsOf } from './recipeHistory.ts';
import { all, crash, isolate, runRecipe, verdicts } from './recipeRunner.ts';

describe('config workload runs', () => {
  it('clean runs pass over several seeds, with one and with two writers', () => {
    for (const [seed, writers] of [[1, 1], [2, 1], [3, 1], [4, 2], [5, 2]] as const) {
      const run = runRecipe({ kind: 'config', params: { writers }, seed, clients: 4 });
      expect(verdicts(run), `seed ${seed}`).toEqual({ 'config-sequential': 'ok', 'config-final': 'ok' });
      expect(run.outcome.stats['ok']).toBeGreaterThan(200);
    }
  });

  it('server crashes and a reader whose session expires are not violations', () => {
    const faults = all(crash('n1', 1500, 3000), crash('n2', 3500, 5000), isolate('c3', 1000, 8500));
    for (const seed of [1, 2]) {
      const run = runRecipe({ kind: 'config', seed, clients: 4, sessionTimeoutMs: 4000, stopMs: 8000, durationMs: 11_000, faults });
      // c3 expired: it is not judged, and every live reader settled.
      expect(run.states).toContain('c3 expired');
      expect(verdicts(run), `seed ${seed}`).toEqual({ 'config-sequential': 'ok', 'config-final': 'ok' });
    }
  });

  it('a reader that does not re-register its watch is caught', () => {
    const run = runRecipe({ kind: 'config', params: { bug: 'no-rewatch' }, seed: 1, clients: 3 });
    expect(run.checks['config-final']!.verdict).toBe('illegal');
    expect(run.checks['config-final']!.violations.map((v) => v.property)).toContain('stale-config');
  });

  it('validates its parameters', () => {
    expect(configWatchWorkload.parseParams(undefined)).toMatchObject({ writers: 1, bug: 'none' });
    expect(() => configWatchWorkload.parseParams({ writers: 0 })).toThrow();
    expect(() => configWatchWorkload.parseParams({ typo: 1 })).toThrow();
  });
});

// Hand-written histories: c1 writes, c2 and c3 read. Sessions s1, s2, s3.
const W = { client: 'c1', session: 's1' };
const set = (v: number, type: 'ok' | 'info' | 'fail', call: number, ret = call + 10) => ({ ...W, f: 'setData', value: { path: '/config', data: `${v}:c1:${v}`, version: v - 1 }, type, out: type === 'ok' ? { version: v } : null, call, ret, ...(type === 'info' ? { error: 'CONNECTIONLOSS' } : {}) });
const get = (client: string, session: string, v: number, data: string, call: number) => ({ client, session, f: 'getData', value: { path: '/config', watch: true }, type: 'ok' as const, out: { data, version: v }, call, ret: call + 5 });
const settle = (client: string, session: string, probeVersion: number, view: ConfigSettle['view'], syncInvokeUs = 1000): ConfigSettle => ({ client, session, atUs: 1100, probeVersion, syncOk: true, syncInvokeUs, view });
const audit = (settled: ConfigSettle[], readers = ['c2', 'c3']): ConfigAudit => ({ readers, startedUs: 1000, settled });
const base = () => new HistoryBuilder().op({ ...W, f: 'create', value: { path: '/config', data: '0:init', mode: 'PERSISTENT' }, type: 'ok', out: { path: '/config' }, call: 0 });

function check(h: HistoryBuilder, a: ConfigAudit, ended: Record<string, number> = {}) {
  const [sequential, final] = checkConfigWatch(h.ops, factsOf(h.ops, ended), a);
  return { sequential: sequential!, final: final! };
}

describe('config checks on hand-written histories', () => {
  it('accepts readers that hold the last write', () => {
    const h = base().op(set(1, 'ok', 100)).op(set(2, 'ok', 200)).op(get('c2', 's2', 2, '2:c1:2', 300)).op(get('c3', 's3', 2, '2:c1:2', 310));
    const r = check(h, audit([settle('c2', 's2', 2, { version: 2, data: '2:c1:2' }), settle('c3', 's3', 2, { version: 2, data: '2:c1:2' })]));
    expect([r.sequential.verdict, r.final.verdict]).toEqual(['ok', 'ok']);
  });

  it('reports a reader whose watched view is older than its own probe', () => {
    const h = base().op(set(1, 'ok', 100)).op(get('c2', 's2', 1, '1:c1:1', 150)).op(set(2, 'ok', 200)).op(get('c3', 's3', 2, '2:c1:2', 300));
    const r = check(h, audit([settle('c2', 's2', 2, { version: 1, data: '1:c1:1' }), settle('c3', 's3', 2, { version: 2, data: '2:c1:2' })]));
    expect(r.final.verdict).toBe('illegal');
    expect(r.final.violations.map((v) => v.property)).toEqual(['stale-config']);
    expect(r.final.violations[0]!.message).toContain('c2');
  });

  it('reports a reader that misses a write acknowledged before its audit sync, and not one whose sync came first', () => {
    const h = base().op(set(1, 'ok', 100)).op(get('c2', 's2', 1, '1:c1:1', 150)).op(set(2, 'ok', 200, 250));
    const stale = check(h, audit([settle('c2', 's2', 1, { version: 1, data: '1:c1:1' }, 1000)], ['c2']));
    expect(stale.final.violations.map((v) => v.property)).toEqual(['final-config']);
    const early = check(h, audit([settle('c2', 's2', 1, { version: 1, data: '1:c1:1' }, 240)], ['c2']));
    expect(early.final.verdict).toBe('unknown');
  });

  it('accepts either the last ok write or an indeterminate later one', () => {
    const h = base().op(set(1, 'ok', 100)).op(set(2, 'info', 200)).op(get('c2', 's2', 1, '1:c1:1', 300)).op(get('c3', 's3', 2, '2:c1:2', 310));
    const r = check(h, audit([settle('c2', 's2', 1, { version: 1, data: '1:c1:1' }), settle('c3', 's3', 2, { version: 2, data: '2:c1:2' })]));
    expect([r.sequential.verdict, r.final.verdict]).toEqual(['ok', 'ok']);
    // A failed write's value, though, was never there.
    const failed = base().op(set(1, 'ok', 100)).op(set(2, 'fail', 200)).op(get('c2', 's2', 2, '2:c1:2', 300));
    const f = check(failed, audit([settle('c2', 's2', 2, { version: 2, data: '2:c1:2' })], ['c2']));
    expect(f.sequential.violations.map((v) => v.property)).toEqual(['unwritten-value']);
    expect(f.final.violations.map((v) => v.property)).toEqual(['final-config']);
  });

  it('does not judge a reader whose session expired, but says when a live one never settled', () => {
    const h = base().op(set(1, 'ok', 100)).op(get('c2', 's2', 0, '0:init', 50)).op(get('c3', 's3', 1, '1:c1:1', 300));
    const a = audit([settle('c3', 's3', 1, { version: 1, data: '1:c1:1' })]);
    expect(check(h, a, { s2: 500 }).final.verdict).toBe('ok');
    const live = check(h, a).final;
    expect(live.verdict).toBe('unknown');
    expect(live.violations[0]!.message).toContain('c2 (session s2) is alive but did not finish its audit');
    expect(check(h, { readers: ['c2', 'c3'], settled: [] }).final.verdict).toBe('unknown');
  });

  it('reports a session that sees the config go backwards, but not a new session of the same client', () => {
    const h = base().op(set(1, 'ok', 100)).op(set(2, 'ok', 200)).op(get('c2', 's2', 2, '2:c1:2', 300)).op(get('c2', 's2', 1, '1:c1:1', 400));
    const r = check(h, audit([], ['c2']), { s2: 500 });
    expect(r.sequential.violations.map((v) => v.property)).toEqual(['config-backwards']);
    const fresh = base().op(set(1, 'ok', 100)).op(set(2, 'ok', 200)).op(get('c2', 's2', 2, '2:c1:2', 300)).op(get('c2', 's2b', 1, '1:c1:1', 400));
    expect(check(fresh, audit([], ['c2']), { s2: 350, s2b: 500 }).sequential.verdict).toBe('ok');
  });

  it('reports two successful compare-and-sets from the same version', () => {
    const h = base().op(set(1, 'ok', 100)).op({ ...set(1, 'ok', 120), client: 'c4', session: 's4' });
    expect(check(h, audit([], [])).sequential.violations.map((v) => v.property)).toEqual(['double-version']);
  });

  it('is unknown when the run ended before the audit', () => {
    expect(check(base(), { readers: ['c2'], settled: [] }).final.verdict).toBe('unknown');
  });
});
