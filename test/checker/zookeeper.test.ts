/**
 * Goal: the ZooKeeper consistency checker accepts what ZooKeeper promises (including stale reads,
 * which ZooKeeper allows) and, for each broken promise, names exactly that guarantee and the
 * operations that show it.
 * Method: small hand-written histories, one per guarantee, each a correct run plus one planted
 * fault; the assertions compare the full set of guarantees that fail, so a rule that fires on
 * the wrong guarantee, or on a correct history, fails the test.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../../src/checker/history/op.ts';
import { checkZooKeeper, type ZkCheckResult, ZK_GUARANTEES } from '../../src/checker/zookeeper/index.ts';
import { history, type OpSpec } from './helpers.ts';

interface ZkSpec {
  p: number;
  f: string;
  v?: unknown;
  call: number;
  ret?: number;
  out?: unknown;
  type?: 'ok' | 'fail' | 'info';
  error?: string;
  zxid?: number;
  session?: number;
}

/** One ZooKeeper op: `zxid` goes on the completion, `session` on the invoke. */
const zk = (s: ZkSpec): OpSpec => ({
  p: s.p,
  f: s.f,
  v: s.v ?? null,
  out: s.out === undefined ? null : s.out,
  call: s.call,
  ...(s.ret === undefined ? {} : { ret: s.ret }),
  type: s.type ?? 'ok',
  ...(s.session === undefined ? {} : { inv: { session: s.session } }),
  done: { ...(s.zxid === undefined ? {} : { zxid: s.zxid }), ...(s.error === undefined ? {} : { error: s.error }) },
});

const failing = (r: ZkCheckResult): string[] => ZK_GUARANTEES.filter((g) => r.guarantees[g].verdict === 'illegal');
const check = (specs: ZkSpec[]): ZkCheckResult => checkZooKeeper(history(specs.map(zk)));
/** The history indexes of the invokes of the given spec positions. */
const invokeIndexes = (specs: ZkSpec[], positions: number[]): number[] => {
  const h: HistoryOp[] = history(specs.map(zk));
  const invokes = h.filter((e) => e.type === 'invoke');
  const byCall = specs.map((s, i) => ({ s, i })).sort((a, b) => a.s.call - b.s.call || a.i - b.i);
  return positions.map((pos) => invokes[byCall.findIndex((x) => x.i === pos)]!.index);
};

// A correct run with zxids: two sessions write and read /a; session 2 reads a stale value at one
// point, which ZooKeeper allows (reads are served locally), then syncs and reads the latest.
const clean: ZkSpec[] = [
  { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10, out: '/a', zxid: 1 },
  { p: 0, f: 'setData', v: { path: '/a', data: 'y', version: 0 }, call: 20, ret: 30, out: { version: 1 }, zxid: 2 },
  { p: 1, f: 'getData', v: { path: '/a' }, call: 40, ret: 50, out: { data: 'x', version: 0, mzxid: 1 }, zxid: 1 },
  { p: 1, f: 'sync', v: { path: '/a' }, call: 60, ret: 70, zxid: 2 },
  { p: 1, f: 'getData', v: { path: '/a' }, call: 80, ret: 90, out: { data: 'y', version: 1, mzxid: 2 }, zxid: 2 },
  { p: 0, f: 'getData', v: { path: '/a' }, call: 100, ret: 110, out: { data: 'y', version: 1, mzxid: 2 }, zxid: 2 },
  { p: 0, f: 'delete', v: { path: '/a', version: 1 }, call: 120, ret: 130, zxid: 3 },
  { p: 1, f: 'exists', v: { path: '/a' }, call: 140, ret: 150, out: null, zxid: 3 },
];

describe('ZooKeeper consistency checker', () => {
  it('accepts a correct run, including a stale read that ZooKeeper allows', () => {
    const r = check(clean);
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('ok');
    expect(r.sessionCount).toBe(2);
    // Every guarantee had something to check in this history.
    for (const g of ZK_GUARANTEES) expect(r.guarantees[g].checks, g).toBeGreaterThan(0);
  });

  it('linearizable-writes: a write acknowledged first gets the later zxid', () => {
    const specs: ZkSpec[] = [
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10, zxid: 5 },
      { p: 1, f: 'create', v: { path: '/b', data: 'x' }, call: 20, ret: 30, zxid: 4 },
    ];
    const r = check(specs);
    expect(failing(r)).toEqual(['linearizable-writes']);
    expect(r.guarantees['linearizable-writes'].violations[0]!.ops).toEqual(invokeIndexes(specs, [0, 1]));
  });

  it('linearizable-writes: without zxids, two sequential setData with version 0 cannot both succeed', () => {
    const r = check([
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10 },
      { p: 1, f: 'setData', v: { path: '/a', data: 'y', version: 0 }, call: 20, ret: 30 },
      { p: 2, f: 'setData', v: { path: '/a', data: 'z', version: 0 }, call: 40, ret: 50 },
    ]);
    expect(failing(r)).toEqual(['linearizable-writes']);
    expect(r.guarantees['linearizable-writes'].violations[0]!.message).toMatch(/no single order of the writes to \/a/);
  });

  it('linearizable-writes: an unknown (info) write may have happened, so it explains a later version', () => {
    const r = check([
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10 },
      { p: 1, f: 'setData', v: { path: '/a', data: 'y', version: 0 }, call: 20, type: 'info' },
      { p: 2, f: 'setData', v: { path: '/a', data: 'z', version: 1 }, call: 40, ret: 50, out: { version: 2 } },
    ]);
    expect(failing(r)).toEqual([]);
  });

  it('fifo-client-order: a session\'s later write gets an older zxid', () => {
    const specs: ZkSpec[] = [
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 30, zxid: 7, session: 1 },
      { p: 1, f: 'create', v: { path: '/b', data: 'x' }, call: 5, ret: 25, zxid: 6, session: 1 },
    ];
    const r = check(specs);
    expect(failing(r)).toEqual(['fifo-client-order']);
    const v = r.guarantees['fifo-client-order'].violations[0]!;
    expect(v.ops).toEqual(invokeIndexes(specs, [0, 1]));
  });

  it('monotonic-reads: a session is served an older state than it already saw', () => {
    const r = check([
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10, zxid: 1 },
      { p: 0, f: 'setData', v: { path: '/a', data: 'y', version: -1 }, call: 20, ret: 30, out: { version: 1 }, zxid: 2 },
      { p: 1, f: 'getData', v: { path: '/a' }, call: 40, ret: 50, out: { data: 'y', version: 1, mzxid: 2 }, zxid: 2 },
      { p: 1, f: 'getData', v: { path: '/a' }, call: 60, ret: 70, out: { data: 'x', version: 0, mzxid: 1 }, zxid: 1 },
    ]);
    expect(failing(r)).toEqual(['monotonic-reads']);
  });

  it('monotonic-reads, value rule: without zxids, a smaller version after a larger one', () => {
    const r = check([
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10 },
      { p: 0, f: 'setData', v: { path: '/a', data: 'y', version: -1 }, call: 20, ret: 30, out: { version: 1 } },
      { p: 1, f: 'getData', v: { path: '/a' }, call: 40, ret: 50, out: { data: 'y', version: 1 } },
      { p: 1, f: 'getData', v: { path: '/a' }, call: 60, ret: 70, out: { data: 'x', version: 0 } },
    ]);
    expect(failing(r)).toEqual(['monotonic-reads']);
  });

  it('read-your-writes: a session does not see its own acknowledged write', () => {
    const r = check([
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10, zxid: 1 },
      { p: 0, f: 'setData', v: { path: '/a', data: 'y', version: -1 }, call: 20, ret: 30, out: { version: 1 }, zxid: 2 },
      { p: 0, f: 'getData', v: { path: '/a' }, call: 40, ret: 50, out: { data: 'x', version: 0, mzxid: 1 }, zxid: 1 },
    ]);
    expect(failing(r)).toEqual(['read-your-writes']);
  });

  it('sync-read: a read after sync misses a write acknowledged before the sync began', () => {
    const r = check([
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10, zxid: 1 },
      { p: 0, f: 'setData', v: { path: '/a', data: 'y', version: -1 }, call: 20, ret: 30, out: { version: 1 }, zxid: 2 },
      { p: 1, f: 'sync', v: { path: '/a' }, call: 40, ret: 50, zxid: 1 },
      { p: 1, f: 'getData', v: { path: '/a' }, call: 60, ret: 70, out: { data: 'x', version: 0, mzxid: 1 }, zxid: 1 },
    ]);
    expect(failing(r)).toEqual(['sync-read']);
    expect(r.guarantees['sync-read'].violations[0]!.message).toMatch(/follows #\d+ sync/);
  });

  it('sync-read, value rule: without zxids, an old version after sync', () => {
    const r = check([
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10 },
      { p: 0, f: 'setData', v: { path: '/a', data: 'y', version: -1 }, call: 20, ret: 30, out: { version: 1 } },
      { p: 1, f: 'sync', v: { path: '/a' }, call: 40, ret: 50 },
      { p: 1, f: 'getData', v: { path: '/a' }, call: 60, ret: 70, out: { data: 'x', version: 0 } },
    ]);
    expect(failing(r)).toEqual(['sync-read']);
  });

  it('sequential-reads: a read reports a zxid whose state does not hold its data', () => {
    const r = check([
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10, zxid: 1 },
      { p: 0, f: 'setData', v: { path: '/a', data: 'y', version: -1 }, call: 20, ret: 30, out: { version: 1 }, zxid: 2 },
      { p: 1, f: 'getData', v: { path: '/a' }, call: 40, ret: 50, out: { data: 'y', version: 1 }, zxid: 1 },
    ]);
    expect(failing(r)).toEqual(['sequential-reads']);
    expect(r.guarantees['sequential-reads'].violations[0]!.message).toMatch(/served at zxid 0x1/);
  });

  it('treats connection loss as info and other failures as "did not happen"', () => {
    const r = check([
      { p: 0, f: 'create', v: { path: '/a', data: 'x' }, call: 0, ret: 10, zxid: 1 },
      { p: 1, f: 'setData', v: { path: '/a', data: 'q', version: -1 }, call: 20, ret: 30, type: 'fail', error: 'CONNECTIONLOSS' },
      { p: 2, f: 'getData', v: { path: '/a' }, call: 40, ret: 50, out: { data: 'x', version: 0 }, zxid: 1 },
    ]);
    expect(r.verdict).toBe('ok');
  });
});
