/**
 * Votes and notifications of Fast Leader Election (ZooKeeper's FastLeaderElection, electionAlg
 * 3). A vote names a proposed leader with the (peerEpoch, zxid) it would lead from.
 */

/** A server's state as carried in notifications (wire codes LOOKING=0 … OBSERVING=3). */
export type PeerState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

/** Stand-in for Java's Long.MIN_VALUE: what observers and non-voters propose. */
export const NO_ID = Number.MIN_SAFE_INTEGER;

/** A proposal: leader sid, its last logged zxid, its currentEpoch. */
export interface Vote {
  leader: number;
  zxid: number;
  peerEpoch: number;
}

/** One election message, as FastLeaderElection.buildMsg lays it out (plus the sender's sid). */
export interface Notification {
  sid: number;
  state: PeerState;
  leader: number;
  zxid: number;
  /** The sender's round (logicalclock), or for a non-LOOKING sender the round it decided in. */
  electionEpoch: number;
  peerEpoch: number;
}

/**
 * ZooKeeper's totalOrderPredicate: does the new vote beat the current one? Compare
 * (peerEpoch, zxid, sid) lexicographically. The sid tie-break only applies when epoch and
 * zxid are equal — the bracketing that ZOOKEEPER-1419 fixed. A server with weight 0 (an
 * observer) never wins.
 */
export function voteBeats(next: Vote, current: Vote, isVoter: (sid: number) => boolean): boolean {
  if (!isVoter(next.leader)) return false;
  if (next.peerEpoch !== current.peerEpoch) return next.peerEpoch > current.peerEpoch;
  if (next.zxid !== current.zxid) return next.zxid > current.zxid;
  return next.leader > current.leader;
}

/**
 * The notification format version 3.8.0 writes (buildMsg) and so every notification carries.
 * Vote's constructors without a version argument record 0 instead.
 */
export const NOTIFICATION_VERSION = 2;

/**
 * A vote recorded in a vote set: the vote plus the round and state it was sent with, and the
 * format version the record was made with (lookForLeader stores recvset entries without one,
 * i.e. 0; outofelection entries and the FOLLOWING/LEADING probe vote carry the notification's).
 */
export interface RecordedVote extends Vote {
  electionEpoch: number;
  state: PeerState;
  version: number;
}

/**
 * ZooKeeper's Vote.equals: between votes where either side is LOOKING, everything must match
 * (leader, zxid, round, epoch); between two settled votes (FOLLOWING/LEADING), only the leader
 * and its epoch — followers of one leader may have decided in different rounds — and only the
 * leader when exactly one side has version 0 (the ZOOKEEPER-1732 mixed-version rule, which
 * 3.8.0 also applies to its own recvset records).
 */
export function sameVote(a: RecordedVote, b: RecordedVote): boolean {
  if (a.state === 'LOOKING' || b.state === 'LOOKING') {
    return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  if ((a.version > 0) !== (b.version > 0)) return a.leader === b.leader;
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}
