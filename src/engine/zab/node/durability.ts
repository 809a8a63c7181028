import type { Effect } from '../../../sim/host/process.ts';

type Then = (out: Effect[]) => void;

/**
 * "Do this once that is on disk." ZooKeeper writes epochs, snapshots and txns synchronously on
 * the thread that then sends the ACK; as a state machine we issue the write and its fsync and
 * park the continuation until the kernel reports completion. fsyncs on one disk complete in
 * issue order, so continuations waiting on one kind of write run in the order registered.
 */
export class DurabilityWaits {
  private byFsyncId = new Map<string, Then[]>();
  private log: { zxid: number; then: Then }[] = [];
  private snapshots = new Map<number, Then[]>();

  /** Runs `then` when the fsync with `id` completes. */
  onFsync(id: string, then: Then): void {
    const list = this.byFsyncId.get(id) ?? [];
    list.push(then);
    this.byFsyncId.set(id, list);
  }

  /** Routes a completed fsync id; false if nobody waited on it. */
  fsynced(id: string | number, out: Effect[]): boolean {
    // Log fsyncs (one per txn per replica) are never waited on here: skip building the key.
    if (this.byFsyncId.size === 0) return false;
    const key = String(id);
    const list = this.byFsyncId.get(key);
    if (list === undefined) return false;
    this.byFsyncId.delete(key);
    for (const then of list) then(out);
    return true;
  }

  /** Runs `then` once the log is durable through `zxid` (now, if it already is). */
  whenLog(zxid: number, durableUpTo: number, out: Effect[], then: Then): void {
    if (zxid <= durableUpTo) then(out);
    else this.log.push({ zxid, then });
  }

  /** Runs, in registration order, every log wait now satisfied; the rest keep their order. */
  logDurable(upTo: number, out: Effect[]): void {
    const waits = this.log;
    let ready = 0;
    for (let i = 0; i < waits.length; i++) if (waits[i]!.zxid <= upTo) ready++;
    if (ready === 0) return;
    // Called on every log fsync: no new arrays when every wait is satisfied (the usual case).
    const kept = ready === waits.length ? [] : waits.filter((w) => w.zxid > upTo);
    this.log = kept;
    for (let i = 0; i < waits.length; i++) if (waits[i]!.zxid <= upTo) waits[i]!.then(out);
  }

  whenSnapshot(zxid: number, then: Then): void {
    const list = this.snapshots.get(zxid) ?? [];
    list.push(then);
    this.snapshots.set(zxid, list);
  }

  snapshotDurable(zxid: number, out: Effect[]): void {
    const list = this.snapshots.get(zxid);
    this.snapshots.delete(zxid);
    for (const then of list ?? []) then(out);
  }
}
