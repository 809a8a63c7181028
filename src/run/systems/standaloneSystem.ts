/**
 * One standalone ZooKeeper server and N client sessions doing a seeded register workload on a
 * single znode, end to end through the kernel: clients connect over the simulated network,
 * time out, reconnect, and record a Jepsen history; at the end the ZooKeeper consistency
 * checker reads that history and any guarantee it finds broken is a violation.
 *
 * Workload (stream "workload"): each client first tries to create the register (one wins, the
 * rest get NODEEXISTS), then loops: read (getData) 50 %, blind write (setData −1) 30 %,
 * compare-and-set (setData with the version of its last read) 20 %, one op at a time, with a
 * think time drawn around `opIntervalMs`, starting when the client first connects. Written
 * values are unique (`<client>:<n>`). A client whose session expired stops; a crashed and
 * restarted client is a new Jepsen process and carries on with a new session.
 */
import { checkZooKeeper } from '../../checker/zookeeper/check.ts';
import type { ClientCommand } from '../../client/commands.ts';
import { ClientHistory } from '../../client/history.ts';
import { ZkClient } from '../../client/zkClient.ts';
import { StandaloneProcess } from '../../engine/server/standaloneProcess.ts';
import type { LinkConfig } from '../../sim/network/links.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { SystemDefinition, SystemOutcome } from '../system.ts';
import { type KernelAction, applyKernelAction } from './gossipSystem.ts';

/** Parameters of the standalone system; every field but `clients` has a default. */
export interface StandaloneSystemParams {
  clients: number;
  tickTimeMs?: number;
  sessionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Mean think time between one client's ops. */
  opIntervalMs?: number;
  /** The register's path. */
  path?: string;
  link?: Partial<LinkConfig>;
  /** Timed kernel actions (crash/restart/partition/heal/pause/resume) on "zk" or "c<i>". */
  actions?: KernelAction[];
  /** Step budget of the linearizability part of the check (default 2,000,000). */
  checkMaxSteps?: number;
}

/** The server's process id. */
export const STANDALONE_SERVER_ID = 'zk';

/** Process ids of a client's k-th incarnation start at i + N·k·this (N clients). */
const RESTART_PROCESS_OFFSET = 1_000_000;

/**
 * The `standalone` system: server `zk`, clients `c1..cN` (Jepsen processes 0..N−1, stride N).
 */
export const standaloneSystem: SystemDefinition = {
  name: 'standalone',
  setup(sim: Simulation, raw: unknown) {
    const p = raw as StandaloneSystemParams;
    const tickTimeMs = p.tickTimeMs ?? 2000;
    const intervalUs = Math.max(1, Math.round((p.opIntervalMs ?? 10) * 1000));
    const path = p.path ?? '/register';
    if (p.link !== undefined) sim.net.links.defaultConfig = { ...sim.net.links.defaultConfig, ...p.link };
    const history = ClientHistory.of(sim);
    const rng = sim.choices.stream('workload');
    const clients = Array.from({ length: p.clients }, (_, i) => `c${i + 1}`);
    const lastVersion = new Map<string, number>();
    const issued = new Map<string, number>();

    const nextCommand = (client: string): ClientCommand => {
      const n = (issued.get(client) ?? 0) + 1;
      issued.set(client, n);
      if (n === 1) return { f: 'create', value: { path, data: `${client}:0`, mode: 'PERSISTENT' } };
      const roll = rng.int(100);
      if (roll < 50) return { f: 'getData', value: { path } };
      const version = roll < 80 ? -1 : (lastVersion.get(client) ?? -1);
      return { f: 'setData', value: { path, data: `${client}:${n}`, version } };
    };
    // One op at a time per client. `inFlight` remembers the incarnation that got the op, so a
    // client that crashed with an op in flight starts over when its next incarnation connects.
    const inFlight = new Map<string, number>();
    const scheduled = new Set<string>();
    const dead = new Set<string>();
    const schedule = (client: string, fromUs: number) => {
      if (scheduled.has(client)) return;
      scheduled.add(client);
      const thinkUs = rng.range(Math.ceil(intervalUs / 2), Math.floor((intervalUs * 3) / 2) + 1);
      sim.at(fromUs + thinkUs, () => {
        scheduled.delete(client);
        const host = sim.host(client);
        if (!host.isUp() || dead.has(client)) return;
        inFlight.set(client, host.incarnation);
        host.command(nextCommand(client));
      });
    };
    const counts = { ok: 0, fail: 0, info: 0, expired: 0, connects: 0 };
    history.listen((node, out, timeUs) => {
      if (out.type === 'state') {
        if (out.state === 'expired') counts.expired++;
        // A session that expired or closed is over; this client only comes back restarted.
        if (out.state === 'expired' || out.state === 'closed') dead.add(node);
        if (out.state === 'connected') {
          counts.connects++;
          dead.delete(node);
          if (inFlight.get(node) !== sim.host(node).incarnation) {
            inFlight.delete(node);
            schedule(node, timeUs);
          }
        }
        return;
      }
      if (out.type !== 'ok' && out.type !== 'fail' && out.type !== 'info') return;
      counts[out.type]++;
      if ((out.f === 'getData' || out.f === 'setData') && out.type === 'ok') lastVersion.set(node, (out.value as { version: number }).version);
      inFlight.delete(node);
      schedule(node, timeUs);
    });

    sim.addProcess(STANDALONE_SERVER_ID, () => new StandaloneProcess({ tickTimeMs }));
    clients.forEach((id, i) => {
      let incarnation = 0;
      // A restarted client is a new Jepsen process: it starts far above any id its earlier
      // incarnations can reach by the per-info stride.
      const options = () => ({
        servers: [STANDALONE_SERVER_ID],
        sessionTimeoutMs: p.sessionTimeoutMs ?? 10_000,
        requestTimeoutMs: p.requestTimeoutMs ?? 5_000,
        process: i + clients.length * RESTART_PROCESS_OFFSET * incarnation++,
        processStride: clients.length,
      });
      sim.addProcess(id, () => new ZkClient(options()));
    });
    sim.host(STANDALONE_SERVER_ID).start();
    for (const id of clients) sim.host(id).start();
    for (const a of p.actions ?? []) sim.at(a.atUs, () => applyKernelAction(sim, a));

    return {
      finish: (): SystemOutcome => {
        const result = checkZooKeeper(history.ops, { maxSteps: p.checkMaxSteps ?? 2_000_000 });
        const violations = Object.values(result.guarantees).flatMap((g) => g.violations.map((v) => `${v.guarantee}: ${v.message}`));
        return {
          violations,
          stats: { clients: clients.length, ops: history.ops.length, ...counts, checkUnknown: result.verdict === 'unknown' ? 1 : 0 },
        };
      },
    };
  },
};
