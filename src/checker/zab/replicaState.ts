/**
 * What the ZAB checker remembers about each node while it walks the trace: its durable log
 * (and what removed entries from it), the prefix covered by a snapshot, and its applied position.
 */

/** Per-node state. */
export interface ReplicaState {
  /** Durably logged txns: zxid → digest and the `log` event. */
  log: Map<number, { digest: string; ev: number }>;
  /** Txns with zxid ≤ this are held by a snapshot rather than the log. */
  snapZxid: number;
  /** zxid → the event (truncate, diskLoss, syncSnap) that removed it from the log. */
  removed: Map<number, number>;
  /** Last applied zxid (or snapshot zxid) and the event that set it; reset by crash/diskLoss. */
  pos: { zxid: number; ev: number | undefined };
}

/** A fresh node: empty log, empty tree. */
export function newReplica(): ReplicaState {
  return { log: new Map(), snapZxid: 0, removed: new Map(), pos: { zxid: 0, ev: undefined } };
}

/** True when the node's durable history holds `zxid` (in its log or under its snapshot). */
export function holds(r: ReplicaState, zxid: number): boolean {
  return zxid <= r.snapZxid || r.log.has(zxid);
}

/** Drops log entries above `toZxid`, remembering the event that dropped them. */
export function truncateLog(r: ReplicaState, toZxid: number, ev: number): void {
  for (const z of [...r.log.keys()]) {
    if (z > toZxid) {
      r.log.delete(z);
      r.removed.set(z, ev);
    }
  }
  r.snapZxid = Math.min(r.snapZxid, toZxid);
}

/** A frozen copy of what a node holds, for checks that compare against a past moment. */
export interface HeldSnapshot {
  zxids: Set<number>;
  snapZxid: number;
}

/** Copies the node's durable history. */
export function snapshotHeld(r: ReplicaState): HeldSnapshot {
  return { zxids: new Set(r.log.keys()), snapZxid: r.snapZxid };
}

/** Binary search: the first element of ascending `xs` greater than `x`, or undefined. */
export function firstAbove(xs: readonly number[], x: number): number | undefined {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return xs[lo];
}
