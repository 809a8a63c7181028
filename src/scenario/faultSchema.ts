/**
 * The `faults:` list of a ZooKeeper scenario: what each fault does (`do:` and its fields) and
 * when (exactly one of `atMs`, `after`, `everyMs`, `when`), as YAML users write it, in
 * milliseconds. `toFaultPlan` turns it into the injector's plan (src/faults/spec.ts), in µs.
 * Names are only checked for shape here; whether a target or a message type exists is checked
 * against the cluster by the scenario loader, which knows the ids.
 */
import { z } from 'zod';
import { msToUs } from '../sim/clock/clock.ts';
import {
  FAULT_KINDS,
  OP_EVENTS,
  PHASES,
  SESSION_EVENTS,
  type DeliveryCount,
  type EventCondition,
  type FaultAction,
  type FaultPlanEntry,
  type Trigger,
} from '../faults/spec.ts';
import { latencySchema } from './latencySchema.ts';
import { MAX_RUN_MS, MAX_SWARM_FAULTS, outageMs, periodMs, positiveTimeMs, timeMs } from './limits.ts';

const perMille = z.number().int().min(0).max(1000);
const name = z.string().regex(/^[A-Za-z0-9._-]+$/, 'expected a name of letters, digits, ".", "_" or "-"');
/** One target name, or a union of names. */
const target = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const outageRange = z.union([outageMs, z.tuple([outageMs, outageMs])]);
const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** A clock jump, either way: at most the longest run. */
const skewMessage = `expected a skew of at most ±${MAX_RUN_MS} ms (the longest run)`;
const skewMs = z.number().min(-MAX_RUN_MS, skewMessage).max(MAX_RUN_MS, skewMessage);

/** `">=2"`, `2` (the same) or `all`. */
const deliveredTo = z.union([
  z.number().int().min(1),
  z.literal('all'),
  z.string().regex(/^>=\s*[1-9][0-9]*$/, 'expected ">=N", a number or "all"'),
]);

const condition = z.union([
  z.strictObject({ sent: z.string().min(1), from: target.optional(), to: target.optional(), deliveredTo: deliveredTo.optional(), before: oneOrMany.optional() }),
  z.strictObject({ phase: z.enum(PHASES), node: target.optional(), peer: target.optional() }),
  z.strictObject({ op: z.enum(OP_EVENTS), f: z.string().optional(), client: target.optional(), error: z.string().optional() }),
  z.strictObject({ session: z.enum(SESSION_EVENTS), client: target.optional() }),
  z.strictObject({ proto: z.string().min(1), node: target.optional(), match: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() }),
]);

/** Trigger fields; exactly one of atMs / after / everyMs / when (checked in superRefine). */
const triggerFields = {
  atMs: timeMs.optional(),
  after: name.optional(),
  delayMs: timeMs.optional(),
  everyMs: periodMs.optional(),
  startMs: timeMs.optional(),
  untilMs: timeMs.optional(),
  times: z.number().int().min(1).optional(),
  when: condition.optional(),
  nth: z.number().int().min(1).optional(),
  /** Undo the fault this long after it fires (heal, restart, resume, restore links or clock). */
  durationMs: outageMs.optional(),
};

const links = { from: target.default('all'), to: target.default('all'), oneWay: z.boolean().default(false) };
const disk = z.enum(['lose-unsynced', 'keep-unsynced', 'torn-write']).default('lose-unsynced');
const base = { name: name.optional(), ...triggerFields };

/** One fault entry (`do:` selects the kind). */
const faultEntry = z.discriminatedUnion('do', [
  z.strictObject({ ...base, do: z.literal('partition'), groups: z.array(target).min(2) }),
  z.strictObject({ ...base, do: z.literal('partition-one-way'), from: target, to: target }),
  z.strictObject({ ...base, do: z.literal('heal') }),
  z.strictObject({ ...base, do: z.literal('loss'), perMille, ...links }),
  z.strictObject({ ...base, do: z.literal('duplicate'), perMille, ...links }),
  z.strictObject({ ...base, do: z.literal('reorder'), perMille, ...links }),
  z.strictObject({ ...base, do: z.literal('delay'), latency: latencySchema, ...links }),
  z.strictObject({ ...base, do: z.literal('clog'), ...links }),
  z.strictObject({ ...base, do: z.literal('crash'), target, disk }),
  z.strictObject({ ...base, do: z.literal('restart'), target: target.default('down') }),
  z.strictObject({ ...base, do: z.literal('crash-restart'), target, disk, downMs: outageRange }),
  z.strictObject({ ...base, do: z.literal('pause'), target }),
  z.strictObject({ ...base, do: z.literal('resume'), target: target.default('paused') }),
  z.strictObject({ ...base, do: z.literal('clock-skew'), target, byMs: skewMs }),
  z.strictObject({ ...base, do: z.literal('clock-drift'), target, ppm: z.number().int().gt(-1_000_000).max(1_000_000) }),
  z.strictObject({ ...base, do: z.literal('disk-loss'), target, downMs: outageRange }),
]);

/** How many faults a swarm draws. */
const faultCount = z.number().int().min(0).max(MAX_SWARM_FAULTS, `expected at most ${MAX_SWARM_FAULTS} faults per swarm entry`);

/** Swarm mode: the seed draws the faults. */
const swarmEntry = z.strictObject({
  name: name.optional(),
  swarm: z.strictObject({
    startMs: timeMs.default(1000),
    untilMs: positiveTimeMs,
    kinds: z.array(z.enum(FAULT_KINDS)).min(1).optional(),
    count: z.union([faultCount, z.tuple([faultCount, faultCount])]).default([2, 8]),
    maxDurationMs: outageMs.default(3000),
  }),
});

export const faultsSchema = z.array(z.union([swarmEntry, faultEntry])).default([]);
export type FaultEntry = z.infer<typeof faultEntry>;
type SwarmEntry = z.infer<typeof swarmEntry>;
export type FaultsInput = z.infer<typeof faultsSchema>;

/** A problem the schema cannot see: its path inside `faults` and the message. */
export interface PlanProblem {
  path: (string | number)[];
  message: string;
}

/** Checks trigger shape and durations; returns every problem found. */
export function triggerProblems(entries: FaultsInput): PlanProblem[] {
  const problems: PlanProblem[] = [];
  entries.forEach((e, i) => {
    if ('swarm' in e) {
      const s = e.swarm;
      if (s.untilMs <= s.startMs) problems.push({ path: [i, 'swarm', 'untilMs'], message: `untilMs (${s.untilMs}) must be after startMs (${s.startMs})` });
      const [lo, hi] = typeof s.count === 'number' ? [s.count, s.count] : s.count;
      if (hi < lo) problems.push({ path: [i, 'swarm', 'count'], message: `count range [${lo}, ${hi}] is empty` });
      return;
    }
    const given = (['atMs', 'after', 'everyMs', 'when'] as const).filter((k) => e[k] !== undefined);
    if (given.length !== 1) {
      problems.push({ path: [i], message: given.length === 0 ? 'expected a trigger: one of atMs, after, everyMs, when' : `expected one trigger, got ${given.join(' and ')}` });
    }
    if (e.durationMs !== undefined && !REVERSIBLE.has(e.do)) problems.push({ path: [i, 'durationMs'], message: `"${e.do}" cannot be undone, so it takes no durationMs` });
    if (e.untilMs !== undefined && e.untilMs <= (e.startMs ?? 0)) problems.push({ path: [i, 'untilMs'], message: 'untilMs must be after startMs' });
    const stray = (['nth'] as const).filter((k) => e[k] !== undefined && e.when === undefined);
    for (const k of stray) problems.push({ path: [i, k], message: `${k} only applies to a "when" trigger` });
    if (e.delayMs !== undefined && e.after === undefined && e.when === undefined) problems.push({ path: [i, 'delayMs'], message: 'delayMs only applies to "after" and "when" triggers' });
    if ((e.do === 'crash-restart' || e.do === 'disk-loss') && Array.isArray(e.downMs) && e.downMs[1] < e.downMs[0]) {
      problems.push({ path: [i, 'downMs'], message: `downMs range [${e.downMs[0]}, ${e.downMs[1]}] is empty` });
    }
  });
  return problems;
}

const REVERSIBLE: ReadonlySet<string> = new Set(['partition', 'partition-one-way', 'loss', 'duplicate', 'reorder', 'delay', 'clog', 'crash', 'pause', 'clock-skew', 'clock-drift']);

/** Default names: `<do>-<index>` (1-based), so reports and `after:` can refer to every fault. */
export function faultName(e: FaultsInput[number], i: number): string {
  return e.name ?? ('swarm' in e ? `swarm-${i + 1}` : `${e.do}-${i + 1}`);
}

/** The injector's plan, every time in µs. */
export function toFaultPlan(entries: FaultsInput): FaultPlanEntry[] {
  return entries.map((e, i) => ('swarm' in e ? toSwarm(e, faultName(e, i)) : toFault(e, faultName(e, i))));
}

function toSwarm(e: SwarmEntry, name: string): FaultPlanEntry {
  const s = e.swarm;
  const [min, max] = typeof s.count === 'number' ? [s.count, s.count] : s.count;
  return {
    name,
    swarm: {
      startUs: msToUs(s.startMs),
      untilUs: msToUs(s.untilMs),
      kinds: s.kinds ?? ['partition', 'partition-one-way', 'loss', 'delay', 'duplicate', 'reorder', 'clog', 'crash', 'crash-restart', 'pause', 'clock-skew', 'clock-drift'],
      count: { min, max },
      maxDurationUs: msToUs(s.maxDurationMs),
    },
  };
}

function toFault(e: FaultEntry, name: string): FaultPlanEntry {
  return { name, action: toAction(e), trigger: toTrigger(e), ...(e.durationMs !== undefined ? { durationUs: msToUs(e.durationMs) } : {}) };
}

function usRange(r: number | [number, number]) {
  const [lo, hi] = typeof r === 'number' ? [r, r] : r;
  return { minUs: msToUs(lo), maxUs: msToUs(hi) };
}

function toAction(e: FaultEntry): FaultAction {
  switch (e.do) {
    case 'partition':
      return { kind: e.do, groups: e.groups };
    case 'partition-one-way':
      return { kind: e.do, from: e.from, to: e.to };
    case 'heal':
      return { kind: e.do };
    case 'loss':
    case 'duplicate':
    case 'reorder':
      return { kind: e.do, perMille: e.perMille, from: e.from, to: e.to, oneWay: e.oneWay };
    case 'delay':
      return { kind: e.do, latency: e.latency, from: e.from, to: e.to, oneWay: e.oneWay };
    case 'clog':
      return { kind: e.do, from: e.from, to: e.to, oneWay: e.oneWay };
    case 'crash':
      return { kind: e.do, target: e.target, disk: e.disk };
    case 'restart':
    case 'pause':
    case 'resume':
      return { kind: e.do, target: e.target };
    case 'crash-restart':
      return { kind: e.do, target: e.target, disk: e.disk, down: usRange(e.downMs) };
    case 'clock-skew':
      return { kind: e.do, target: e.target, byUs: msToUs(e.byMs) };
    case 'clock-drift':
      return { kind: e.do, target: e.target, ppm: e.ppm };
    case 'disk-loss':
      return { kind: e.do, target: e.target, down: usRange(e.downMs) };
  }
}

function toTrigger(e: FaultEntry): Trigger {
  const startUs = msToUs(e.startMs ?? 0);
  const untilUs = e.untilMs !== undefined ? { untilUs: msToUs(e.untilMs) } : {};
  if (e.atMs !== undefined) return { type: 'at', atUs: msToUs(e.atMs) };
  if (e.after !== undefined) return { type: 'after', fault: e.after, delayUs: msToUs(e.delayMs ?? 0) };
  if (e.everyMs !== undefined) return { type: 'every', periodUs: msToUs(e.everyMs), startUs, ...(e.times !== undefined ? { times: e.times } : {}), ...untilUs };
  return { type: 'when', condition: toCondition(e.when!), nth: e.nth ?? 1, times: e.times ?? 1, delayUs: msToUs(e.delayMs ?? 0), startUs, ...untilUs };
}

function toCondition(c: z.infer<typeof condition>): EventCondition {
  if ('sent' in c) {
    const { deliveredTo: d, before, ...rest } = c;
    const out: EventCondition = { ...rest };
    if (d !== undefined) (out as { deliveredTo?: DeliveryCount }).deliveredTo = deliveryCount(d);
    if (before !== undefined) (out as { before?: readonly string[] }).before = typeof before === 'string' ? [before] : before;
    return out;
  }
  return c as EventCondition;
}

function deliveryCount(d: number | string): DeliveryCount {
  if (d === 'all') return 'all';
  if (typeof d === 'number') return { atLeast: d };
  return { atLeast: Number(d.replace(/^>=\s*/, '')) };
}
