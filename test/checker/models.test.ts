/**
 * Goal: each model accepts the histories its specification allows and rejects the ones it
 * forbids, and the search honours closed intervals, optional (info) ops, partitions and budgets.
 * Method: small hand-written histories with known verdicts (the 6.824 register quiz style),
 * plus budget tests with a fake clock and a tiny memory cap (no timing assertions).
 */
import { describe, expect, it } from 'vitest';
import { checkHistory, casRegisterModel, etcdModel, fromNondeterministic, kvModel, multiRegisterModel, mutexModel, registerModel, znodeModel, type NondeterministicModel } from '../../src/checker/linearizability/index.ts';
import { HistoryError } from '../../src/checker/history/operations.ts';
import { history } from './helpers.ts';

describe('register', () => {
  it('accepts a read concurrent with the write it sees', () => {
    const h = history([
      { p: 0, f: 'write', v: 1, call: 0, ret: 10 },
      { p: 1, f: 'read', out: 1, call: 5, ret: 6 },
    ]);
    expect(checkHistory(registerModel({ initial: 0 }), h).verdict).toBe('ok');
  });
  it('rejects a stale read after the write completed', () => {
    const h = history([
      { p: 0, f: 'write', v: 1, call: 0, ret: 10 },
      { p: 1, f: 'read', out: 0, call: 11, ret: 12 },
    ]);
    expect(checkHistory(registerModel({ initial: 0 }), h).verdict).toBe('illegal');
  });
  it('treats intervals as closed: a call at t is concurrent with a return at t', () => {
    const h = history([
      { p: 0, f: 'write', v: 1, call: 0, ret: 10 },
      { p: 1, f: 'read', out: 0, call: 10, ret: 12 },
    ]);
    expect(checkHistory(registerModel({ initial: 0 }), h).verdict).toBe('ok');
  });
  it('lets an info write take effect late or never', () => {
    const late = history([
      { p: 0, f: 'write', v: 1, call: 0, ret: 1, type: 'info' },
      { p: 1, f: 'read', out: 0, call: 5, ret: 6 },
      { p: 2, f: 'read', out: 1, call: 7, ret: 8 },
    ]);
    expect(checkHistory(registerModel({ initial: 0 }), late).verdict).toBe('ok');
    const never = history([
      { p: 0, f: 'write', v: 1, call: 0 },
      { p: 1, f: 'read', out: 0, call: 5, ret: 6 },
    ]);
    expect(checkHistory(registerModel({ initial: 0 }), never).verdict).toBe('ok');
  });
  it('drops failed ops: a failed write did not happen', () => {
    const h = history([
      { p: 0, f: 'write', v: 1, call: 0, ret: 1, type: 'fail' },
      { p: 1, f: 'read', out: 1, call: 5, ret: 6 },
    ]);
    expect(checkHistory(registerModel({ initial: 0 }), h).verdict).toBe('illegal');
  });
  it('reports malformed histories', () => {
    const h = history([{ p: 0, f: 'write', v: 1, call: 0, ret: 1 }]);
    expect(() => checkHistory(registerModel(), [h[1]!])).toThrow(HistoryError);
  });
});

describe('cas-register', () => {
  it('requires the compared value', () => {
    const ok = history([
      { p: 0, f: 'write', v: 1, call: 0, ret: 1 },
      { p: 1, f: 'cas', v: [1, 2], call: 2, ret: 3 },
      { p: 2, f: 'read', out: 2, call: 4, ret: 5 },
    ]);
    expect(checkHistory(casRegisterModel(), ok).verdict).toBe('ok');
    const bad = history([
      { p: 0, f: 'write', v: 1, call: 0, ret: 1 },
      { p: 1, f: 'cas', v: [3, 2], call: 2, ret: 3 },
    ]);
    expect(checkHistory(casRegisterModel(), bad).verdict).toBe('illegal');
  });
});

describe('mutex', () => {
  it('rejects two overlapping grants and accepts hand-over', () => {
    const bad = history([
      { p: 0, f: 'acquire', call: 0, ret: 1 },
      { p: 1, f: 'acquire', call: 2, ret: 3 },
    ]);
    expect(checkHistory(mutexModel(), bad).verdict).toBe('illegal');
    const ok = history([
      { p: 0, f: 'acquire', call: 0, ret: 1 },
      { p: 1, f: 'acquire', call: 2, ret: 5 },
      { p: 0, f: 'release', call: 3, ret: 4 },
    ]);
    expect(checkHistory(mutexModel(), ok).verdict).toBe('ok');
  });
});

describe('multi-register', () => {
  it('checks transactions atomically and partitions by connected keys', () => {
    const h = history([
      { p: 0, f: 'txn', v: [['write', 'x', 1], ['write', 'y', 1]], call: 0, ret: 1 },
      { p: 1, f: 'txn', v: [['read', 'x', null], ['read', 'y', null]], out: [['read', 'x', 1], ['read', 'y', 0]], call: 2, ret: 3 },
      { p: 2, f: 'txn', v: [['write', 'z', 5]], call: 0, ret: 1 },
    ]);
    const r = checkHistory(multiRegisterModel({ initial: 0 }), h);
    expect(r.verdict).toBe('illegal');
    expect(r.partitionCount).toBe(2);
    expect(r.illegal!.key).toBe('"x","y"');
  });
});

describe('kv', () => {
  it('partitions by key and appends strings', () => {
    const h = history([
      { p: 0, f: 'append', v: 'a', call: 0, ret: 1, inv: { key: 'k1' }, done: { key: 'k1' } },
      { p: 1, f: 'append', v: 'b', call: 2, ret: 3, inv: { key: 'k1' }, done: { key: 'k1' } },
      { p: 2, f: 'get', v: null, out: 'ab', call: 4, ret: 5, inv: { key: 'k1' }, done: { key: 'k1' } },
      { p: 3, f: 'put', v: 'x', call: 0, ret: 1, inv: { key: 'k2' }, done: { key: 'k2' } },
      { p: 4, f: 'get', v: null, out: 'x', call: 2, ret: 3, inv: { key: 'k2' }, done: { key: 'k2' } },
    ]);
    const r = checkHistory(kvModel(), h);
    expect(r.verdict).toBe('ok');
    expect(r.partitionCount).toBe(2);
    const bad = history([
      { p: 0, f: 'put', v: ['k', 'x'], call: 0, ret: 1 },
      { p: 1, f: 'get', v: ['k', null], out: ['k', ''], call: 2, ret: 3 },
    ]);
    expect(checkHistory(kvModel(), bad).verdict).toBe('illegal');
  });
});

describe('znode', () => {
  const zk = (p: number, f: string, v: unknown, call: number, ret: number, extra: Partial<{ out: unknown; type: 'ok' | 'fail' | 'info'; error: string }> = {}) => ({
    p,
    f,
    v,
    call,
    ret,
    out: extra.out ?? null,
    type: extra.type ?? 'ok',
    ...(extra.error ? { done: { error: extra.error } } : {}),
  });
  it('enforces versions and determinate errors', () => {
    const ok = history([
      zk(0, 'create', { path: '/a', data: 'x' }, 0, 1),
      zk(1, 'setData', { path: '/a', data: 'y', version: 0 }, 2, 3, { out: { version: 1 } }),
      zk(2, 'setData', { path: '/a', data: 'z', version: 0 }, 4, 5, { type: 'fail', error: 'BADVERSION' }),
      zk(3, 'create', { path: '/a', data: 'w' }, 4, 5, { type: 'fail', error: 'NODEEXISTS' }),
      zk(4, 'getData', { path: '/a' }, 6, 7, { out: { data: 'y', version: 1 } }),
      zk(5, 'delete', { path: '/a', version: -1 }, 8, 9),
      zk(6, 'exists', { path: '/a' }, 10, 11, { out: null }),
    ]);
    expect(checkHistory(znodeModel(), ok).verdict).toBe('ok');
    const bad = history([
      zk(0, 'create', { path: '/a', data: 'x' }, 0, 1),
      zk(1, 'setData', { path: '/a', data: 'y', version: 3 }, 2, 3),
    ]);
    expect(checkHistory(znodeModel(), bad).verdict).toBe('illegal');
    const noNode = history([
      zk(0, 'create', { path: '/a', data: 'x' }, 0, 1),
      zk(1, 'getData', { path: '/a' }, 2, 3, { type: 'fail', error: 'NONODE' }),
    ]);
    expect(checkHistory(znodeModel(), noNode).verdict).toBe('illegal');
  });
});

describe('nondeterministic adapter', () => {
  // A register whose write may be lost: after `write v` it holds v or keeps its value.
  const lossy: NondeterministicModel<number, { w: boolean; v: number }> = {
    name: 'lossy-register',
    init: () => [0],
    prepare: (op) => (op.f === 'write' ? { w: true, v: op.input as number } : { w: false, v: op.output as number }),
    step: (s, i) => (i.w ? [s, i.v] : s === i.v ? [s] : []),
    equal: (a, b) => a === b,
    hash: (s) => s,
    describeInput: (i) => (i.w ? `write ${i.v}` : `read -> ${i.v}`),
    describeState: (s) => String(s),
  };
  it('explores every possible state', () => {
    const h = history([
      { p: 0, f: 'write', v: 1, call: 0, ret: 1 },
      { p: 1, f: 'read', out: 0, call: 2, ret: 3 },
      { p: 1, f: 'read', out: 1, call: 4, ret: 5 },
    ]);
    expect(checkHistory(fromNondeterministic(lossy), h).verdict).toBe('illegal');
    expect(checkHistory(fromNondeterministic(lossy), h.slice(0, 4)).verdict).toBe('ok');
  });
});

describe('budgets answer unknown, never a guess', () => {
  // 14 concurrent writes and a read nobody wrote: the search must try every order to say illegal.
  const hard = history([
    ...Array.from({ length: 14 }, (_, i) => ({ p: i, f: 'write', v: i + 1, call: 0, ret: 100 })),
    { p: 99, f: 'read', out: 99, call: 0, ret: 100 },
  ]);
  it('step budget', () => {
    const r = checkHistory(registerModel(), hard, { maxSteps: 1000 });
    expect(r).toMatchObject({ verdict: 'unknown', reason: 'steps' });
  });
  it('injected deadline (fake clock)', () => {
    let now = 0;
    const r = checkHistory(registerModel(), hard, { timeUp: () => ++now > 3 });
    expect(r).toMatchObject({ verdict: 'unknown', reason: 'timeout' });
  });
  it('memory cap', () => {
    const r = checkHistory(registerModel(), hard, { maxCacheBytes: 10_000 });
    expect(r).toMatchObject({ verdict: 'unknown', reason: 'memory' });
  });
  it('an illegal partition still wins over an undecided one', () => {
    const withBad = [
      ...history([
        { p: 0, f: 'put', v: ['a', 'x'], call: 0, ret: 1 },
        { p: 1, f: 'get', v: ['a', null], out: ['a', 'y'], call: 2, ret: 3 },
      ]),
    ];
    expect(checkHistory(kvModel(), withBad, { maxCacheBytes: 10_000 }).verdict).toBe('illegal');
  });
});

/**
 * Each model's rules as its source states them (docs/checkers.md cites them): Knossos's register,
 * cas-register, mutex and multi-register, Porcupine's etcd and kv. One small history per rule.
 */
describe('model rules, one history each', () => {
  const verdictOf = (model: Parameters<typeof checkHistory>[0], specs: Parameters<typeof history>[0]): string => checkHistory(model, history(specs)).verdict;

  it('Knossos register and cas-register: an ok read of nil says nothing', () => {
    const nilFirst = [
      { p: 0, f: 'read', out: null, call: 0, ret: 1 },
      { p: 1, f: 'write', v: 3, call: 2, ret: 3 },
      { p: 2, f: 'read', out: null, call: 4, ret: 5 },
    ];
    expect(verdictOf(registerModel({ initial: 0 }), nilFirst)).toBe('ok');
    expect(verdictOf(casRegisterModel({ initial: 0 }), nilFirst)).toBe('ok');
  });
  it('Porcupine etcd: nil is a value: a read of nil after a completed write is stale', () => {
    const h = [
      { p: 0, f: 'write', v: 3, call: 0, ret: 1 },
      { p: 1, f: 'read', out: null, call: 2, ret: 3 },
    ];
    expect(verdictOf(etcdModel(), h)).toBe('illegal');
    expect(verdictOf(etcdModel(), h.slice(1))).toBe('ok');
  });
  it('Knossos: an ok op is judged by its completion value, an info op by its invocation', () => {
    // The write's completion says 2 (Knossos copies it onto the invocation), so reading 2 is fine.
    const okWrite = [
      { p: 0, f: 'write', v: 1, out: 2, call: 0, ret: 1 },
      { p: 1, f: 'read', out: 2, call: 2, ret: 3 },
    ];
    expect(verdictOf(casRegisterModel({ initial: 0 }), okWrite)).toBe('ok');
    expect(verdictOf(casRegisterModel({ initial: 0 }), [okWrite[0]!, { p: 1, f: 'read', out: 1, call: 2, ret: 3 }])).toBe('illegal');
    const infoWrite = [
      { p: 0, f: 'write', v: 1, out: 2, call: 0, ret: 1, type: 'info' as const },
      { p: 1, f: 'read', out: 1, call: 2, ret: 3 },
    ];
    expect(verdictOf(casRegisterModel({ initial: 0 }), infoWrite)).toBe('ok');
  });
  it('Knossos cas-register: a failed cas did not happen; an info cas may have', () => {
    const failed = [
      { p: 0, f: 'cas', v: [0, 5], call: 0, ret: 1, type: 'fail' as const },
      { p: 1, f: 'read', out: 5, call: 2, ret: 3 },
    ];
    expect(verdictOf(casRegisterModel({ initial: 0 }), failed)).toBe('illegal');
    const info = [{ ...failed[0]!, type: 'info' as const }, failed[1]!];
    expect(verdictOf(casRegisterModel({ initial: 0 }), info)).toBe('ok');
  });
  it('Porcupine etcd: a failed cas is a definite failed compare', () => {
    const h = [{ p: 0, f: 'cas', v: [0, 5], call: 0, ret: 1, type: 'fail' as const }];
    expect(verdictOf(etcdModel({ initial: 0 }), h)).toBe('illegal');
    expect(verdictOf(etcdModel({ initial: 1 }), h)).toBe('ok');
  });
  it('Knossos multi-register: the initial map, nil reads, and keys it leaves out reading nil', () => {
    const m = () => multiRegisterModel({ initial: { x: 0, y: 0 } });
    expect(verdictOf(m(), [{ p: 0, f: 'txn', v: [['read', 'x', null], ['read', 'y', null]], out: [['read', 'x', 0], ['read', 'y', 0]], call: 0, ret: 1 }])).toBe('ok');
    expect(verdictOf(m(), [{ p: 0, f: 'txn', v: [['read', 'x', null]], out: [['read', 'x', 1]], call: 0, ret: 1 }])).toBe('illegal');
    expect(verdictOf(m(), [{ p: 0, f: 'txn', v: [['read', 'z', null]], out: [['read', 'z', 0]], call: 0, ret: 1 }])).toBe('illegal');
    expect(verdictOf(m(), [{ p: 0, f: 'txn', v: [['read', 'z', null]], out: [['read', 'z', null]], call: 0, ret: 1 }])).toBe('ok');
    // Without an initial value every register starts as nil; a scalar initial is every key's.
    expect(verdictOf(multiRegisterModel(), [{ p: 0, f: 'txn', v: [['read', 'x', null]], out: [['read', 'x', 0]], call: 0, ret: 1 }])).toBe('illegal');
    expect(verdictOf(multiRegisterModel({ initial: 0 }), [{ p: 0, f: 'txn', v: [['read', 'q', null]], out: [['read', 'q', 0]], call: 0, ret: 1 }])).toBe('ok');
  });
  it('Knossos multi-register: micro-ops apply in order; an info txn uses its invocation and may not have happened', () => {
    const m = () => multiRegisterModel({ initial: { x: 0 } });
    expect(verdictOf(m(), [{ p: 0, f: 'txn', v: [['write', 'x', 1], ['read', 'x', null]], out: [['write', 'x', 1], ['read', 'x', 1]], call: 0, ret: 1 }])).toBe('ok');
    expect(verdictOf(m(), [{ p: 0, f: 'txn', v: [['read', 'x', null], ['write', 'x', 1]], out: [['read', 'x', 1], ['write', 'x', 1]], call: 0, ret: 1 }])).toBe('illegal');
    const info = { p: 0, f: 'txn', v: [['write', 'x', 7]], call: 0, ret: 1, type: 'info' as const };
    expect(verdictOf(m(), [info, { p: 1, f: 'txn', v: [['read', 'x', null]], out: [['read', 'x', 7]], call: 2, ret: 3 }])).toBe('ok');
    expect(verdictOf(m(), [info, { p: 1, f: 'txn', v: [['read', 'x', null]], out: [['read', 'x', 0]], call: 2, ret: 3 }])).toBe('ok');
  });
  it('Knossos mutex: failed acquires did not happen; releasing a free lock is illegal', () => {
    expect(
      verdictOf(mutexModel(), [
        { p: 0, f: 'acquire', call: 0, ret: 1 },
        { p: 1, f: 'acquire', call: 2, ret: 3, type: 'fail' },
      ]),
    ).toBe('ok');
    expect(verdictOf(mutexModel(), [{ p: 0, f: 'release', call: 0, ret: 1 }])).toBe('illegal');
  });
  it('Porcupine kv: every key starts as "", get returns the whole string, append concatenates', () => {
    const k = { inv: { key: '7' }, done: { key: '7' } };
    expect(verdictOf(kvModel(), [{ p: 0, f: 'get', v: null, out: '', call: 0, ret: 1, ...k }])).toBe('ok');
    expect(
      verdictOf(kvModel(), [
        { p: 0, f: 'append', v: 'x 0 0 y', call: 0, ret: 1, ...k },
        { p: 1, f: 'append', v: 'x 1 0 y', call: 2, ret: 3, ...k },
        { p: 2, f: 'get', v: null, out: 'x 0 0 yx 1 0 y', call: 4, ret: 5, ...k },
      ]),
    ).toBe('ok');
    expect(
      verdictOf(kvModel(), [
        { p: 0, f: 'append', v: 'a', call: 0, ret: 1, ...k },
        { p: 2, f: 'get', v: null, out: '', call: 4, ret: 5, ...k },
      ]),
    ).toBe('illegal');
  });
});
