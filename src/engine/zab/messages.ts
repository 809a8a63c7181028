/**
 * Server-to-server packets of the quorum protocol (ZooKeeper's QuorumPacket types), plus the
 * hello that opens every server connection. Every packet is plain data so it can cross the
 * simulated network and appear in the trace.
 */
import type { Txn } from '../request/txn.ts';
import type { DatabaseSnapshot } from '../db/zkDatabase.ts';
import type { ClientRequest } from '../request/types.ts';

/** Which protocol a server connection carries; sent first by the dialer. */
export interface QuorumHello {
  type: 'hello';
  channel: 'quorum';
  sid: number;
}

/** Learner → leader: who I am and my acceptedEpoch (FOLLOWERINFO / OBSERVERINFO). */
export interface LearnerInfoPacket {
  type: 'FOLLOWERINFO' | 'OBSERVERINFO';
  sid: number;
  /** makeZxid(acceptedEpoch, 0). */
  zxid: number;
}

/** Leader → learner: the epoch it proposes (makeZxid(newEpoch, 0)). */
export interface LeaderInfoPacket {
  type: 'LEADERINFO';
  zxid: number;
}

/** Learner → leader: its currentEpoch (or −1: "not an ack") and last logged zxid. */
export interface AckEpochPacket {
  type: 'ACKEPOCH';
  currentEpoch: number;
  lastLoggedZxid: number;
}

/** The first sync packet. */
export type SyncStartPacket =
  | { type: 'DIFF'; zxid: number }
  | { type: 'TRUNC'; zxid: number }
  | { type: 'SNAP'; zxid: number; snapshot: DatabaseSnapshot };

/** A txn proposed (during sync: a committed txn being replayed; in broadcast: new). */
export interface ProposalPacket {
  type: 'PROPOSAL';
  txn: Txn;
}

/** A committed zxid (followers), or the full committed txn (observers: INFORM). */
export type CommitPacket = { type: 'COMMIT'; zxid: number } | { type: 'INFORM'; txn: Txn };

/** End of sync data: the new epoch's zxid. */
export interface NewLeaderPacket {
  type: 'NEWLEADER';
  zxid: number;
}

/** Learner → leader: ack of NEWLEADER, of UPTODATE, or of a proposal. */
export interface AckPacket {
  type: 'ACK';
  zxid: number;
}

/** Leader → learner: the learner may serve clients now. */
export interface UpToDatePacket {
  type: 'UPTODATE';
}

/**
 * Leader → learner: liveness probe. Learner → leader: the answer, carrying the sessions its
 * clients touched since the last ping (sessionId → timeoutMs) — the leader owns expiry.
 */
export interface PingPacket {
  type: 'PING';
  touches?: [number, number][];
}

/** Learner → leader: a client request the learner cannot handle itself (writes, session ops, sync). */
export interface RequestPacket {
  type: 'REQUEST';
  sessionId: number;
  cxid: number;
  request: ClientRequest | { op: 'createSession'; timeoutMs: number } | { op: 'closeSession' };
}

/** Leader → learner: a forwarded sync has reached this learner's position (Leader.processSync). */
export interface SyncReplyPacket {
  type: 'SYNC';
  sessionId: number;
  cxid: number;
}

/** Learner → leader → learner: is this session still alive (re-attach through a learner)? */
export type RevalidatePacket =
  | { type: 'REVALIDATE'; sessionId: number; timeoutMs: number; probe: number }
  | { type: 'REVALIDATE_REPLY'; sessionId: number; valid: boolean; probe: number };

/** Every packet on a quorum connection. */
export type QuorumPacket =
  | QuorumHello
  | LearnerInfoPacket
  | LeaderInfoPacket
  | AckEpochPacket
  | SyncStartPacket
  | ProposalPacket
  | CommitPacket
  | NewLeaderPacket
  | AckPacket
  | UpToDatePacket
  | PingPacket
  | RequestPacket
  | SyncReplyPacket
  | RevalidatePacket;
