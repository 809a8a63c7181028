/**
 * ZooKeeper's txn continuity, as a pure check between consecutive logged zxids.
 *
 * A server's log is a contiguous piece of the ensemble's history: a leader numbers its txns
 * `(epoch, 1), (epoch, 2), …` with no holes, a follower logs the leader's proposals in order
 * (Learner.enforceContinuousProposal), TRUNC cuts back to a txn the follower has, and a SNAP
 * restarts the log right after the snapshot. So the next logged zxid is either the successor
 * in the same epoch, or the first txn (counter 1) of a later epoch. Anything else means txns
 * were lost in between (or the log went backwards), and replaying past that point would build a
 * state no replica ever had. ZooKeeper itself only logs an error when zxids go backwards
 * (FileTxnSnapLog.fastForwardFromEdits); we refuse to replay past the hole and report it.
 */
import { formatZxid, zxidCounter, zxidEpoch } from '../zxid.ts';

/**
 * Why `next` cannot directly follow `prev` in a log (or follow the snapshot at `prev`), or
 * undefined when it can. `prev` may be 0, the empty history.
 */
export function continuityViolation(prev: number, next: number): string | undefined {
  if (next <= prev) return `zxid ${formatZxid(next)} does not increase after ${formatZxid(prev)}`;
  if (zxidEpoch(next) === zxidEpoch(prev)) {
    if (next === prev + 1) return undefined;
    return `gap: ${formatZxid(next)} follows ${formatZxid(prev)} in the same epoch`;
  }
  if (zxidCounter(next) === 1) return undefined;
  return `gap: ${formatZxid(next)} opens epoch ${zxidEpoch(next)} after ${formatZxid(prev)} but is not its first txn`;
}
