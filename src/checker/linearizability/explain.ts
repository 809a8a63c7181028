/**
 * Plain-language explanation of a witness (see witness.ts): what each operation did and when,
 * which operation completed before which began, and the search's evidence: for a small witness,
 * where every order that respects real time gets stuck; for a larger one, the longest order any
 * search found and why nothing can come next (Porcupine's "longest linearizable prefix"). Every
 * sentence states only what the search established.
 */
import type { Operation } from '../history/operations.ts';
import type { MemoryMeter } from './cache.ts';
import type { Model } from './model.ts';
import { PartitionSearch } from './search.ts';


/**
 * `minimal`: no single further reduction keeps the witness non-linearizable. `partial`: shrinking
 * stopped early (budget), so the witness is sound evidence but may not be as small as it gets.
 */
export type Minimality = 'minimal' | 'partial';

/** One operation of a witness: the source operation and how the witness treats it. */
export interface WitnessOp {
  op: Operation;
  /** True when the witness lets this definite operation not happen (a reduction, see witness.ts). */
  relaxed: boolean;
  /** True when the operation may be left out (an `info` op, or relaxed). */
  optional: boolean;
}

/** Every order is enumerated only for witnesses this small; beyond that, the longest prefix. */
const MAX_ENUMERATED_OPS = 8;
const MAX_DEAD_ENDS_SHOWN = 3;
/** Search steps and memo bytes the longest-prefix search may use before it reports what it has. */
const PREFIX_SEARCH_STEPS = 2_000_000;
const PREFIX_SEARCH_BYTES = 64 * 1024 * 1024;

interface Prepared<I> {
  op: Operation;
  input: I;
  label: string;
  optional: boolean;
  /** Short name for orders: `#index`. */
  tag: string;
}

/** Explains why the witness `items` has no linearization under `model`. */
export function explainWitness<S, I>(model: Model<S, I>, items: readonly WitnessOp[], minimality: Minimality): string[] {
  const prepared: Prepared<I>[] = [];
  for (const it of items) {
    const input = model.prepare(it.op);
    if (input === undefined) continue;
    prepared.push({ op: it.op, input, label: `op #${it.op.invoke.index} (process ${it.op.process}: ${model.describeInput(input)})`, optional: it.optional, tag: `#${it.op.invoke.index}` });
  }
  const definite = prepared.filter((p) => !p.optional).length;
  const lines: string[] = [];
  lines.push(
    `${prepared.length === 1 ? 'This operation has' : `These ${prepared.length} operations have`} no linearization under the ${model.name} model` +
      (prepared.length > definite ? ` (${prepared.length - definite} of them may or may not have happened)` : '') +
      '. They are the history with constraints taken away (later operations cut off, reads dropped, operations allowed not to have happened), ' +
      'none of which can create a violation, so the full history is not linearizable either.',
  );
  lines.push(
    minimality === 'minimal'
      ? 'No single further reduction (cutting the history earlier, dropping a read, or letting one more operation not happen) keeps them non-linearizable.'
      : 'Shrinking stopped early (its budget ran out), so a smaller witness may exist; this one is still evidence.',
  );
  const relaxed = items.filter((it) => it.relaxed).length;
  if (relaxed > 0) lines.push(`${relaxed} definite operation${relaxed === 1 ? ' is' : 's are'} relaxed: the witness lets ${relaxed === 1 ? 'it' : 'them'} not have happened (if ${relaxed === 1 ? 'it' : 'they'} did, within ${relaxed === 1 ? 'its' : 'their'} interval), and still no order works.`);
  if (prepared.length <= MAX_ENUMERATED_OPS) {
    for (const p of prepared) {
      const ends = p.op.status === 'info' || p.op.completion === undefined ? 'never completed, so it may or may not have taken effect' : `to ${p.op.ret}`;
      lines.push(`${p.label} ran from ${p.op.call} ${ends}.`);
    }
    for (const [a, b] of precedences(prepared)) lines.push(`${a.label} completed before ${b.label} began, so ${a.optional || b.optional ? 'if both happened, ' : ''}it comes first.`);
  }
  lines.push(`The initial state is ${model.describeState(model.init())}.`);
  lines.push(...(prepared.length <= MAX_ENUMERATED_OPS ? deadEnds(model, prepared) : longestPrefix(model, prepared)));
  return lines;
}

/** True when `a` must come before `b` (it completed before `b` was invoked). */
const before = <I>(a: Prepared<I>, b: Prepared<I>): boolean => a.op.ret < b.op.call;

/** Real-time precedences between definite operations, transitively implied ones removed. */
function precedences<I>(ps: Prepared<I>[]): [Prepared<I>, Prepared<I>][] {
  const out: [Prepared<I>, Prepared<I>][] = [];
  for (const a of ps)
    for (const b of ps) {
      if (a === b || !before(a, b)) continue;
      if (ps.some((c) => c !== a && c !== b && before(a, c) && before(c, b))) continue;
      out.push([a, b]);
    }
  return out;
}

/**
 * Operations that can go next: every definite operation that completed before it began is placed,
 * and nothing placed began after it completed (an optional operation passed by is skipped).
 */
function readyOps<I>(ps: Prepared<I>[], used: ReadonlySet<Prepared<I>>): Prepared<I>[] {
  return ps.filter((p) => !used.has(p) && ps.every((q) => q === p || (used.has(q) ? !before(p, q) : q.optional || !before(q, p))));
}

/** Tries every real-time-respecting order and reports where orders get stuck. */
function deadEnds<S, I>(model: Model<S, I>, ps: Prepared<I>[]): string[] {
  const stuck = new Map<string, string>();
  const placed: Prepared<I>[] = [];
  const used = new Set<Prepared<I>>();
  let succeeded = false;
  const walk = (state: S): void => {
    if (!ps.some((p) => !used.has(p) && !p.optional)) {
      succeeded = true;
      return;
    }
    for (const p of readyOps(ps, used)) {
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
  // The search already proved the witness illegal; an order found here would be a checker bug.
  if (succeeded) return ['(The explanation found an order the search did not; please report this as a zabsim bug.)'];
  const shown = [...stuck.values()].sort((a, b) => a.length - b.length).slice(0, MAX_DEAD_ENDS_SHOWN);
  const head = `Every order that respects real time gets stuck${stuck.size > shown.length ? `; ${shown.length} of the ${stuck.size} ways it does` : ''}:`;
  return [head, ...shown];
}

/**
 * The longest partial linearization the WGL search reaches (Porcupine's evidence), then why no
 * remaining definite operation can come next.
 */
function longestPrefix<S, I>(model: Model<S, I>, ps: Prepared<I>[]): string[] {
  const meter: MemoryMeter = { usedBytes: 0, peakBytes: 0, capBytes: PREFIX_SEARCH_BYTES };
  const search = new PartitionSearch(model, ps.map((p) => ({ input: p.input, call: p.op.call, ret: p.op.ret, optional: p.optional })), meter);
  search.trackLongest();
  const outcome = search.run(PREFIX_SEARCH_STEPS);
  const best = search.longestPrefix()!;
  const complete = outcome === 'illegal';
  const definiteTotal = ps.filter((p) => !p.optional).length;
  const order = best.order.length === 0 ? 'no operation at all' : best.order.map((i) => ps[i]!.tag).join(', ');
  const lines = [
    `${complete ? 'The longest order that respects real time' : 'The longest order found (the search was cut short)'} places ${best.definite} of the ${definiteTotal} definite operations (in order: ${order}). The state is then ${model.describeState(best.state)}.`,
  ];
  const placedSet = new Set(best.order.map((i) => ps[i]!));
  const waiting = ps.filter((p) => !placedSet.has(p) && !p.optional);
  const ready = readyOps(ps, placedSet);
  for (const p of waiting.slice(0, MAX_DEAD_ENDS_SHOWN * 2)) {
    if (ready.includes(p)) lines.push(`${p.label} is impossible in that state.`);
    else {
      const blocker = ps.find((q) => !placedSet.has(q) && q !== p && before(q, p));
      lines.push(`${p.label} cannot come yet: ${blocker?.label ?? 'an earlier operation'} completed before it began and is not placed.`);
    }
  }
  if (waiting.length > MAX_DEAD_ENDS_SHOWN * 2) lines.push(`… and ${waiting.length - MAX_DEAD_ENDS_SHOWN * 2} more definite operations left unplaced.`);
  return lines;
}
