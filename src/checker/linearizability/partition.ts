/**
 * P-compositionality: a history is linearizable iff each independent sub-history is. Operations
 * are grouped by connected key sets (union-find), so a multi-key transaction merges the partitions
 * of the keys it touches instead of breaking soundness.
 */
import type { Model } from './model.ts';

/** One group of prepared operations, named after its keys. */
export interface Partition<I> {
  /** The keys joined by `,` (or `*` when the model does not partition). */
  key: string;
  /** Positions into the prepared-operation array, in order. */
  members: number[];
}

/**
 * Splits prepared inputs into independent partitions. Single-key operations (the usual case) are
 * grouped through one map lookup each, without union-find; only multi-key operations merge keys.
 */
export function partitionInputs<S, I>(model: Model<S, I>, inputs: readonly I[]): Partition<I>[] {
  const all = (): Partition<I>[] => [{ key: '*', members: inputs.map((_, i) => i) }];
  if (model.partitionKeys === undefined) return all();
  // Each op's keys: one string for a single-key op (no array kept), else the array.
  const keyOf: (string | readonly string[])[] = new Array(inputs.length);
  const parent = new Map<string, string>();
  let multiKey = false;
  for (let i = 0; i < inputs.length; i++) {
    const keys = model.partitionKeys(inputs[i]!);
    if (keys === undefined) return all();
    if (keys.length === 1) {
      keyOf[i] = keys[0]!;
      if (!parent.has(keys[0]!)) parent.set(keys[0]!, keys[0]!);
      continue;
    }
    keyOf[i] = keys;
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    if (keys.length > 1) multiKey = true;
  }
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Path compression keeps later finds cheap on long histories.
    while (k !== root) {
      const up = parent.get(k)!;
      parent.set(k, root);
      k = up;
    }
    return root;
  };
  if (multiKey) {
    for (const keys of keyOf) {
      if (typeof keys === 'string') continue;
      for (let j = 1; j < keys.length; j++) {
        const a = find(keys[0]!);
        const b = find(keys[j]!);
        if (a !== b) parent.set(b, a);
      }
    }
  }
  const byRoot = new Map<string, { keys: Set<string>; members: number[] }>();
  const orphans: number[] = [];
  for (let i = 0; i < keyOf.length; i++) {
    const keys = keyOf[i]!;
    const first = typeof keys === 'string' ? keys : keys[0];
    if (first === undefined) {
      orphans.push(i);
      continue;
    }
    const root = multiKey ? find(first) : first;
    let group = byRoot.get(root);
    if (group === undefined) byRoot.set(root, (group = { keys: new Set(), members: [] }));
    if (typeof keys === 'string') group.keys.add(keys);
    else for (const k of keys) group.keys.add(k);
    group.members.push(i);
  }
  const out: Partition<I>[] = [...byRoot.values()].map((g) => ({ key: [...g.keys].sort().join(','), members: g.members }));
  // An operation touching no key cannot interact with the others; check it on its own.
  for (const i of orphans) out.push({ key: `(no key #${i})`, members: [i] });
  return out;
}
