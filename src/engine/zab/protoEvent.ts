/**
 * Every protocol event a ZooKeeper server puts in the trace (trace kind `proto`), as one
 * discriminated union on `ev`. The engine emits only these (ZabNode.trace and the leader
 * pipeline take a {@link ZabProtoEvent}); fault triggers, the run's event logs and the report
 * read them through this type, so renaming an event or a field breaks the compile instead of
 * silently disarming a trigger. {@link ZAB_PROTO_EVENTS} lists the names for scenario checks.
 */
import type { StartupError } from '../persistence/startupChecks.ts';
import type { PeerState } from './election/vote.ts';
import type { SyncMode } from './sync/syncPlan.ts';

/** A txn's fate on one replica, for the ZAB property checker (src/checker/zab/events.ts). */
export type ZabTxnEvent =
  | { ev: 'zab'; kind: 'log' | 'apply'; zxid: number; digest: string }
  | { ev: 'zab'; kind: 'commit'; zxid: number }
  | { ev: 'zab'; kind: 'truncate'; toZxid: number }
  | { ev: 'zab'; kind: 'snapshotLoad'; zxid: number; fastForward?: boolean; problems?: number }
  | { ev: 'zab'; kind: 'syncSnap' | 'recover'; zxid: number };

/** One protocol event of a ZooKeeper server. */
export type ZabProtoEvent =
  // Election.
  | { ev: 'state'; state: 'LOOKING'; currentEpoch: number; zxid: number }
  | { ev: 'decided'; state: PeerState; leader: number; round: number; how: string }
  | { ev: 'abandon'; role: PeerState; reason: string }
  // Discovery and synchronization.
  | { ev: 'role'; role: 'LEADING'; phase: 'startup' | 'discovery' }
  | { ev: 'role'; role: 'FOLLOWING' | 'OBSERVING'; leader: number }
  | { ev: 'epoch-proposed'; epoch: number; quorum: number[] }
  | { ev: 'epoch-acked'; epoch: number }
  | { ev: 'acceptedEpoch'; epoch: number }
  | { ev: 'currentEpoch'; epoch: number }
  | { ev: 'sync'; sid: number; mode: SyncMode; zxid: number; peerZxid: number; txns: number; reason: string }
  | { ev: 'sync-start'; mode: SyncMode; zxid: number }
  | { ev: 'truncate'; zxid: number; from: number }
  | { ev: 'learner-lost'; sid: number }
  | { ev: 'established'; epoch: number; quorum: number[]; electionMs: number }
  | { ev: 'serving'; leader: number; epoch: number }
  // Broadcast.
  | { ev: 'propose'; epoch: number; zxid: number; type: string; digest: string }
  | ZabTxnEvent
  // Startup and oddities.
  | { ev: 'startup-failed'; error: StartupError }
  | { ev: 'warn'; msg: string };

/** The event names (`ev`), each once; typed so a name added to or dropped from the union must be listed. */
const NAMES: Record<ZabProtoEvent['ev'], true> = {
  state: true,
  decided: true,
  abandon: true,
  role: true,
  'epoch-proposed': true,
  'epoch-acked': true,
  acceptedEpoch: true,
  currentEpoch: true,
  sync: true,
  'sync-start': true,
  truncate: true,
  'learner-lost': true,
  established: true,
  serving: true,
  propose: true,
  zab: true,
  'startup-failed': true,
  warn: true,
};

/** Every `ev` a server emits (what a scenario's `when: { proto: … }` may name). */
export const ZAB_PROTO_EVENTS: readonly ZabProtoEvent['ev'][] = Object.keys(NAMES) as ZabProtoEvent['ev'][];

/** The ZAB protocol event in a `proto` trace record, or undefined for another producer's event. */
export function asZabProtoEvent(data: unknown): ZabProtoEvent | undefined {
  return typeof data === 'object' && data !== null && typeof (data as { ev?: unknown }).ev === 'string' ? (data as ZabProtoEvent) : undefined;
}
