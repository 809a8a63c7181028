/**
 * Plain-language explanation of a (small) non-linearizable witness: what each operation did and
 * when, which operation completed before which began, and, by trying every order that respects
 * real time, where each order gets stuck.
 */
import type { Operation } from '../history/operations.ts';
import type { Model } from './model.ts';
import type { Minimality } from './witness.ts';

/** Orders are enumerated only for witnesses this small; beyond that one dead end is shown. */
const MAX_ENUMERATED_OPS = 8;
const MAX_DEAD_ENDS_SHOWN = 3;

interface Prepared<I> {
  op: Operation;
  input: I;
  label: string;
  optional: boolean;
}

const fmtTime = (t: number): string => (t === Infinity ? '∞ (outcome unknown)' : String(t));

/** Explains why `ops` (a witness for `model`) has no linearization. */
export function explainWitness<S, I>(model: Model<S, I>, ops: readonly Operation[], minimality: Minimality): string[] {
  const prepared: Prepared<I>[] = [];
  for (const op of ops) {
    const input = model.prepare(op);
    if (input === undefined) continue;
    const ret = op.status === 'info' ? Infinity : op.ret;
    prepared.push({ op: { ...op, ret }, input, label: `op #${op.invoke.index} (process ${op.process}: ${model.describeInput(input)})`, optional: op.status === 'info' });
  }
  const lines: string[] = [];
  lines.push(
    `${prepared.length === 1 ? 'This operation' : `These ${prepared.length} operations`} cannot be ordered consistently with the ${model.name} model` +
      (minimality === 'strict'
        ? '; dropping any one of them makes the rest linearizable.'
        : minimality === 'real-time'
          ? '; dropping any one of them either makes the rest linearizable or leaves an operation no order could explain.'
          : ' (shrinking stopped early, so this may not be minimal).'),
  );
  for (const p of prepared) lines.push(`${p.label} ran from ${p.op.call} to ${fmtTime(p.op.ret)}${p.optional ? ' and may or may not have taken effect' : ''}.`);
  for (const [a, b] of precedences(prepared)) lines.push(`${a.label} completed before ${b.label} began, so it must come first.`);
  lines.push(`The initial state is ${model.describeState(model.init())}.`);
  lines.push(...deadEnds(model, prepared));
  return lines;
}

/** Real-time precedences with transitively implied ones removed. */
function precedences<I>(ps: Prepared<I>[]): [Prepared<I>, Prepared<I>][] {
  const before = (a: Prepared<I>, b: Prepared<I>): boolean => a.op.ret < b.op.call;
  const out: [Prepared<I>, Prepared<I>][] = [];
  for (const a of ps)
    for (const b of ps) {
      if (a === b || !before(a, b)) continue;
      if (ps.some((c) => c !== a && c !== b && before(a, c) && before(c, b))) continue;
      out.push([a, b]);
    }
  return out;
}

/** Tries every real-time-respecting order and reports where orders get stuck. */
function deadEnds<S, I>(model: Model<S, I>, ps: Prepared<I>[]): string[] {
  if (ps.length > MAX_ENUMERATED_OPS) {
    return [`There are too many orders to list; every order that respects real time reaches an operation the ${model.name} model rejects.`];
  }
  const stuck = new Map<string, string>();
  const placed: Prepared<I>[] = [];
  const used = new Set<Prepared<I>>();
  const walk = (state: S): void => {
    if (stuck.size >= MAX_DEAD_ENDS_SHOWN * 4) return;
    const definiteLeft = ps.some((p) => !used.has(p) && !p.optional);
    if (!definiteLeft) return; // an order succeeded; cannot happen for a real witness
    const ready = ps.filter((p) => !used.has(p) && ps.every((q) => used.has(q) || q === p || !(q.op.ret < p.op.call)));
    for (const p of ready) {
      const next = model.step(state, p.input);
      if (next === undefined) {
        if (p.optional) continue;
        const prefix = placed.length === 0 ? 'First' : `After ${placed.map((q) => q.label).join(', then ')}`;
        const key = `${p.label}@${model.describeState(state)}`;
        if (!stuck.has(key)) stuck.set(key, `${prefix}, the state is ${model.describeState(state)}, so ${p.label} is impossible next.`);
        continue;
      }
      placed.push(p);
      used.add(p);
      walk(next);
      placed.pop();
      used.delete(p);
    }
  };
  walk(model.init());
  const shown = [...stuck.values()].sort((a, b) => a.length - b.length).slice(0, MAX_DEAD_ENDS_SHOWN);
  const head = `Every order that respects real time gets stuck${stuck.size > shown.length ? `; ${shown.length} of the ${stuck.size} ways it does` : ''}:`;
  return [head, ...shown];
}
