/**
 * The `zab` system: a ZooKeeper ensemble (participants and observers running the ZAB engine),
 * client sessions (`ZkClient`) driven by a workload, and the faults a scenario names. When the
 * run ends it checks the client history against ZooKeeper's guarantees, the protocol trace
 * against ZAB's properties, and whatever the workload's recipe promises.
 *
 * Node ids: servers `n1…nN` (observers among them), clients `c1…cM`.
 */
import { checkZab } from '../../checker/zab/index.ts';
import { checkZooKeeper } from '../../checker/zookeeper/check.ts';
import { projectZkHistory } from '../../checker/zookeeper/projection.ts';
import { ClientHistory } from '../../client/history.ts';
import { ZkClient } from '../../client/zkClient.ts';
import { DEFAULT_ENSEMBLE, type EngineMutation, type EnsembleConfig, validateEnsemble } from '../../engine/zab/config.ts';
import { ZabNode } from '../../engine/zab/node/zabNode.ts';
import { FaultInjector } from '../../faults/injector.ts';
import type { FaultPlanEntry } from '../../faults/spec.ts';
import type { LatencyModel } from '../../sim/network/latency.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { lookupWorkload } from '../../workloads/registry.ts';
import type { WorkloadContext } from '../../workloads/workload.ts';
import type { CheckOutcome, SystemDefinition, SystemOutcome } from '../system.ts';
import { InFlightFate } from './inFlightFate.ts';
import { ServerTimeline } from './serverTimeline.ts';
import { isAckedWrite, ZabEventLog } from './zabEventLog.ts';

/** Everything the `zab` system needs; plain JSON (it is part of spec.json). */
export interface ZabSystemParams {
  cluster: {
    servers: number;
    observers: number[];
    tickTimeMs: number;
    initLimit: number;
    syncLimit: number;
    snapCount: number;
    latency?: LatencyModel;
  };
  clients: { count: number; sessionTimeoutMs: number; requestTimeoutMs: number; servers?: string[] };
  workload: { kind: string; params: unknown };
  /** When clients stop issuing operations (the run goes on to let things settle). */
  workloadStopMs: number;
  checks: { zookeeper: boolean; zab: boolean; recipe: boolean; maxSteps: number };
  mutations: EngineMutation[];
  /** The fault plan, times in µs; targets are resolved when each fault fires. */
  faults: FaultPlanEntry[];
  /** Named node groups usable as fault targets. */
  groups: Record<string, string[]>;
  /** Skip faults that would leave no quorum of participants running. */
  keepQuorum: boolean;
}

const isServer = (node: string) => /^n\d+$/.test(node);

export const zabSystem: SystemDefinition = {
  name: 'zab',
  setup(sim: Simulation, raw: unknown) {
    const p = raw as ZabSystemParams;
    const cfg: EnsembleConfig = {
      ...DEFAULT_ENSEMBLE,
      tickTimeMs: p.cluster.tickTimeMs,
      initLimit: p.cluster.initLimit,
      syncLimit: p.cluster.syncLimit,
      snapCount: p.cluster.snapCount,
      mutations: p.mutations,
      servers: Array.from({ length: p.cluster.servers }, (_, i) => ({ sid: i + 1, role: p.cluster.observers.includes(i + 1) ? ('observer' as const) : ('participant' as const) })),
    };
    const problems = validateEnsemble(cfg);
    if (problems.length > 0) throw new Error(`invalid ensemble: ${problems.join('; ')}`);
    if (p.cluster.latency !== undefined) sim.net.links.defaultConfig = { ...sim.net.links.defaultConfig, latency: p.cluster.latency };

    const history = ClientHistory.of(sim);
    const zab = new ZabEventLog(sim, isServer);
    const timeline = new ServerTimeline(sim, isServer);
    const inFlight = new InFlightFate(sim);
    const servers = cfg.servers.map((s) => `n${s.sid}`);
    const clients = Array.from({ length: p.clients.count }, (_, i) => `c${i + 1}`);
    history.listen((_node, out) => {
      // A write acknowledged to a client: the ZAB checker holds the cluster to it.
      if (isAckedWrite(out)) zab.clientAck(out.zxid, (out as { server?: string }).server);
    });

    // Before any server starts, so the role view sees every start.
    const injector = new FaultInjector(sim, {
      plan: p.faults,
      servers,
      observers: cfg.servers.filter((s) => s.role === 'observer').map((s) => `n${s.sid}`),
      clients,
      groups: new Map(Object.entries(p.groups)),
      keepQuorum: p.keepQuorum,
    });

    for (const s of cfg.servers) sim.addProcess(`n${s.sid}`, () => new ZabNode(s.sid, cfg));
    clients.forEach((id, i) => {
      const options = {
        servers: p.clients.servers ?? servers,
        sessionTimeoutMs: p.clients.sessionTimeoutMs,
        requestTimeoutMs: p.clients.requestTimeoutMs,
        process: i,
        processStride: clients.length,
      };
      sim.addProcess(id, () => new ZkClient(options));
    });
    for (const id of servers) sim.host(id).start();
    for (const id of clients) sim.host(id).start();

    const ctx: WorkloadContext = {
      clients,
      rng: sim.choices.stream('workload'),
      nowUs: () => sim.nowUs,
      at: (atUs, action) => sim.at(atUs, action),
      send: (client, command) => {
        if (sim.host(client).isUp()) sim.host(client).command(command);
      },
      onOutput: (listener) => history.listen(listener),
      stopAtUs: p.workloadStopMs * 1000,
    };
    const definition = lookupWorkload(p.workload.kind);
    const workload = definition.start(ctx, definition.parseParams(p.workload.params));

    return {
      finish: (): SystemOutcome => {
        const checks: Record<string, CheckOutcome> = {};
        if (p.checks.zookeeper) {
          const projected = projectZkHistory(history.ops);
          const r = checkZooKeeper(projected.history, { maxSteps: p.checks.maxSteps });
          const ops = projected.history.filter((o) => o.type === 'invoke').length;
          const dropped = projected.dropped.foreignKind + projected.dropped.taintedPath;
          checks.zookeeper = {
            verdict: r.verdict,
            note: `${ops} ops checked${dropped > 0 ? `, ${dropped} left out (ephemeral, sequential or multi paths and reads the znode model cannot judge)` : ''}`,
            violations: Object.values(r.guarantees).flatMap((g) => g.violations.map((v) => ({ property: v.guarantee, message: v.message, witness: v.ops.map((i) => history.ops[i]) }))),
          };
        }
        if (p.checks.zab) {
          const r = checkZab(zab.events);
          checks.zab = { verdict: r.verdict, violations: r.violations.map((v) => ({ property: v.property, message: v.message, witness: { traceEvents: v.events } })) };
        }
        if (p.checks.recipe) {
          for (const c of workload.finish(history.ops)) checks[`recipe:${c.name}`] = { verdict: c.verdict, violations: c.violations };
        }
        const faults = injector.records();
        const fate = inFlight.explain(faults, zab.events, history.ops);
        if (fate !== undefined) checks['in-flight'] = fate;
        const counts = { ok: 0, fail: 0, info: 0 };
        for (const op of history.ops) if (op.type !== 'invoke') counts[op.type as 'ok' | 'fail' | 'info']++;
        const violations = Object.values(checks).flatMap((c) => c.violations.map((v) => `${v.property}: ${v.message}`));
        return {
          violations,
          stats: { servers: servers.length, clients: clients.length, ops: counts.ok + counts.fail + counts.info, ...counts, elections: timeline.elections.length },
          checks,
          faults,
          elections: timeline.elections,
          history: history.ops,
          report: { servers: timeline.samples },
        };
      },
    };
  },
};
