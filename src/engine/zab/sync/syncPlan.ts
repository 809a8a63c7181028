import { zxidCounter, zxidEpoch } from '../../zxid.ts';
import type { Txn } from '../../request/txn.ts';

/** How the leader brings a learner up to date. */
export type SyncMode = 'DIFF' | 'TRUNC' | 'SNAP';

/** What the leader knows when it plans a learner's sync. */
export interface LeaderSyncView {
  /** The leader's last applied zxid. */
  lastProcessedZxid: number;
  /** The most recent committed txns, ascending (ZooKeeper keeps commitLogCount = 500). */
  committedLog: readonly Txn[];
  /**
   * Committed txns from the on-disk log, ascending, starting at or before `afterZxid + 1`; or
   * undefined when the retained log no longer reaches back that far or the read would exceed
   * the size limit (then the leader sends a snapshot).
   */
  txnsFromLog(afterZxid: number): readonly Txn[] | undefined;
}

/** The leader's plan for one learner: the first packet, then PROPOSAL+COMMIT pairs. */
export interface SyncPlan {
  mode: SyncMode;
  /** The zxid carried by the DIFF / TRUNC / SNAP packet. */
  packetZxid: number;
  /** Committed txns to send as PROPOSAL + COMMIT after the first packet. */
  txns: Txn[];
  /** Highest zxid queued for the learner: forwarding of outstanding proposals starts after it. */
  lastQueuedZxid: number;
  /** Why this mode was chosen, in ZooKeeper's words where it logs them. */
  reason: string;
}

const isEpochStart = (zxid: number) => zxidCounter(zxid) === 0;

/**
 * LearnerHandler.syncFollower: chooses DIFF, TRUNC or SNAP for a learner whose last logged
 * zxid is `peerLastZxid`, in ZooKeeper's order of cases:
 * 1. the peer is exactly where the leader is: an empty DIFF;
 * 2. the peer is past the committed log (or, when it is empty, the last applied zxid) and not at
 *    an epoch start: TRUNC to its end;
 * 3. the peer is inside the committed log window: walk it (queueCommittedProposals);
 * 4. the peer is before the window: try the on-disk log the same way;
 * 5. otherwise, or when the walk cannot decide: SNAP.
 */
export function planSync(view: LeaderSyncView, peerLastZxid: number): SyncPlan {
  const log = view.committedLog;
  // An empty committed log (a leader restarted from a snapshot with no txns after it) stands for
  // the leader's last applied zxid, as syncFollower does: a peer past it is TRUNCated to it, not
  // to 0, which would make the peer drop its whole history and replay COMMITs on an empty tree.
  const minCommitted = log.length > 0 ? log[0]!.zxid : view.lastProcessedZxid;
  const maxCommitted = log.length > 0 ? log[log.length - 1]!.zxid : view.lastProcessedZxid;
  if (view.lastProcessedZxid === peerLastZxid) {
    return { mode: 'DIFF', packetZxid: peerLastZxid, txns: [], lastQueuedZxid: peerLastZxid, reason: 'peer is in sync' };
  }
  if (peerLastZxid > maxCommitted && !isEpochStart(peerLastZxid)) {
    return { mode: 'TRUNC', packetZxid: maxCommitted, txns: [], lastQueuedZxid: maxCommitted, reason: 'peer is ahead of the committed log' };
  }
  if (log.length > 0 && minCommitted <= peerLastZxid && peerLastZxid <= maxCommitted) {
    return walkCommitted(log, peerLastZxid, maxCommitted) ?? snap(view, 'Cannot send TRUNC to peer: peer zxid is from different epoch');
  }
  if (peerLastZxid < minCommitted || log.length === 0) {
    const fromLog = view.txnsFromLog(peerLastZxid);
    if (fromLog !== undefined) {
      // Walk from the log first, then continue through the in-memory committed log.
      const merged = mergeAscending(fromLog, log);
      if (merged.length > 0) {
        const plan = walkCommitted(merged, peerLastZxid, merged[merged.length - 1]!.zxid);
        if (plan !== undefined) return plan;
      }
    }
  }
  return snap(view, 'peer is too far behind the committed log');
}

function snap(view: LeaderSyncView, reason: string): SyncPlan {
  return { mode: 'SNAP', packetZxid: view.lastProcessedZxid, txns: [], lastQueuedZxid: view.lastProcessedZxid, reason };
}

/**
 * queueCommittedProposals: skip what the peer has; DIFF if we meet its zxid exactly (or it is at
 * an epoch start); TRUNC to the previous proposal if we pass it without meeting it — unless the
 * epochs differ, where TRUNC is refused and the caller falls back to SNAP (undefined).
 */
function walkCommitted(log: readonly Txn[], peerLastZxid: number, lastCommittedZxid: number): SyncPlan | undefined {
  const peerAtEpochStart = isEpochStart(peerLastZxid);
  let mode: SyncMode | undefined;
  let packetZxid = 0;
  let queuedZxid = peerLastZxid;
  let prevProposalZxid = -1;
  const txns: Txn[] = [];
  for (const t of log) {
    const z = t.zxid;
    if (z < peerLastZxid) {
      prevProposalZxid = z;
      continue;
    }
    if (mode === undefined) {
      if (z === peerLastZxid) {
        mode = 'DIFF';
        packetZxid = lastCommittedZxid;
        continue;
      }
      if (peerAtEpochStart) {
        mode = 'DIFF';
        packetZxid = lastCommittedZxid;
      } else {
        // The peer has txns the leader never committed: truncate them, within one epoch only.
        if (zxidEpoch(z) !== zxidEpoch(peerLastZxid)) return undefined;
        mode = 'TRUNC';
        packetZxid = prevProposalZxid;
      }
    }
    if (z <= queuedZxid) continue;
    txns.push(t);
    queuedZxid = z;
  }
  if (mode === undefined && peerAtEpochStart) {
    mode = 'DIFF';
    packetZxid = lastCommittedZxid;
  }
  if (mode === undefined) return undefined;
  const reason = mode === 'DIFF' ? 'peer is within the committed log' : 'peer has txns the leader did not commit';
  return { mode, packetZxid, txns, lastQueuedZxid: queuedZxid, reason };
}

function mergeAscending(a: readonly Txn[], b: readonly Txn[]): Txn[] {
  const out: Txn[] = [...a];
  const last = out.length > 0 ? out[out.length - 1]!.zxid : -Infinity;
  for (const t of b) if (t.zxid > last) out.push(t);
  return out;
}
