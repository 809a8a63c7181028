/**
 * One server's replicated state and its disk (ZooKeeper's ZKDatabase + FileTxnSnapLog): the
 * in-memory database, the committed log kept for DIFF, the txn log writer and the snapshots.
 * It survives role changes (ZooKeeper keeps zkDb across LOOKING → FOLLOWING → LOOKING) and is
 * rebuilt from the disk on restart. Everything it does to the disk is returned as effects.
 *
 * To be able to TRUNC an applied state (after a restart replays uncommitted txns, ZooKeeper's
 * loadDataBase applies the whole log), it keeps the state of its newest snapshot and the txns
 * logged since, and rebuilds from them — what ZooKeeper does by reloading from disk.
 */
import type { Effect } from '../../../sim/host/process.ts';
import type { DiskImage } from '../../../sim/disk/disk.ts';
import { assert } from '../../assert.ts';
import { type DatabaseSnapshot, type ZkDatabase, freshDatabase, restoreDatabase, snapshotDatabase } from '../../db/zkDatabase.ts';
import { type ApplyOutcome, applyTxn } from '../../request/apply.ts';
import type { Txn } from '../../request/txn.ts';
import { formatZxid } from '../../zxid.ts';
import { fsyncOwner } from '../../persistence/fileNames.ts';
import { type RecoveredState, recover } from '../../persistence/recovery.ts';
import { SnapshotStore } from '../../persistence/snapshotStore.ts';
import { TxnLog } from '../../persistence/txnLog.ts';
import { CommittedLog } from './committedLog.ts';
import { emptyInPlace } from '../../../sim/emptyInPlace.ts';

/** What an fsync completion meant to the replica. */
export interface ReplicaFsync {
  /** The log became durable up to this zxid (undefined: the fsync was not a log batch). */
  logDurableUpTo?: number;
  /** A snapshot at this zxid became durable. */
  snapshotZxid?: number;
}

export class Replica {
  db: ZkDatabase;
  /** Newest committed txns, at most `commitLogCount` (ZKDatabase.committedLog). */
  private committed: CommittedLog;
  private baseState: DatabaseSnapshot;
  private loggedSinceBase: Txn[] = [];
  /**
   * Txns logged whose durability the trace has not reported yet, ascending. Kept apart from
   * `loggedSinceBase` because a snapshot roll drops from that list every txn it covers, and the
   * txn that triggers the roll often finds the previous, already applied one still waiting for
   * its fsync: it would never get its `log` event, and the ZAB checker would see a node without
   * a txn that is on its disk.
   */
  private notYetDurable: Txn[] = [];
  /** The list takeNewlyDurable last handed over, emptied and taken back at its next call. */
  private handedOver: Txn[] = [];
  private txnsSinceSnapshot = 0;
  private snapshotThreshold = 0;

  private constructor(
    private readonly commitLogCount: number,
    readonly log: TxnLog,
    readonly snapshots: SnapshotStore,
    base: DatabaseSnapshot,
  ) {
    this.baseState = base;
    this.db = restoreDatabase(base);
    this.committed = new CommittedLog(commitLogCount);
  }

  /** Newest committed txns, ascending, at most `commitLogCount` (a copy, for sync planning). */
  get committedLog(): Txn[] {
    return this.committed.toArray();
  }

  /** A replica over an empty disk. */
  static fresh(commitLogCount: number): Replica {
    return new Replica(commitLogCount, TxnLog.fresh(), SnapshotStore.fresh(), snapshotDatabase(freshDatabase()));
  }

  /**
   * Rebuilds a replica from a recovered disk: the snapshot, then every logged txn applied
   * (uncommitted ones included, as ZooKeeper's loadDataBase does). The caller applies
   * `recovered.repairs` first.
   */
  static fromRecovered(recovered: RecoveredState<DatabaseSnapshot>, commitLogCount: number): Replica {
    const base = recovered.snapshot?.payload ?? snapshotDatabase(freshDatabase());
    const r = new Replica(commitLogCount, TxnLog.open(recovered), SnapshotStore.open(recovered), base);
    for (const txn of recovered.txns) r.applyCommitted(txn);
    r.loggedSinceBase = [...recovered.txns];
    return r;
  }

  /** Recovers from a `start` input's disk image. */
  static recover(disk: DiskImage): RecoveredState<DatabaseSnapshot> {
    return recover<DatabaseSnapshot>(disk);
  }

  get lastLoggedZxid(): number {
    return this.log.lastLoggedZxid;
  }

  get lastProcessedZxid(): number {
    return this.db.lastProcessedZxid;
  }

  get durableZxid(): number {
    return this.log.durableUpTo;
  }

  /** Logs txns (SyncRequestProcessor): appended now, durable when an fsync reports it. Effects go onto `effects`. */
  logTxns(txns: readonly Txn[], snapshotRoll: () => number, snapCount: number, effects: Effect[] = []): Effect[] {
    if (txns.length === 0) return effects;
    this.log.appendAll(txns, effects);
    // Plain pushes, not push(...txns): a spread call is the generic builtin, every txn on every replica.
    for (let i = 0; i < txns.length; i++) {
      this.loggedSinceBase.push(txns[i]!);
      this.notYetDurable.push(txns[i]!);
    }
    this.txnsSinceSnapshot += txns.length;
    if (this.snapshotThreshold === 0) this.snapshotThreshold = Math.floor(snapCount / 2) + snapshotRoll();
    if (this.txnsSinceSnapshot > this.snapshotThreshold) {
      // SyncRequestProcessor: roll the log and snapshot the (fuzzy) applied state.
      this.txnsSinceSnapshot = 0;
      this.snapshotThreshold = Math.floor(snapCount / 2) + snapshotRoll();
      effects.push(...this.takeSnapshot());
    }
    return effects;
  }

  /** Applies a committed txn (FinalRequestProcessor) and keeps it for DIFF. */
  applyCommitted(txn: Txn): ApplyOutcome {
    const outcome = this.applyLogged(txn);
    this.committed.push(txn);
    return outcome;
  }

  private applyLogged(txn: Txn): ApplyOutcome {
    assert(txn.zxid > this.db.lastProcessedZxid, () => `apply ${formatZxid(txn.zxid)} after ${formatZxid(this.db.lastProcessedZxid)}`);
    return applyTxn(this.db, txn);
  }

  /**
   * Leaving a role: every logged txn not yet applied is applied (ZKDatabase.fastForwardDataBase
   * replays the log), so the node's vote and its next role start from its whole log.
   */
  fastForward(): Txn[] {
    const applied: Txn[] = [];
    for (const txn of this.loggedSinceBase) {
      if (txn.zxid <= this.db.lastProcessedZxid) continue;
      this.applyCommitted(txn);
      applied.push(txn);
    }
    return applied;
  }

  /**
   * The logged txns that became durable now that the log is durable through `upTo`, ascending,
   * each returned once (for the trace's `log` events). The list is only valid until the next
   * call: read it at once.
   */
  takeNewlyDurable(upTo: number): readonly Txn[] {
    let n = 0;
    while (n < this.notYetDurable.length && this.notYetDurable[n]!.zxid <= upTo) n++;
    if (n === 0) return NONE;
    // Usually every waiting txn is now durable (this runs per fsync on every replica): swap the
    // list with the one handed over last time, emptied.
    if (n === this.notYetDurable.length) {
      const all = this.notYetDurable;
      const spare = this.handedOver;
      emptyInPlace(spare);
      this.notYetDurable = spare;
      this.handedOver = all;
      return all;
    }
    return this.notYetDurable.splice(0, n);
  }

  /** The leader's state for a SNAP sync. */
  snapshotState(): DatabaseSnapshot {
    return snapshotDatabase(this.db);
  }

  /**
   * Committed txns from the log kept since the last snapshot, from the last one at or before
   * `afterZxid` on (the leader's txn-log sync), or undefined when that log does not reach back
   * that far or exceeds `limit`.
   */
  loggedCommittedAfter(afterZxid: number, limit: number): Txn[] | undefined {
    // The walk needs the log to start at or before the peer's zxid to find where they part.
    let from = -1;
    for (let i = 0; i < this.loggedSinceBase.length && this.loggedSinceBase[i]!.zxid <= afterZxid; i++) from = i;
    if (from < 0) return undefined;
    const txns = this.loggedSinceBase.slice(from).filter((t) => t.zxid <= this.db.lastProcessedZxid);
    return txns.length > limit ? undefined : txns;
  }

  /** Snapshots the applied state now (Leader.lead's loadData snapshot, snapCount rolls). */
  takeSnapshot(): Effect[] {
    const zxid = this.db.lastProcessedZxid;
    if (this.snapshots.durableZxids().includes(zxid)) return [];
    const state = snapshotDatabase(this.db);
    this.baseState = state;
    this.loggedSinceBase = this.loggedSinceBase.filter((t) => t.zxid > zxid);
    const effects = this.snapshots.write(zxid, state);
    if (zxid <= this.log.lastLoggedZxid && zxid > 0) effects.push(...this.log.startNewLog(zxid));
    return effects;
  }

  /** TRUNC: drops logged txns after `zxid` and, if the applied state went past it, rebuilds it. */
  truncateTo(zxid: number): Effect[] {
    const effects = [...this.snapshots.dropAfter(zxid), ...this.log.truncateTo(zxid)];
    this.notYetDurable = this.notYetDurable.filter((t) => t.zxid <= zxid);
    this.loggedSinceBase = this.loggedSinceBase.filter((t) => t.zxid <= zxid);
    this.committed.dropAfter(zxid);
    if (this.db.lastProcessedZxid > zxid) {
      assert(this.baseState.lastProcessedZxid <= zxid, () => `TRUNC to ${formatZxid(zxid)} below the snapshot ${formatZxid(this.baseState.lastProcessedZxid)}`);
      this.db = restoreDatabase(this.baseState);
      for (const txn of this.loggedSinceBase) this.applyLogged(txn);
    }
    return effects;
  }

  /**
   * SNAP: replaces the state with the leader's and writes it as a snapshot. The log is reset
   * only once that snapshot is durable (`onFsynced` reports it; the caller then calls
   * `resetLogTo`), so a crash in between leaves the old log or the new snapshot.
   */
  installSnapshot(state: DatabaseSnapshot): Effect[] {
    this.db = restoreDatabase(state);
    this.baseState = state;
    this.loggedSinceBase = [];
    // The old log is about to be dropped; the checker counts everything up to the snapshot held.
    this.notYetDurable = [];
    this.committed.clear();
    this.txnsSinceSnapshot = 0;
    return this.snapshots.write(state.lastProcessedZxid, state);
  }

  resetLogTo(snapshotZxid: number): Effect[] {
    this.notYetDurable = [];
    return this.log.reset(snapshotZxid);
  }

  /**
   * Routes an fsync completion: log batches, snapshots (then purge), anything else ignored. The
   * follow-up effects are pushed onto `effects` (the step's own list).
   */
  onFsynced(id: string | number, effects: Effect[]): ReplicaFsync | undefined {
    const owner = fsyncOwner(id);
    if (owner === 'log') return { logDurableUpTo: this.log.onFsynced(id, effects).durableUpTo };
    if (owner === 'snap') {
      const zxid = this.snapshots.onFsynced(String(id));
      if (zxid === undefined) return {};
      const purge = this.snapshots.purge();
      effects.push(...purge.effects);
      if (purge.oldestKeptZxid !== undefined) effects.push(...this.log.purgeBefore(purge.oldestKeptZxid));
      return { snapshotZxid: zxid };
    }
    return undefined;
  }

  /** Committed txns after `afterZxid` still in the in-memory window, or undefined when it does not reach back. */
  committedAfter(afterZxid: number): Txn[] | undefined {
    const first = this.committed.first();
    if (first === undefined || first.zxid > afterZxid + 1) return undefined;
    return this.committed.after(afterZxid);
  }
}

/**
 * What takeNewlyDurable returns when nothing became durable (shared: callers only read it).
 * Not frozen: V8 iterates a frozen array through the generic iterator, allocating each step.
 */
const NONE: readonly Txn[] = [];
