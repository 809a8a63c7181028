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
    const list = this.byFsyncId.get(String(id));
    if (list === undefined) return false;
    this.byFsyncId.delete(String(id));
    for (const then of list) then(out);
    return true;
  }

  /** Runs `then` once the log is durable through `zxid` (now, if it already is). */
  whenLog(zxid: number, durableUpTo: number, out: Effect[], then: Then): void {
    if (zxid <= durableUpTo) then(out);
    else this.log.push({ zxid, then });
  }

  logDurable(upTo: number, out: Effect[]): void {
    const ready = this.log.filter((w) => w.zxid <= upTo);
    if (ready.length === 0) return;
    this.log = this.log.filter((w) => w.zxid > upTo);
    for (const w of ready) w.then(out);
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
