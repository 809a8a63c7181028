/**
 * Turns target names into node ids at the moment a fault fires, and tests membership for event
 * filters (`from: leader`). Random picks draw from the faults stream, so they are part of the
 * seed; nothing is drawn for a target that does not need it.
 */
import type { ChoiceStream } from '../sim/rng/choices.ts';
import type { RoleView } from './roleView.ts';
import { targetNames, type TargetSpec } from './spec.ts';

/** What resolution reads. */
export interface TargetWorld {
  roles: RoleView;
  stream: ChoiceStream;
  /** Named groups from the scenario. */
  groups: ReadonlyMap<string, readonly string[]>;
  /** Client endpoint ids. */
  clients(): readonly string[];
  isUp(id: string): boolean;
  isPaused(id: string): boolean;
}

/** Per-fault memory some targets need (`round-robin`). */
export interface TargetMemory {
  roundRobin: number;
}

/** Size of a quorum of `n` participants. */
export function quorumSize(n: number): number {
  return Math.floor(n / 2) + 1;
}

/**
 * Resolves a target to node ids (duplicates removed, in first-seen order). `rest` is only
 * meaningful in a partition and is resolved there; here it yields nothing.
 */
export function resolveTarget(spec: TargetSpec, w: TargetWorld, mem: TargetMemory = { roundRobin: 0 }): string[] {
  const out: string[] = [];
  for (const name of targetNames(spec)) for (const id of resolveName(name, w, mem)) if (!out.includes(id)) out.push(id);
  return out;
}

function resolveName(name: string, w: TargetWorld, mem: TargetMemory): readonly string[] {
  const r = w.roles;
  const upServers = () => r.servers().filter((s) => w.isUp(s));
  switch (name) {
    case 'leader': {
      const l = r.leader();
      return l === undefined ? [] : [l];
    }
    case 'follower':
      return r.followers().slice(0, 1);
    case 'followers':
      return r.followers();
    case 'random-follower':
      return pickOne(r.followers(), w.stream);
    case 'observer':
      return r.observers().filter((s) => w.isUp(s)).slice(0, 1);
    case 'observers':
      return r.observers();
    case 'random-observer':
      return pickOne(r.observers().filter((s) => w.isUp(s)), w.stream);
    case 'participants':
      return r.participants();
    case 'all':
      return r.servers();
    case 'random':
      return pickOne(upServers(), w.stream);
    case 'majority':
      return w.stream.shuffle(r.participants()).slice(0, quorumSize(r.participants().length));
    case 'minority': {
      const p = r.participants();
      return w.stream.shuffle(p).slice(quorumSize(p.length));
    }
    case 'minority-with-leader':
      return minorityWithLeader(r, w.stream);
    case 'round-robin': {
      const s = r.servers();
      return s.length === 0 ? [] : [s[mem.roundRobin++ % s.length]!];
    }
    case 'down':
      return r.servers().filter((s) => !w.isUp(s));
    case 'paused':
      return r.servers().filter((s) => w.isUp(s) && w.isPaused(s));
    case 'clients':
      return w.clients();
    case 'rest':
      return [];
  }
  const group = w.groups.get(name);
  if (group !== undefined) return group;
  return [name];
}

/** The leader and enough other participants to make a minority (none without a leader). */
function minorityWithLeader(r: RoleView, stream: ChoiceStream): string[] {
  const leader = r.leader();
  if (leader === undefined) return [];
  const p = r.participants();
  const size = p.length - quorumSize(p.length);
  const others = stream.shuffle(p.filter((s) => s !== leader));
  return [leader, ...others.slice(0, Math.max(0, size - 1))];
}

function pickOne(items: readonly string[], stream: ChoiceStream): string[] {
  return items.length === 0 ? [] : [stream.pick(items)];
}

/**
 * Whether `node` is in a filter target right now. Filters use only membership names (no random
 * picks), so testing one draws nothing.
 */
export function matchesTarget(node: string, spec: TargetSpec, w: TargetWorld): boolean {
  for (const name of targetNames(spec)) {
    switch (name) {
      case 'leader':
        if (w.roles.leader() === node) return true;
        break;
      case 'follower':
      case 'followers':
        if (w.roles.followers().includes(node)) return true;
        break;
      case 'observer':
      case 'observers':
        if (w.roles.observers().includes(node)) return true;
        break;
      case 'participants':
        if (w.roles.participants().includes(node)) return true;
        break;
      case 'all':
        if (w.roles.servers().includes(node)) return true;
        break;
      case 'down':
        if (w.roles.servers().includes(node) && !w.isUp(node)) return true;
        break;
      case 'paused':
        if (w.roles.servers().includes(node) && w.isUp(node) && w.isPaused(node)) return true;
        break;
      case 'clients':
        if (w.clients().includes(node)) return true;
        break;
      default: {
        const group = w.groups.get(name);
        if (group !== undefined ? group.includes(node) : name === node) return true;
      }
    }
  }
  return false;
}

/**
 * Resolves partition groups: each group's targets, then `rest` (at most one group) takes every
 * server no other group named. A node named by two groups stays in the first.
 */
export function resolveGroups(groups: readonly TargetSpec[], w: TargetWorld, mem: TargetMemory): string[][] {
  const resolved = groups.map((g) => resolveTarget(g, w, mem));
  const seen = new Set<string>();
  for (const g of resolved) {
    for (let i = g.length - 1; i >= 0; i--) {
      if (seen.has(g[i]!)) g.splice(i, 1);
    }
    for (const id of g) seen.add(id);
  }
  groups.forEach((g, i) => {
    if (targetNames(g).includes('rest')) for (const s of w.roles.servers()) if (!seen.has(s)) resolved[i]!.push(s);
  });
  return resolved;
}
