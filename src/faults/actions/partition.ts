/**
 * Partitions: symmetric groups (named, role-relative, `rest`), one-way cuts, and heal. A
 * partition replaces the previous one; a one-way cut adds to it; heal removes every cut (clogs
 * stay). Messages on a cut link are held, as TCP would retransmit them, and flow on heal.
 */
import type { FaultAction } from '../spec.ts';
import { quorumSize, resolveGroups, resolveTarget } from '../targets.ts';
import { skipped, type ActionFn } from '../world.ts';

type Partition = Extract<FaultAction, { kind: 'partition' }>;
type OneWay = Extract<FaultAction, { kind: 'partition-one-way' }>;

export const applyPartition: ActionFn<Partition> = (w, a, mem) => {
  const groups = resolveGroups(a.groups, w, mem).filter((g) => g.length > 0);
  if (groups.length < 2) return skipped(`fewer than two non-empty groups (${JSON.stringify(groups)})`, groups.flat());
  if (w.keepQuorum) {
    const p = w.roles.participants();
    const grouped = new Set(groups.flat());
    // A participant in no group keeps every link, so it can side with any group.
    const free = p.filter((s) => !grouped.has(s)).length;
    const best = Math.max(...groups.map((g) => g.filter((s) => p.includes(s)).length)) + free;
    if (best < quorumSize(p.length)) return skipped(`keepQuorum: no side keeps a quorum of participants (${JSON.stringify(groups)})`, groups.flat());
  }
  w.sim.net.partition(groups);
  return { resolvedTo: groups.flat(), detail: { groups }, revert: () => w.sim.net.heal() };
};

export const applyOneWay: ActionFn<OneWay> = (w, a, mem) => {
  const from = resolveTarget(a.from, w, mem);
  const to = resolveTarget(a.to, w, mem).filter((id) => !from.includes(id));
  if (from.length === 0 || to.length === 0) return skipped(`empty side (from ${JSON.stringify(from)}, to ${JSON.stringify(to)})`);
  w.sim.net.partitionOneWay(from, to);
  return { resolvedTo: [...from, ...to], detail: { from, to }, revert: () => w.sim.net.heal() };
};

export const applyHeal: ActionFn<Extract<FaultAction, { kind: 'heal' }>> = (w) => {
  w.sim.net.heal();
  return { resolvedTo: [] };
};
