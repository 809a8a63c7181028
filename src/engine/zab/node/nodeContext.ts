import type { Effect } from '../../../sim/host/process.ts';
import type { Txn } from '../../request/txn.ts';
import type { EnsembleConfig } from '../config.ts';
import type { QuorumPacket, RevalidatePacket, SyncReplyPacket } from '../messages.ts';
import type { Replica } from '../replica/replica.ts';

/** What a role (leader, learner) may ask of the node that hosts it. */
export interface NodeContext {
  readonly myid: number;
  readonly cfg: EnsembleConfig;
  readonly voters: readonly number[];
  /** The replicated state and its disk (shared by every role the node takes). */
  readonly replica: Replica;
  currentEpoch(): number;
  acceptedEpoch(): number;
  lastLoggedZxid(): number;
  lastProcessedZxid(): number;
  /** Writes acceptedEpoch durably, then updates it in memory, then runs `then` (ZK-2307 order). */
  persistAcceptedEpoch(epoch: number, out: Effect[], then: (out: Effect[]) => void): void;
  persistCurrentEpoch(epoch: number, out: Effect[], then: (out: Effect[]) => void): void;
  /**
   * Leader.lead starts with zk.loadData(), which takes a snapshot; the learner port opens only
   * after it. Runs `then` once the snapshot is durable.
   */
  takeSnapshot(out: Effect[], then: (out: Effect[]) => void): void;
  /** Logs txns (SyncRequestProcessor, with its snapshot rolls). */
  logTxns(txns: Txn[], out: Effect[]): void;
  /** Runs `then` once every logged txn up to `zxid` is durable. */
  whenLogDurable(zxid: number, out: Effect[], then: (out: Effect[]) => void): void;
  /** Runs `then` once the snapshot at `zxid` is durable. */
  whenSnapshotDurable(zxid: number, then: (out: Effect[]) => void): void;
  /** Applies a committed txn: the replica, then the client front end (watches, replies). */
  applyCommitted(txn: Txn, out: Effect[]): void;
  /** The role can serve clients now (leader established / learner UPTODATE). */
  startServing(out: Effect[]): void;
  /** A learner's answer from the leader for the client front end (SYNC, REVALIDATE_REPLY). */
  deliverToFrontEnd(p: SyncReplyPacket | RevalidatePacket, out: Effect[]): void;
  /** Leader: a learner's REQUEST, PING reply or REVALIDATE, for the session side. */
  onLearnerPacket(conn: number, p: QuorumPacket, out: Effect[]): void;
  /** Leader: is the session alive and not closing? */
  sessionActive(sessionId: number): boolean;
  /** Sessions touched by this server's clients since the last call (the PING reply's payload). */
  drainTouches(): [number, number][];
  /** Records a protocol event in the trace. */
  trace(event: Record<string, unknown>, out: Effect[]): void;
  /** Whether this step's trace events are read (per-txn events are skipped when not). */
  readonly traced: boolean;
  /** Ends the current role: the node goes LOOKING and starts a new election. */
  abandon(reason: string, out: Effect[]): void;
  /** The node's local time in ms. */
  nowMs(): number;
  /** A uniform integer in [min, max] from the node's own choice stream. */
  randomInt(min: number, max: number): number;
}

/** Quorum test over voters: more than half. */
export function isQuorum(voters: readonly number[], members: Iterable<number>): boolean {
  let n = 0;
  for (const sid of members) if (voters.includes(sid)) n++;
  return n * 2 > voters.length;
}
