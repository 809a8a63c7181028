/**
 * The shape and limits of a recorded run's spec.json, as `sim replay` reads it back. A run
 * folder is input like any other: an edited spec.json (`durationUs: 1e18`, `servers: 1000`)
 * would otherwise hang the replay or crash it with a stack trace. The limits are the
 * scenario's (src/scenario/limits.ts), in the µs the spec is written in. Only what `sim run`
 * writes is accepted: the built-in `zab` and `gossip` systems, never a module to import.
 */
import { z } from 'zod';
import type { RunSpec } from '../run/execute.ts';
import { MAX_CHECK_STEPS, MAX_LATENCY_US, MAX_LIMIT_TICKS, MAX_RUN_MS, MAX_SWARM_FAULTS, MAX_TICK_TIME_MS, MIN_PERIOD_MS } from './limits.ts';
import { ENGINE_MUTATIONS } from '../engine/zab/config.ts';
import { lookupWorkload, WORKLOAD_KINDS } from '../workloads/registry.ts';
import { parseSeed } from './runFolder.ts';
import type { YamlSource } from './yamlSource.ts';

const US_PER_MS = 1000;
const MAX_RUN_US = MAX_RUN_MS * US_PER_MS;
const runUs = z.number().int().nonnegative().max(MAX_RUN_US, `expected at most ${MAX_RUN_US} µs (1 h of virtual time)`);
const periodUs = runUs.min(MIN_PERIOD_MS * US_PER_MS, `expected a period of at least ${MIN_PERIOD_MS * US_PER_MS} µs`);
const runMs = z.number().nonnegative().max(MAX_RUN_MS, `expected at most ${MAX_RUN_MS} ms`);
const count = (max: number) => z.number().int().min(1).max(max, `expected at most ${max}`);
const latency = z.looseObject({ kind: z.string() }).superRefine((l, ctx) => {
  for (const [k, v] of Object.entries(l)) {
    if (k.endsWith('Us') && !(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_LATENCY_US)) ctx.addIssue({ code: 'custom', path: [k], message: `expected an integer from 0 to ${MAX_LATENCY_US} µs` });
  }
});

const zabParams = z.looseObject({
  cluster: z.looseObject({
    servers: count(15),
    observers: z.array(z.number().int().min(1).max(15)),
    tickTimeMs: count(MAX_TICK_TIME_MS),
    initLimit: count(MAX_LIMIT_TICKS),
    syncLimit: count(MAX_LIMIT_TICKS),
    snapCount: z.number().int().min(2).max(Number.MAX_SAFE_INTEGER),
    latency: latency.optional(),
  }),
  clients: z.looseObject({ count: count(200), sessionTimeoutMs: runMs.positive(), requestTimeoutMs: runMs.positive() }),
  workload: z.strictObject({ kind: z.enum(WORKLOAD_KINDS as [string, ...string[]]), params: z.unknown() }).superRefine((w, ctx) => {
    try {
      lookupWorkload(w.kind).parseParams(w.params);
    } catch (err) {
      if (!(err instanceof z.ZodError)) throw err;
      for (const issue of err.issues) ctx.addIssue({ code: 'custom', path: ['params', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: issue.message });
    }
  }),
  mutations: z.array(z.enum(ENGINE_MUTATIONS)),
  workloadStopMs: runMs,
  checks: z.looseObject({ maxSteps: count(MAX_CHECK_STEPS) }),
  faults: z.array(z.looseObject({ name: z.string() })).superRefine((plan, ctx) => planTimes(plan, [], ctx)),
});

const gossipParams = z.looseObject({
  nodes: count(64),
  intervalUs: periodUs,
  reconnectUs: periodUs,
  maxHops: z.number().int().nonnegative().max(1_000),
  fsyncEvery: count(1_000_000),
  link: z.looseObject({ latency: latency.optional() }).optional(),
  actions: z.array(z.looseObject({ atUs: runUs })),
});

/** spec.json of a run folder, by the built-in system it names. */
const SPEC_SCHEMAS: Record<string, z.ZodType> = {
  zab: z.strictObject({ system: z.strictObject({ builtin: z.literal('zab') }), params: zabParams, ...common() }),
  gossip: z.strictObject({ system: z.strictObject({ builtin: z.literal('gossip') }), params: gossipParams, ...common() }),
};

/** Validates a run folder's spec.json; a problem becomes an InputError at its line. */
export function validateRunSpec(src: YamlSource): RunSpec {
  const value = src.value() as { system?: { builtin?: unknown } } | null;
  const builtin = value?.system?.builtin;
  const schema = typeof builtin === 'string' ? SPEC_SCHEMAS[builtin] : undefined;
  if (schema === undefined) throw src.errorAt(['system'], `system: expected {"builtin": "${Object.keys(SPEC_SCHEMAS).join('" or "')}"}, as \`sim run\` writes it`);
  return src.validate(schema) as RunSpec;
}

function common() {
  return {
    seed: z.string().refine((s) => parseSeed(s) === s, { message: 'expected a seed: a non-negative decimal integer' }),
    durationUs: runUs.positive(),
    maxEvents: z.number().int().positive().optional(),
  };
}

/**
 * Every time in a fault plan (a field named `…Us`) within the longest run, every period at least
 * the shortest, and every swarm's count within its maximum. The plan's shape is the injector's;
 * this reads it generically so a new fault field is covered without a change here.
 */
function planTimes(value: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (Array.isArray(value)) return value.forEach((v, i) => planTimes(v, [...path, i], ctx));
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    const at = [...path, k];
    if (typeof v === 'number' && k.endsWith('Us')) {
      const min = k === 'periodUs' ? MIN_PERIOD_MS * US_PER_MS : -MAX_RUN_US;
      if (!Number.isInteger(v) || v < min || v > MAX_RUN_US) ctx.addIssue({ code: 'custom', path: at, message: `expected an integer from ${min} to ${MAX_RUN_US} µs` });
    } else if (k === 'count' && typeof v === 'object' && v !== null) {
      for (const [end, n] of Object.entries(v)) {
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_SWARM_FAULTS) ctx.addIssue({ code: 'custom', path: [...at, end], message: `expected at most ${MAX_SWARM_FAULTS} faults` });
      }
    } else {
      planTimes(v, at, ctx);
    }
  }
}
