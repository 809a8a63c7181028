/**
 * Goal: the checker never calls a correct history illegal, always catches a planted stale read,
 * and shrinks a planted violation to the few operations it needs (witness soundness in general:
 * witness.property.test.ts).
 * Method: fast-check generates a sequential run of a register (unique written values), then makes
 * it concurrent by stretching each interval around its linearization point (some writes become
 * `info`). Such a history is linearizable by construction. Planting a read, after everything
 * else, of a value overwritten by a later write that began after it completed, makes it illegal.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { HistoryOp } from '../../src/checker/history/op.ts';
import { checkHistory, kvModel, minimalWitness, registerModel } from '../../src/checker/linearizability/index.ts';
import type { Model } from '../../src/checker/linearizability/model.ts';
import { history, type OpSpec } from './helpers.ts';

/** Either model, erased to one type so the same check code runs for both. */
const modelFor = (keyed: boolean): Model<unknown, unknown> => (keyed ? kvModel() : registerModel()) as unknown as Model<unknown, unknown>;

interface Step {
  write: boolean;
  before: number;
  after: number;
  info: boolean;
  key: number;
}

const stepArb = fc.record({ write: fc.boolean(), before: fc.nat(25), after: fc.nat(25), info: fc.boolean(), key: fc.nat(2) });

/** A sequential run made concurrent: op i takes effect at 10*i + 5, its interval stretched around it. */
function stretched(steps: Step[], keyed: boolean): OpSpec[] {
  const values = new Map<number, number>();
  return steps.map((s, i) => {
    const at = 10 * i + 5;
    const call = Math.max(0, at - s.before);
    const ret = at + s.after;
    const key = keyed ? s.key : 0;
    const kv = (v: unknown): unknown => (keyed ? [`k${key}`, v] : v);
    if (s.write) {
      values.set(key, i + 1);
      return { p: i, f: keyed ? 'put' : 'write', v: kv(i + 1), call, ...(s.info ? { ret, type: 'info' as const } : { ret }) };
    }
    return { p: i, f: keyed ? 'get' : 'read', v: kv(null), out: kv(values.get(key) ?? (keyed ? '' : null)), call, ret };
  });
}

/** Plants a read of an overwritten value, or returns undefined when the run has no such pair. */
function plantStaleRead(specs: OpSpec[], keyed: boolean): OpSpec[] | undefined {
  const writes = specs.filter((s) => (s.f === 'write' || s.f === 'put') && s.type !== 'info');
  const keyOf = (s: OpSpec): unknown => (keyed ? (s.v as unknown[])[0] : 0);
  for (const a of writes) {
    const later = writes.find((b) => keyOf(b) === keyOf(a) && a.ret! < b.call);
    if (later === undefined) continue;
    const end = Math.max(...specs.map((s) => s.ret ?? s.call)) + 1;
    const v = keyed ? (a.v as unknown[])[1] : a.v;
    return [...specs, { p: 999, f: keyed ? 'get' : 'read', v: keyed ? [keyOf(a), null] : null, out: keyed ? [keyOf(a), v] : v, call: end, ret: end + 1 }];
  }
  return undefined;
}

describe('generated histories', () => {
  test.prop([fc.array(stepArb, { minLength: 1, maxLength: 40 }), fc.boolean()])('a stretched sequential run is linearizable', (steps, keyed) => {
    const h = history(stretched(steps, keyed));
    const model = modelFor(keyed);
    expect(checkHistory(model, h, { maxSteps: 5_000_000 }).verdict).toBe('ok');
  });

  test.prop([fc.array(stepArb, { minLength: 2, maxLength: 40 }), fc.boolean()])('a planted stale read is always caught', (steps, keyed) => {
    const planted = plantStaleRead(stretched(steps, keyed), keyed);
    fc.pre(planted !== undefined);
    const model = modelFor(keyed);
    const r = checkHistory(model, history(planted!), { maxSteps: 5_000_000 });
    expect(r.verdict).toBe('illegal');
  });

  test.prop([fc.array(stepArb, { minLength: 2, maxLength: 25 }), fc.boolean()], { numRuns: 60 })('the witness of a planted stale read is small and minimal', (steps, keyed) => {
    const planted = plantStaleRead(stretched(steps, keyed), keyed);
    fc.pre(planted !== undefined);
    const model = modelFor(keyed);
    const witness = minimalWitness(model, checkHistory(model, history(planted!)))!;
    expect(witness.minimal).toBe(true);
    // The stale read, the write it saw and the write that overwrote it: nothing else is needed.
    expect(witness.items.filter((it) => !it.optional).length).toBeLessThanOrEqual(3);
  });
});
