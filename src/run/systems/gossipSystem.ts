import { GossipProcess, type GossipOutput } from '../../sim/demo/gossipProcess.ts';
import type { LinkConfig } from '../../sim/network/links.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { SystemDefinition, SystemOutcome } from '../system.ts';

/** A timed kernel action in a gossip run. */
export type KernelAction =
  | { atUs: number; crash: string; tearLastWrite?: boolean }
  | { atUs: number; restart: string }
  | { atUs: number; partition: string[][] }
  | { atUs: number; heal: true }
  | { atUs: number; pause: string }
  | { atUs: number; resume: string }
  | { atUs: number; loseDisk: string };

/** Parameters of the gossip system (validated by the scenario loader). */
export interface GossipSystemParams {
  nodes: number;
  intervalUs: number;
  maxHops: number;
  fsyncEvery: number;
  reconnectUs: number;
  link?: Partial<LinkConfig>;
  actions: KernelAction[];
}

/** Applies one timed action to the simulation. */
export function applyKernelAction(sim: Simulation, a: KernelAction): void {
  if ('crash' in a) sim.host(a.crash).crash({ loseUnsynced: true, tearLastWrite: a.tearLastWrite ?? false });
  else if ('restart' in a) sim.host(a.restart).start();
  else if ('partition' in a) sim.net.partition(a.partition);
  else if ('heal' in a) sim.net.heal();
  else if ('pause' in a) sim.host(a.pause).pause();
  else if ('resume' in a) sim.host(a.resume).resume();
  else sim.host(a.loseDisk).loseDisk();
}

/**
 * The kernel demo: gossiping nodes with logs on disk. Its only built-in check is the one TCP
 * promises: per-connection FIFO order, which must hold unless a reorder or duplicate fault is on.
 */
export const gossipSystem: SystemDefinition = {
  name: 'gossip',
  setup(sim: Simulation, raw: unknown) {
    const p = raw as GossipSystemParams;
    const peers = Array.from({ length: p.nodes }, (_, i) => `n${i + 1}`);
    if (p.link !== undefined) sim.net.links.defaultConfig = { ...sim.net.links.defaultConfig, ...p.link };
    const params = { peers, intervalUs: p.intervalUs, maxHops: p.maxHops, fsyncEvery: p.fsyncEvery, reconnectUs: p.reconnectUs };
    const violations: string[] = [];
    let recoveries = 0;
    sim.onOutput((_node, value) => {
      const out = value as GossipOutput;
      if (out.kind === 'fifo-violation') {
        violations.push(`FIFO broken on ${out.peer}→${out.node}: expected message ${out.expected}, got ${out.got}`);
      } else if (out.kind === 'recovered') {
        recoveries++;
      }
    });
    for (const id of peers) sim.addProcess(id, () => new GossipProcess(params));
    for (const id of peers) sim.host(id).start();
    for (const a of p.actions) sim.at(a.atUs, () => applyKernelAction(sim, a));
    return {
      finish: (): SystemOutcome => ({ violations, stats: { nodes: p.nodes, recoveries } }),
    };
  },
};
