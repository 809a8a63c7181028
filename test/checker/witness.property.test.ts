/**
 * Goal: a witness is evidence. On random histories (linearizable or not) for every register-like
 * model: no witness unless the check says illegal; the witness, checked alone, is illegal; putting
 * back anything the shrinking took away (a dropped operation, a relaxed one's definiteness) keeps
 * it illegal; and a witness called minimal has no single further reduction that stays illegal.
 * The search's support for optional operations with a finite return (what relaxed witness ops
 * are) is compared with a brute-force enumeration of every order on tiny histories.
 * Method: fast-check generates small histories with random intervals, values and outcomes.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { checkItems, type CheckItem } from '../../src/checker/linearizability/check.ts';
import { casRegisterModel, checkHistory, etcdModel, kvModel, minimalWitness, registerModel } from '../../src/checker/linearizability/index.ts';
import type { Model } from '../../src/checker/linearizability/model.ts';
import { pairOperations } from '../../src/checker/history/operations.ts';
import { history, type OpSpec } from './helpers.ts';

type AnyModel = Model<unknown, unknown>;
const MODELS: Record<string, () => AnyModel> = {
  register: () => registerModel({ initial: 0 }) as unknown as AnyModel,
  'cas-register': () => casRegisterModel({ initial: 0 }) as unknown as AnyModel,
  etcd: () => etcdModel() as unknown as AnyModel,
  kv: () => kvModel() as unknown as AnyModel,
};

const opArb = fc.record({
  f: fc.constantFrom('read', 'write', 'cas'),
  a: fc.constantFrom(0, 1, 2, null),
  b: fc.constantFrom(0, 1, 2),
  key: fc.constantFrom('x', 'y'),
  call: fc.nat(30),
  len: fc.nat(8),
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'info', 'fail'),
});
type OpDraw = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

/** One op per process, so any interval layout is a well-formed history. */
function specs(draws: OpDraw[], model: string): OpSpec[] {
  return draws.map((d, p) => {
    const type = d.outcome === 'ok' ? undefined : (d.outcome as 'info' | 'fail');
    const base = { p, call: d.call, ret: d.call + d.len, ...(type ? { type } : {}) };
    if (model === 'kv') {
      const f = d.f === 'read' ? 'get' : d.f === 'write' ? 'put' : 'append';
      const value = f === 'get' ? null : String(d.b);
      const out = f === 'get' ? ['', '1', '12', '2'][d.b + (d.a === null ? 0 : 1)] : value;
      return { ...base, f, v: value, out, inv: { key: d.key }, done: { key: d.key } };
    }
    if (d.f === 'read') return { ...base, f: 'read', v: null, out: d.a };
    if (d.f === 'write' || model === 'register') return { ...base, f: 'write', v: d.b };
    return { ...base, f: 'cas', v: [d.a ?? 0, d.b] };
  });
}

const asItems = (model: AnyModel, w: { op: CheckItem<unknown>['op']; optional: boolean }[]): CheckItem<unknown>[] =>
  w.map((it) => ({ op: it.op, input: model.prepare(it.op), optional: it.optional }));
const verdict = (model: AnyModel, items: CheckItem<unknown>[]): string => checkItems(model, items, { maxSteps: 2_000_000 }).verdict;

describe('witnesses are evidence', () => {
  for (const name of Object.keys(MODELS)) {
    test.prop([fc.array(opArb, { minLength: 2, maxLength: 12 })], { numRuns: 150 })(`${name}: sound, restorable and minimal`, (draws) => {
      const model = MODELS[name]!();
      const result = checkHistory(model, history(specs(draws, name)), { maxSteps: 2_000_000 });
      const witness = minimalWitness(model, result);
      if (result.verdict !== 'illegal') {
        expect(witness).toBeUndefined();
        return;
      }
      const w = witness!;
      const items = asItems(model, w.items);
      expect(verdict(model, items)).toBe('illegal');
      // Put back one thing at a time: a dropped operation as it was, or a relaxed one as definite.
      const inWitness = new Map(w.items.map((it) => [it.op, it]));
      for (const orig of result.illegal!.items!) {
        const kept = inWitness.get(orig.op);
        if (kept !== undefined && kept.optional === orig.optional) continue;
        const restored = kept === undefined ? [...items, { ...orig }] : items.map((it) => (it.op === orig.op ? { ...it, optional: orig.optional } : it));
        expect(verdict(model, restored)).toBe('illegal');
      }
      if (!w.minimal) return;
      // No single further reduction stays illegal.
      items.forEach((it, i) => {
        if (model.readOnly?.(it.input)) expect(verdict(model, items.filter((_, j) => j !== i))).not.toBe('illegal');
        else if (!it.optional) expect(verdict(model, items.map((x, j) => (j === i ? { ...x, optional: true } : x)))).not.toBe('illegal');
      });
      const rets = [...new Set(items.filter((it) => !it.optional).map((it) => it.op.ret))].sort((a, b) => a - b);
      for (const t of rets.slice(0, -1)) {
        const cut = items.filter((it) => it.op.call <= t).map((it) => (it.op.ret > t ? { ...it, optional: true } : it));
        expect(verdict(model, cut)).not.toBe('illegal');
      }
    });
  }
});

/** Every order of `items` that respects real time, optional items placed or left out. */
function bruteForce(model: AnyModel, items: CheckItem<unknown>[]): boolean {
  const n = items.length;
  const placed: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  const valid = (): boolean => {
    // Real time: an op placed later must not have completed before an earlier-placed op began…
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) if (items[placed[j]!]!.op.ret < items[placed[i]!]!.op.call) return false;
    // …and every definite op that completed before a placed op began must be placed.
    for (const p of placed) for (let q = 0; q < n; q++) if (!used[q] && !items[q]!.optional && items[q]!.op.ret < items[p]!.op.call) return false;
    return true;
  };
  const walk = (state: unknown): boolean => {
    if (!valid()) return false;
    if (items.every((it, i) => used[i] || it.optional)) return true;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const next = model.step(state, items[i]!.input);
      if (next === undefined) continue;
      used[i] = true;
      placed.push(i);
      const ok = walk(next);
      placed.pop();
      used[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return walk(model.init());
}

describe('optional operations with a finite return', () => {
  test.prop([fc.array(opArb, { minLength: 1, maxLength: 6 }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 })], { numRuns: 400 })(
    'the search agrees with brute force',
    (draws, relax) => {
      const model = MODELS['cas-register']!();
      const ops = pairOperations(history(specs(draws, 'cas-register')));
      const items: CheckItem<unknown>[] = [];
      ops.forEach((op, i) => {
        const input = model.prepare(op);
        if (input !== undefined) items.push({ op, input, optional: op.status === 'info' || relax[i]! });
      });
      expect(checkItems(model, items).verdict).toBe(bruteForce(model, items) ? 'ok' : 'illegal');
    },
  );
});

describe('each reduction keeps a linearizable history linearizable', () => {
  for (const name of Object.keys(MODELS)) {
    test.prop([fc.array(opArb, { minLength: 1, maxLength: 9 }), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 })], { numRuns: 200 })(
      `${name}: drop a read, relax, cut, drop an optional op the model proves irrelevant`,
      (draws, relax) => {
        const model = MODELS[name]!();
        const items: CheckItem<unknown>[] = [];
        pairOperations(history(specs(draws, name)), { keepFailed: model.usesFailed === true }).forEach((op, i) => {
          const input = model.prepare(op);
          if (input !== undefined) items.push({ op, input, optional: op.status === 'info' || relax[i]! });
        });
        fc.pre(verdict(model, items) === 'ok');
        items.forEach((it, i) => {
          const others = items.filter((_, j) => j !== i);
          if (model.readOnly?.(it.input)) expect(verdict(model, others)).toBe('ok');
          if (it.optional && model.dropsWhenOptional?.(it.input, others.map((o) => o.input))) expect(verdict(model, others)).toBe('ok');
          expect(verdict(model, items.map((x, j) => (j === i ? { ...x, optional: true } : x)))).toBe('ok');
          const t = it.op.ret;
          if (t !== Infinity) expect(verdict(model, items.filter((x) => x.op.call <= t).map((x) => (x.op.ret > t ? { ...x, optional: true } : x)))).toBe('ok');
        });
      },
    );
  }
});
