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

/** Splits prepared inputs into independent partitions. */
export function partitionInputs<S, I>(model: Model<S, I>, inputs: readonly I[]): Partition<I>[] {
  const all = (): Partition<I>[] => [{ key: '*', members: inputs.map((_, i) => i) }];
  if (model.partitionKeys === undefined) return all();
  const keySets: (readonly string[])[] = [];
  for (const input of inputs) {
    const keys = model.partitionKeys(input);
    if (keys === undefined) return all();
    keySets.push(keys);
  }
  const parent = new Map<string, string>();
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
  for (const keys of keySets) {
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    for (let i = 1; i < keys.length; i++) {
      const a = find(keys[0]!);
      const b = find(keys[i]!);
      if (a !== b) parent.set(b, a);
    }
  }
  const byRoot = new Map<string, { keys: Set<string>; members: number[] }>();
  const orphans: number[] = [];
  keySets.forEach((keys, i) => {
    if (keys.length === 0) {
      orphans.push(i);
      return;
    }
    const root = find(keys[0]!);
    let group = byRoot.get(root);
    if (group === undefined) byRoot.set(root, (group = { keys: new Set(), members: [] }));
    for (const k of keys) group.keys.add(k);
    group.members.push(i);
  });
  const out: Partition<I>[] = [...byRoot.values()].map((g) => ({ key: [...g.keys].sort().join(','), members: g.members }));
  // An operation touching no key cannot interact with the others; check it on its own.
  for (const i of orphans) out.push({ key: `(no key #${i})`, members: [i] });
  return out;
}
