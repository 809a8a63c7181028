/**
 * Link faults: message loss (a lost segment resets its TCP-like connection), a latency
 * distribution, duplication and reordering (both break TCP's guarantees on purpose), and clogs
 * (hold everything on a link). Each changes the directed links from → to, and back unless
 * oneWay; undoing restores each link's configuration as it was before the fault.
 */
import type { LinkConfig } from '../../sim/network/links.ts';
import type { FaultAction } from '../spec.ts';
import { resolveTarget, type TargetMemory } from '../targets.ts';
import { skipped, type ActionFn, type FaultWorld } from '../world.ts';

type LinkAction = Extract<FaultAction, { kind: 'loss' | 'duplicate' | 'reorder' | 'delay' | 'clog' }>;

/** The directed pairs a link fault covers (self-links excluded), in a stable order. */
export function linkPairs(w: FaultWorld, a: LinkAction, mem: TargetMemory): [string, string][] {
  const from = resolveTarget(a.from, w, mem);
  const to = resolveTarget(a.to, w, mem);
  const pairs: [string, string][] = [];
  const add = (x: string, y: string) => {
    if (x !== y && !pairs.some(([p, q]) => p === x && q === y)) pairs.push([x, y]);
  };
  for (const x of from) for (const y of to) add(x, y);
  if (!a.oneWay) for (const y of to) for (const x of from) add(y, x);
  return pairs;
}

function patchOf(a: Exclude<LinkAction, { kind: 'clog' }>): Partial<LinkConfig> {
  switch (a.kind) {
    case 'loss':
      return { lossPerMille: a.perMille };
    case 'duplicate':
      return { duplicatePerMille: a.perMille };
    case 'reorder':
      return { reorderPerMille: a.perMille };
    case 'delay':
      return { latency: a.latency };
  }
}

/** Loss, delay, duplication or reordering on a set of links. */
export const applyLinkConfig: ActionFn<Exclude<LinkAction, { kind: 'clog' }>> = (w, a, mem) => {
  const pairs = linkPairs(w, a, mem);
  if (pairs.length === 0) return skipped('no links between the targets');
  const links = w.sim.net.links;
  const idx = pairs.map(([x, y]) => [w.sim.net.indexOf(x), w.sim.net.indexOf(y)] as const);
  const before = idx.map(([i, j]) => links.config(i, j));
  const patch = patchOf(a);
  for (const [i, j] of idx) links.configure(i, j, patch);
  return {
    resolvedTo: nodesOf(pairs),
    detail: { links: pairs.map(([x, y]) => `${x}>${y}`), patch },
    revert: () => idx.forEach(([i, j], k) => links.configure(i, j, before[k]!)),
  };
};

/** Holds every message on a set of links until the fault is undone. */
export const applyClog: ActionFn<Extract<LinkAction, { kind: 'clog' }>> = (w, a, mem) => {
  const pairs = linkPairs(w, a, mem);
  if (pairs.length === 0) return skipped('no links between the targets');
  for (const [x, y] of pairs) w.sim.net.clog(x, y);
  return {
    resolvedTo: nodesOf(pairs),
    detail: { links: pairs.map(([x, y]) => `${x}>${y}`) },
    revert: () => {
      for (const [x, y] of pairs) w.sim.net.unclog(x, y);
    },
  };
};

function nodesOf(pairs: [string, string][]): string[] {
  const out: string[] = [];
  for (const [x, y] of pairs) for (const id of [x, y]) if (!out.includes(id)) out.push(id);
  return out;
}
