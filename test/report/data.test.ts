import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../../src/checker/history/op.ts';
import { bucketize, bucketSizeMs, buildReportData, MAX_TIMELINE_OPS, normalizeFaults } from '../../src/report/data.ts';
import { renderReport } from '../../src/report/index.ts';
import { pairForReport, summarizeValue } from '../../src/report/ops.ts';
import { embeddedData, opPair, sampleRun } from './fixture.ts';

describe('pairing', () => {
  it('pairs each invoke with its process\'s next completion and keeps pending and stray ops', () => {
    const { outcome } = sampleRun();
    const ops = pairForReport(outcome.history!);
    expect(ops.map((o) => [o.index, o.process, o.status, o.startUs, o.endUs])).toEqual([
      [0, 0, 'ok', 100_000, 102_000],
      [2, 1, 'ok', 110_000, 111_000],
      [4, 2, 'fail', 120_000, 121_000],
      [6, 2, 'info', 300_000, 500_000],
      [8, 5, 'ok', 600_000, 605_000],
      [10, 0, 'pending', 900_000, undefined],
    ]);
    // A completion without an invoke (a broken history) still shows, instead of throwing.
    const stray = pairForReport([{ index: 0, type: 'ok', process: 3, f: 'read', value: 1, time: 5 }]);
    expect(stray.map((o) => [o.status, o.startUs, o.endUs])).toEqual([['ok', 5, 5]]);
  });
  it('drops Stat noise but keeps version, and cuts long values', () => {
    expect(summarizeValue({ data: 'x', czxid: 1, mzxid: 2, pzxid: 3, ctime: 4, mtime: 5, version: 7, cversion: 0, aversion: 0, ephemeralOwner: 0, dataLength: 1, numChildren: 0 })).toBe('{"data":"x","version":7}');
    // Not a Stat (no czxid+mzxid): kept whole.
    expect(summarizeValue({ ctime: 4 })).toBe('{"ctime":4}');
    expect(summarizeValue('y'.repeat(300))).toHaveLength(100);
    expect(summarizeValue(null)).toBe('');
  });
});

describe('buckets', () => {
  it('uses 100 ms buckets for short runs and round larger ones for long runs', () => {
    expect(bucketSizeMs(10_000_000)).toBe(100);
    expect(bucketSizeMs(60_000_000)).toBe(200);
    expect(bucketSizeMs(100_000_000)).toBe(200);
    expect(bucketSizeMs(120_000_000)).toBe(250);
    expect(bucketSizeMs(3_600_000_000)).toBe(10_000);
    expect(bucketSizeMs(NaN)).toBe(100);
  });
  it('puts each completion in the bucket of its completion time, with latency percentiles of ok ops', () => {
    const h: HistoryOp[] = [];
    // Bucket 0 (0-100 ms): ok ops of 1..10 ms. Bucket 2: a fail and an info. Bucket 1: nothing.
    for (let i = 1; i <= 10; i++) opPair(h, i, 'c1', 'read', null, 10_000, 'ok', 10_000 + i * 1000);
    opPair(h, 20, 'c2', 'write', 1, 200_000, 'fail', 210_000);
    opPair(h, 21, 'c3', 'write', 2, 200_000, 'info', 250_000);
    opPair(h, 22, 'c3', 'write', 3, 260_000, undefined, 0);
    const b = bucketize(pairForReport(h), 300_000);
    expect(b.sizeMs).toBe(100);
    expect(b.t).toEqual([0, 100, 200]);
    expect(b.p50).toEqual([5, null, null]);
    expect(b.p90).toEqual([9, null, null]);
    expect(b.p99).toEqual([10, null, null]);
    expect(b.max).toEqual([10, null, null]);
    expect(b.ok).toEqual([100, 0, 0]); // 10 completions in 0.1 s
    expect(b.fail).toEqual([0, 0, 10]);
    expect(b.info).toEqual([0, 0, 10]);
  });
  it('clamps a completion at the very end of the run into the last bucket', () => {
    const h: HistoryOp[] = [];
    opPair(h, 0, 'c1', 'read', null, 250_000, 'ok', 300_000);
    expect(bucketize(pairForReport(h), 300_000).ok).toEqual([0, 0, 10]);
  });
});

describe('report data', () => {
  it('orders lanes by client (c2 before c10) then process, and servers by id', () => {
    const h: HistoryOp[] = [];
    opPair(h, 9, 'c10', 'read', null, 0, 'ok', 1);
    opPair(h, 1, 'c2', 'read', null, 0, 'ok', 1);
    opPair(h, 11, 'c2', 'read', null, 2, 'ok', 3);
    const servers = ['n10', 'n2'].map((server) => ({ server, timeUs: 0, role: 'LOOKING', epoch: 0, lastZxid: 0 }));
    const { result } = sampleRun();
    const d = buildReportData(result, { violations: [], stats: {}, history: h, report: { servers } });
    expect(d.lanes).toEqual([{ process: 1, client: 'c2' }, { process: 11, client: 'c2' }, { process: 9, client: 'c10' }]);
    expect(d.ops.map((o) => o[0])).toEqual([2, 0, 1]);
    expect(d.servers.map((s) => s.name)).toEqual(['n2', 'n10']);
  });
  it('encodes an op row with interned strings and a zxid', () => {
    const { result, outcome } = sampleRun();
    const d = buildReportData(result, outcome);
    const [lane, start, end, status, f, input, output, error, zxid, server, index] = d.ops[2]!;
    expect([lane, start, end, status, d.strings[f], input, output, d.strings[error], zxid, d.strings[server], index]).toEqual([2, 120_000, 121_000, 1, 'setData', '{"path":"/r0","data":"x","version":5}', '', 'BADVERSION', -1, 'n3', 4]);
    expect(d.ops[5]!.slice(2, 4)).toEqual([-1, 3]); // pending: no end, status 3
    expect(d.ops[0]![8]).toBe(0x100000001);
  });
  it('reads fault records defensively', () => {
    expect(normalizeFaults([null, 3, { name: 'x', kind: 'crash', fired: true, resolvedTo: ['n1'], atMs: 5, target: ['leader', 'g1'] }])).toEqual([
      { name: 'x', kind: 'crash', target: 'leader, g1', resolvedTo: ['n1'], fired: true, atMs: 5, endMs: null, phase: '', cause: '', skipped: '', reason: '' },
    ]);
  });
  it(`caps the timeline at ${MAX_TIMELINE_OPS} ops with a note, while the charts count all`, () => {
    const h: HistoryOp[] = [];
    const n = MAX_TIMELINE_OPS + 10;
    for (let i = 0; i < n; i++) opPair(h, i % 20, `c${(i % 20) + 1}`, 'read', null, i * 100, 'ok', i * 100 + 50);
    const { result } = sampleRun();
    const run = { ...result, checks: {}, stats: { ...result.stats, simTimeMs: n / 10 } };
    const html = renderReport(run, { violations: [], stats: {}, history: h, report: { servers: [] } });
    const d = embeddedData(html) as ReturnType<typeof buildReportData>;
    expect(d.ops).toHaveLength(MAX_TIMELINE_OPS);
    expect(d.totalOps).toBe(n);
    expect(d.buckets.ok.reduce((a, b) => a + b, 0) * (d.buckets.sizeMs / 1000)).toBeCloseTo(n, 6);
    expect(html).toContain(`The timeline shows the first 50,000 of 50,010 operations`);
  });
});
