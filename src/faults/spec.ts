/**
 * The fault plan as the injector takes it: plain, JSON-safe data with every time in integer
 * microseconds. The scenario loader (src/scenario) produces it from YAML; tests may write it by
 * hand. Nothing here is resolved yet: targets such as `leader` name a role, and the injector
 * turns them into server ids at the moment a fault fires.
 */
import type { LatencyModel } from '../sim/network/latency.ts';

/**
 * Names of node sets that depend on the moment a fault fires. Besides these, a target may be a
 * server id (`n2`), a client id (`c1`) or a named group from the scenario.
 */
export const ROLE_TARGETS = [
  'leader', // the current leader (the newest established one, else the newest LEADING one)
  'follower', // one follower: the lowest id
  'followers', // every follower
  'random-follower', // one follower, drawn from the faults stream
  'observer', // one observer that is up: the lowest id
  'observers', // every configured observer
  'random-observer', // one observer that is up, drawn
  'participants', // every voting server
  'all', // every server
  'random', // one server that is up, drawn
  'majority', // a drawn quorum of participants
  'minority', // the participants a drawn quorum leaves out
  'minority-with-leader', // the leader plus a drawn minority-sized set of other participants
  'round-robin', // the next server in id order, one per firing of the fault
  'down', // every server that is not running
  'paused', // every paused server
  'clients', // every client endpoint (every process that is not a server)
  'rest', // in a partition: every server not named by another group
] as const;
export type RoleTarget = (typeof ROLE_TARGETS)[number];

/** Targets that are a fixed membership test at an instant, usable as event filters. */
export const FILTER_TARGETS: readonly RoleTarget[] = ['leader', 'follower', 'followers', 'observer', 'observers', 'participants', 'all', 'down', 'paused', 'clients'];

/** One name or a union of names. */
export type TargetSpec = string | readonly string[];

/** How a crash treats the disk: power loss (default), a process kill, or power loss mid-write. */
export type DiskMode = 'lose-unsynced' | 'keep-unsynced' | 'torn-write';

/** A duration drawn uniformly from [minUs, maxUs] each time it is needed. */
export interface UsRange {
  minUs: number;
  maxUs: number;
}

/** Link faults change the configuration of every directed link from → to (and back unless oneWay). */
interface LinkScope {
  from: TargetSpec;
  to: TargetSpec;
  oneWay: boolean;
}

/** What a fault does when it fires. */
export type FaultAction =
  | { kind: 'partition'; groups: readonly TargetSpec[] }
  | { kind: 'partition-one-way'; from: TargetSpec; to: TargetSpec }
  | { kind: 'heal' }
  | ({ kind: 'loss' | 'duplicate' | 'reorder'; perMille: number } & LinkScope)
  | ({ kind: 'delay'; latency: LatencyModel } & LinkScope)
  | ({ kind: 'clog' } & LinkScope)
  | { kind: 'crash'; target: TargetSpec; disk: DiskMode }
  | { kind: 'restart'; target: TargetSpec }
  | { kind: 'crash-restart'; target: TargetSpec; disk: DiskMode; down: UsRange }
  | { kind: 'pause'; target: TargetSpec }
  | { kind: 'resume'; target: TargetSpec }
  | { kind: 'clock-skew'; target: TargetSpec; byUs: number }
  | { kind: 'clock-drift'; target: TargetSpec; ppm: number }
  | { kind: 'disk-loss'; target: TargetSpec; down: UsRange };
export type FaultKind = FaultAction['kind'];

/** Every action kind, for validation and documentation. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'partition', 'partition-one-way', 'heal', 'loss', 'duplicate', 'reorder', 'delay', 'clog',
  'crash', 'restart', 'crash-restart', 'pause', 'resume', 'clock-skew', 'clock-drift', 'disk-loss',
];

/** Kinds whose effect a `duration` can undo (heal, restore links, restart, resume, reset clock). */
export const REVERSIBLE_KINDS: readonly FaultKind[] = [
  'partition', 'partition-one-way', 'loss', 'duplicate', 'reorder', 'delay', 'clog', 'crash', 'pause', 'clock-skew', 'clock-drift',
];

/**
 * Protocol phases a trigger can wait for, each one event of the engine's trace:
 * LOOKING (a server starts an election), LEADING/FOLLOWING/OBSERVING (its election decided that
 * role), DISCOVERY (a leader proposed a new epoch), SYNC and DIFF/TRUNC/SNAP (a leader starts
 * syncing a learner, in that mode), NEWLEADER (a leader sends NEWLEADER), ESTABLISHED (a quorum
 * acked it), SERVING (a learner got UPTODATE and serves clients).
 */
export const PHASES = ['LOOKING', 'LEADING', 'FOLLOWING', 'OBSERVING', 'DISCOVERY', 'SYNC', 'DIFF', 'TRUNC', 'SNAP', 'NEWLEADER', 'ESTABLISHED', 'SERVING'] as const;
export type PhaseName = (typeof PHASES)[number];

/** Client history events: an invocation or one kind of completion (`complete` = any). */
export const OP_EVENTS = ['invoke', 'ok', 'fail', 'info', 'complete'] as const;
export type OpEvent = (typeof OP_EVENTS)[number];

/**
 * Session events: a client's connection state (connected, disconnected, expired, closed), or the
 * leader proposing a session's creation or its end (created, closing — an expiry or a close).
 */
export const SESSION_EVENTS = ['connected', 'disconnected', 'expired', 'closed', 'created', 'closing'] as const;
export type SessionEvent = (typeof SESSION_EVENTS)[number];

/** How many distinct sender→receiver deliveries a message group needs (`all`: every one sent so far). */
export type DeliveryCount = { atLeast: number } | 'all';

/** The protocol event a `when` trigger waits for. */
export type EventCondition =
  | {
      /** A message type as it appears in the payload's `type` (ZAB) or `t` (client wire). */
      sent: string;
      from?: TargetSpec;
      to?: TargetSpec;
      /** Fire at the delivery that brings the group to this count, not at the send. */
      deliveredTo?: DeliveryCount;
      /** Only while no message of these types was sent for the same zxid (or since the first send). */
      before?: readonly string[];
    }
  | { phase: PhaseName; node?: TargetSpec; peer?: TargetSpec }
  | { op: OpEvent; f?: string; client?: TargetSpec; error?: string }
  | { session: SessionEvent; client?: TargetSpec }
  | { proto: string; node?: TargetSpec; match?: Readonly<Record<string, string | number | boolean>> };

/** When a fault fires. */
export type Trigger =
  | { type: 'at'; atUs: number }
  | { type: 'after'; fault: string; delayUs: number }
  | { type: 'every'; periodUs: number; startUs: number; times?: number; untilUs?: number }
  | {
      type: 'when';
      condition: EventCondition;
      /** Fire on the nth matching event (1 = the first). */
      nth: number;
      /** Fire at most this many times. */
      times: number;
      /** 0: inside the event itself; otherwise this long after it. */
      delayUs: number;
      /** The trigger is armed from this time... */
      startUs: number;
      /** ...until this one (default: forever). */
      untilUs?: number;
    };

/** One fault: what, when, and for how long (undone after `durationUs` when given). */
export interface FaultSpec {
  name: string;
  action: FaultAction;
  trigger: Trigger;
  durationUs?: number;
}

/** Swarm mode: the seed picks a random mix of faults, rates and times inside a window. */
export interface SwarmSpec {
  name: string;
  swarm: {
    startUs: number;
    untilUs: number;
    /** Kinds to draw from. */
    kinds: readonly FaultKind[];
    /** How many faults to draw (inclusive bounds). */
    count: { min: number; max: number };
    /** Longest duration of a reversible fault. */
    maxDurationUs: number;
  };
}

/** One entry of a fault plan. */
export type FaultPlanEntry = FaultSpec | SwarmSpec;

/** Whether an entry is a swarm. */
export function isSwarm(e: FaultPlanEntry): e is SwarmSpec {
  return 'swarm' in e;
}

/** The targets a fault acts on (for validation and reports). */
export function actionTargets(a: FaultAction): TargetSpec[] {
  switch (a.kind) {
    case 'partition':
      return [...a.groups];
    case 'heal':
      return [];
    case 'partition-one-way':
    case 'loss':
    case 'duplicate':
    case 'reorder':
    case 'delay':
    case 'clog':
      return [a.from, a.to];
    default:
      return [a.target];
  }
}

/** A target spec as a list of names. */
export function targetNames(t: TargetSpec): readonly string[] {
  return typeof t === 'string' ? [t] : t;
}
