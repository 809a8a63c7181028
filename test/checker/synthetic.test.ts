/**
 * Goal: the seeded kv history generator used by the benchmarks produces what it claims: the same
 * seed gives the same history, a history without planted stale reads is linearizable, and one
 * with them is not. Long single-key histories also exercise the memo cache's sparse keys
 * (partitions above 256 operations), with the generator as the oracle.
 * Method: fast-check over seeds and shapes, small enough to check quickly, with a step budget
 * generous enough that `unknown` would be a failure too.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { checkHistory, kvModel } from '../../src/checker/linearizability/index.ts';
import { generateKvHistory, type KvHistorySpec } from '../../src/checker/synthetic/kvHistory.ts';

const spec = (over: Partial<KvHistorySpec>): KvHistorySpec => ({
  seed: 1,
  clients: 5,
  opsPerClient: 20,
  keys: 3,
  readPerMille: 500,
  appendPerMille: 500,
  infoPerMille: 30,
  staleReadPerMille: 0,
  latencyMax: 30,
  thinkMax: 10,
  ...over,
});

const shapeArb = fc.record({
  seed: fc.integer(),
  clients: fc.integer({ min: 1, max: 6 }),
  opsPerClient: fc.integer({ min: 1, max: 25 }),
  keys: fc.integer({ min: 1, max: 4 }),
  appendPerMille: fc.constantFrom(0, 500, 1000),
  infoPerMille: fc.constantFrom(0, 50),
});

describe('generateKvHistory', () => {
  it('is a function of its spec', () => {
    expect(generateKvHistory(spec({ seed: 9 }))).toEqual(generateKvHistory(spec({ seed: 9 })));
    expect(generateKvHistory(spec({ seed: 9 })).events).not.toEqual(generateKvHistory(spec({ seed: 10 })).events);
  });

  it('emits invoke/completion pairs in time order with the op count it reports', () => {
    const h = generateKvHistory(spec({ infoPerMille: 200 }));
    expect(h.events.filter((e) => e.type === 'invoke')).toHaveLength(h.operations);
    expect(h.events.every((e, i) => i === 0 || h.events[i - 1]!.time <= e.time)).toBe(true);
    // Info writes have no completion; their process never invokes again.
    const open = new Set<number>();
    for (const e of h.events) {
      expect(e.type === 'invoke' && open.has(e.process)).toBe(false);
      if (e.type === 'invoke') open.add(e.process);
      else open.delete(e.process);
    }
  });

  test.prop([shapeArb], { numRuns: 40 })('without stale reads the history is linearizable', (shape) => {
    const h = generateKvHistory(spec(shape));
    expect(checkHistory(kvModel(), h.events, { maxSteps: 20_000_000 }).verdict).toBe('ok');
  });

  test.prop([shapeArb], { numRuns: 40 })('a planted stale read makes it non-linearizable', (shape) => {
    const h = generateKvHistory(spec({ ...shape, staleReadPerMille: 300 }));
    fc.pre(h.staleReads > 0);
    const r = checkHistory(kvModel(), h.events, { maxSteps: 20_000_000 });
    expect(r.verdict).toBe('illegal');
    expect(h.staleKeys).toContain(r.illegal!.key.replace(/"/g, ''));
  });

  test.prop([fc.integer(), fc.boolean()], { numRuns: 25 })('long single-key partitions (sparse cache keys) keep both verdicts', (seed, stale) => {
    // Few timeouts: each write that may never have happened multiplies the search on one key.
    const h = generateKvHistory(spec({ seed, clients: 4, opsPerClient: 150, keys: 1, appendPerMille: 0, infoPerMille: 5, staleReadPerMille: stale ? 5 : 0 }));
    const r = checkHistory(kvModel(), h.events, { maxSteps: 2_000_000 });
    expect(r.verdict).toBe(h.staleReads > 0 ? 'illegal' : 'ok');
  });
});
