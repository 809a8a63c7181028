/**
 * Goal: the generator of Porcupine-format kv histories (the checker bench runs both zabsim and
 * Porcupine on its files) produces what it claims: the same seed gives the same text, every line
 * has the shape Porcupine's kv parser reads, a history without planted stale reads is
 * linearizable, and one with them is not, in a key where one was planted.
 * Method: small shapes (few clients, short time limits) over many seeds with fast-check, checked by
 * zabsim's kv model after reading the text back with the EDN reader; the bench itself prints
 * Porcupine's verdicts on the full-size files.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { readHistory } from '../../src/checker/formats/index.ts';
import { checkHistory, createModel } from '../../src/checker/linearizability/index.ts';
import { generatePorcupineKv, porcupineKvSpec, type PorcupineKvSpec } from '../../src/checker/synthetic/porcupineKv.ts';

const small = (seed: number, clients: number, variant: 'ok' | 'bad', timeLimit: number): PorcupineKvSpec => ({
  ...porcupineKvSpec(clients, variant, seed),
  keys: 3,
  timeLimit,
  staleKeyCount: variant === 'bad' ? 2 : 0,
});

const check = (text: string) => checkHistory(createModel('kv')!, readHistory('h.txt', text).ops, { maxSteps: 20_000_000 });

// The line shapes of Porcupine's parseKvLog (invoke get/put/append, ok get/put/append).
const LINE = /^\{:process \d+, :type :(invoke, :f :get, :key "\d+", :value nil|(invoke|ok), :f :(put|append), :key "\d+", :value "x \d+ \d+ y"|ok, :f :get, :key "\d+", :value "(x \d+ \d+ y)*")\}$/;

describe('generatePorcupineKv', () => {
  it('is a function of its spec', () => {
    expect(generatePorcupineKv(porcupineKvSpec(10, 'bad', 3))).toEqual(generatePorcupineKv(porcupineKvSpec(10, 'bad', 3)));
    expect(generatePorcupineKv(porcupineKvSpec(10, 'ok', 3)).text).not.toEqual(generatePorcupineKv(porcupineKvSpec(10, 'ok', 4)).text);
  });

  it("writes only lines Porcupine's kv parser reads, one open operation per process, all completed", () => {
    const h = generatePorcupineKv(porcupineKvSpec(10, 'bad', 1));
    const lines = h.text.trimEnd().split('\n');
    expect(lines).toHaveLength(h.operations * 2);
    const open = new Set<string>();
    for (const line of lines) {
      expect(line).toMatch(LINE);
      const [, process, type] = /:process (\d+), :type :(\w+)/.exec(line)!;
      expect(open.has(process!)).toBe(type === 'ok');
      if (type === 'invoke') open.add(process!);
      else open.delete(process!);
    }
    expect(open.size).toBe(0);
  });

  it('plants a stale read in most keys of the bench-size bad histories', () => {
    for (const clients of [10, 50]) expect(generatePorcupineKv(porcupineKvSpec(clients, 'bad', 4)).staleKeys.length).toBeGreaterThanOrEqual(6);
  });

  test.prop([fc.integer(), fc.constantFrom(1, 3, 6), fc.integer({ min: 20, max: 120 })], { numRuns: 40 })('without stale reads the history is linearizable', (seed, clients, timeLimit) => {
    expect(check(generatePorcupineKv(small(seed, clients, 'ok', timeLimit)).text).verdict).toBe('ok');
  });

  test.prop([fc.integer(), fc.constantFrom(1, 3, 6), fc.integer({ min: 20, max: 120 })], { numRuns: 40 })('a planted stale read makes it non-linearizable', (seed, clients, timeLimit) => {
    const h = generatePorcupineKv(small(seed, clients, 'bad', timeLimit));
    fc.pre(h.staleKeys.length > 0);
    const r = check(h.text);
    expect(r.verdict).toBe('illegal');
    expect(h.staleKeys).toContain(r.illegal!.key.replace(/"/g, ''));
  });
});
