import { z } from 'zod';
import { msToUs } from '../sim/clock/clock.ts';
import type { LoadedScenario, RunSpec } from '../run/execute.ts';
import type { GossipSystemParams, KernelAction } from '../run/systems/gossipSystem.ts';
import { latencySchema } from './latencySchema.ts';
import { periodMs, positiveTimeMs, timeMs } from './limits.ts';
import { scenarioNameSchema, seedSchema } from './runFolder.ts';
import { InputError, type YamlSource } from './yamlSource.ts';

const nonNegInt = z.number().int().nonnegative();
const perMille = z.number().int().min(0).max(1000);
const nodeId = z.string().regex(/^n[1-9][0-9]*$/, 'expected a node id like n1');
const at = { atMs: timeMs };
const action = z.union([
  z.strictObject({ ...at, crash: nodeId, tearLastWrite: z.boolean().optional() }),
  z.strictObject({ ...at, restart: nodeId }),
  z.strictObject({ ...at, partition: z.array(z.array(nodeId).min(1)).min(2) }),
  z.strictObject({ ...at, heal: z.literal(true) }),
  z.strictObject({ ...at, pause: nodeId }),
  z.strictObject({ ...at, resume: nodeId }),
  z.strictObject({ ...at, loseDisk: nodeId }),
]);

/** The kernel demo scenario: gossiping nodes, timed kernel actions. */
export const kernelScenarioSchema = z.strictObject({
  name: scenarioNameSchema.optional(),
  system: z.literal('gossip'),
  seed: seedSchema.optional(),
  durationMs: positiveTimeMs,
  nodes: z.number().int().min(1).max(64),
  gossip: z
    .strictObject({
      intervalMs: periodMs.default(1),
      maxHops: nonNegInt.default(3),
      fsyncEvery: z.number().int().positive().default(8),
      reconnectMs: periodMs.default(100),
    })
    .default({ intervalMs: 1, maxHops: 3, fsyncEvery: 8, reconnectMs: 100 }),
  network: z
    .strictObject({
      latency: latencySchema.optional(),
      lossPerMille: perMille.optional(),
      duplicatePerMille: perMille.optional(),
      reorderPerMille: perMille.optional(),
    })
    .optional(),
  actions: z.array(action).default([]),
});
export type KernelScenario = z.infer<typeof kernelScenarioSchema>;

/** A loaded scenario: its name, default seed and how to build a run spec for a seed (run layer's type). */
export type { LoadedScenario } from '../run/execute.ts';

/** Validates a kernel scenario, including relations the schema cannot express. */
export function loadKernelScenario(src: YamlSource, fallbackName: string): LoadedScenario {
  const s = src.validate(kernelScenarioSchema);
  s.actions.forEach((a, i) => {
    for (const id of referencedNodes(a)) {
      if (Number(id.slice(1)) > s.nodes) {
        const pos = src.locate(['actions', i]);
        throw new InputError(src.file, pos.line, pos.col, `actions.${i}: node ${id} does not exist (the scenario has ${s.nodes} nodes)`);
      }
    }
  });
  const params: GossipSystemParams = {
    nodes: s.nodes,
    intervalUs: msToUs(s.gossip.intervalMs),
    maxHops: s.gossip.maxHops,
    fsyncEvery: s.gossip.fsyncEvery,
    reconnectUs: msToUs(s.gossip.reconnectMs),
    ...(s.network ? { link: stripUndefined(s.network) } : {}),
    actions: s.actions.map(toKernelAction),
  };
  return {
    name: s.name ?? fallbackName,
    defaultSeed: s.seed ?? '1',
    spec: (seed) => ({ system: { builtin: 'gossip' }, params, seed, durationUs: msToUs(s.durationMs) }),
  };
}

function referencedNodes(a: z.infer<typeof action>): string[] {
  if ('partition' in a) return a.partition.flat();
  for (const k of ['crash', 'restart', 'pause', 'resume', 'loseDisk'] as const) {
    if (k in a) return [(a as unknown as Record<string, string>)[k]!];
  }
  return [];
}

function toKernelAction(a: z.infer<typeof action>): KernelAction {
  const { atMs, ...rest } = a;
  return { atUs: msToUs(atMs), ...rest } as KernelAction;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
