/**
 * ZooKeeper scenarios (`system: zookeeper`): a ZAB ensemble, client sessions, a workload, a
 * fault plan and the checks to run. The schema is strict (unknown keys are errors); what it
 * cannot express — ids that must exist, message types a trigger waits for, faults the cluster
 * cannot survive — is checked here against the cluster, and every problem points at its line.
 * The language is documented in docs/scenarios.md.
 */
import { z } from 'zod';
import { ENGINE_MUTATIONS } from '../engine/zab/config.ts';
import type { RunSpec } from '../run/execute.ts';
import type { ZabSystemParams } from '../run/systems/zabSystem.ts';
import { msToUs } from '../sim/clock/clock.ts';
import { lookupWorkload, WORKLOAD_KINDS } from '../workloads/registry.ts';
import { didYouMean } from './closestMatch.ts';
import { faultsSchema, toFaultPlan, triggerProblems } from './faultSchema.ts';
import type { LoadedScenario } from './kernelScenario.ts';
import { latencySchema } from './latencySchema.ts';
import { MAX_CHECK_STEPS, MAX_LIMIT_TICKS, MAX_TICK_TIME_MS, positiveTimeMs } from './limits.ts';
import { targetProblems } from './scenarioChecks.ts';
import { scenarioNameSchema, seedSchema } from './runFolder.ts';
import type { YamlSource } from './yamlSource.ts';

const limitTicks = z.number().int().positive().max(MAX_LIMIT_TICKS, `expected at most ${MAX_LIMIT_TICKS} ticks`);
const serverId = z.string().regex(/^n[1-9][0-9]*$/, 'expected a server id like n1');

export const zabScenarioSchema = z.strictObject({
  name: scenarioNameSchema.optional(),
  description: z.string().optional(),
  system: z.literal('zookeeper'),
  seed: seedSchema.optional(),
  /** Virtual time the run lasts. */
  durationMs: positiveTimeMs,
  cluster: z.strictObject({
    servers: z.number().int().min(1).max(15),
    observers: z.array(serverId).default([]),
    tickTimeMs: z.number().int().positive().max(MAX_TICK_TIME_MS, `expected at most ${MAX_TICK_TIME_MS} ms per tick`).default(2000),
    initLimit: limitTicks.default(10),
    syncLimit: limitTicks.default(5),
    snapCount: z.number().int().min(2).default(100_000),
    latency: latencySchema.optional(),
  }),
  clients: z
    .strictObject({
      count: z.number().int().min(1).max(200).default(3),
      sessionTimeoutMs: positiveTimeMs.int().default(10_000),
      requestTimeoutMs: positiveTimeMs.int().default(5_000),
      servers: z.array(serverId).min(1).optional(),
    })
    .prefault({}),
  workload: z.looseObject({
    kind: z.string(),
    /** When clients stop issuing operations (default: 80 % of the run, leaving time to settle). */
    durationMs: positiveTimeMs.optional(),
  }),
  groups: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'expected a group name'), z.array(z.string().min(1)).min(1)).default({}),
  keepQuorum: z.boolean().default(false),
  faults: faultsSchema,
  checks: z
    .strictObject({
      zookeeper: z.boolean().default(true),
      zab: z.boolean().default(true),
      recipe: z.boolean().default(true),
      maxSteps: z.number().int().positive().max(MAX_CHECK_STEPS, `expected at most ${MAX_CHECK_STEPS} steps`).default(2_000_000),
    })
    .prefault({}),
  engine: z.strictObject({ mutations: z.array(z.enum(ENGINE_MUTATIONS)).default([]) }).prefault({}),
});
export type ZabScenario = z.infer<typeof zabScenarioSchema>;

/** Validates a ZooKeeper scenario and builds its run spec. */
export function loadZabScenario(src: YamlSource, fallbackName: string): LoadedScenario {
  const s = src.validate(zabScenarioSchema);
  const servers = Array.from({ length: s.cluster.servers }, (_, i) => `n${i + 1}`);
  const clients = Array.from({ length: s.clients.count }, (_, i) => `c${i + 1}`);

  const exists = (id: string) => servers.includes(id);
  s.cluster.observers.forEach((id, i) => {
    if (!exists(id)) throw src.errorAt(['cluster', 'observers', i], `cluster.observers: ${id} is not a server (the cluster has ${servers.length})`);
  });
  if (s.cluster.observers.length >= servers.length) throw src.errorAt(['cluster', 'observers'], 'cluster.observers: at least one server must be a participant');
  (s.clients.servers ?? []).forEach((id, i) => {
    if (!exists(id)) throw src.errorAt(['clients', 'servers', i], `clients.servers: ${id} is not a server (the cluster has ${servers.length})`);
  });

  const { kind, durationMs: workloadMs, ...workloadParams } = s.workload;
  if (!WORKLOAD_KINDS.includes(kind)) throw src.errorAt(['workload', 'kind'], `workload.kind: expected one of ${WORKLOAD_KINDS.join(', ')}, got ${JSON.stringify(kind)}${didYouMean(kind, WORKLOAD_KINDS)}`);
  const def = lookupWorkload(kind);
  try {
    def.parseParams(workloadParams);
  } catch (err) {
    if (err instanceof z.ZodError) throw src.issueError(err.issues[0]!, ['workload']);
    throw err;
  }
  if (workloadMs !== undefined && workloadMs > s.durationMs) throw src.errorAt(['workload', 'durationMs'], `workload.durationMs (${workloadMs}) is longer than the run (${s.durationMs})`);

  const problems = [...triggerProblems(s.faults), ...targetProblems(s, servers, clients)];
  if (problems.length > 0) {
    const p = problems[0]!;
    throw src.errorAt(['faults', ...p.path], `faults.${p.path.join('.')}: ${p.message}`);
  }
  for (const [g, ids] of Object.entries(s.groups)) {
    ids.forEach((id, i) => {
      if (!exists(id) && !clients.includes(id)) throw src.errorAt(['groups', g, i], `groups.${g}: ${id} is neither a server nor a client`);
    });
  }

  const params: ZabSystemParams = {
    cluster: {
      servers: s.cluster.servers,
      observers: s.cluster.observers.map((id) => Number(id.slice(1))),
      tickTimeMs: s.cluster.tickTimeMs,
      initLimit: s.cluster.initLimit,
      syncLimit: s.cluster.syncLimit,
      snapCount: s.cluster.snapCount,
      ...(s.cluster.latency !== undefined ? { latency: s.cluster.latency } : {}),
    },
    clients: {
      count: s.clients.count,
      sessionTimeoutMs: s.clients.sessionTimeoutMs,
      requestTimeoutMs: s.clients.requestTimeoutMs,
      ...(s.clients.servers !== undefined ? { servers: s.clients.servers } : {}),
    },
    workload: { kind, params: workloadParams },
    workloadStopMs: workloadMs ?? Math.round(s.durationMs * 0.8),
    checks: s.checks,
    mutations: s.engine.mutations,
    faults: toFaultPlan(s.faults),
    groups: s.groups,
    keepQuorum: s.keepQuorum,
  };
  return {
    name: s.name ?? fallbackName,
    defaultSeed: s.seed ?? '1',
    spec: (seed): RunSpec => ({ system: { builtin: 'zab' }, params, seed, durationUs: msToUs(s.durationMs) }),
  };
}
