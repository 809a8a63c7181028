/**
 * A miniature node for the log tests: owns a TxnLog and a SnapshotStore over a DiskDriver,
 * routes `fsynced` completions to their owner as a ZAB node would, and keeps a model of the
 * history it believes in, so tests can check what a crash leaves against what was promised.
 *
 * The history is a list of entries {zxid, key}; each txn carries its key in `cxid` (unique per
 * test run), and a snapshot's payload is the history up to its zxid. The recovered history is
 * then snapshot entries + replayed txns, comparable with the model without a data tree.
 */
import { epochFsyncId, writeAcceptedEpoch, writeCurrentEpoch } from '../../../src/engine/persistence/epochFiles.ts';
import { CURRENT_EPOCH_FILE, fsyncOwner } from '../../../src/engine/persistence/fileNames.ts';
import { recover, type RecoveredState } from '../../../src/engine/persistence/recovery.ts';
import { SnapshotStore } from '../../../src/engine/persistence/snapshotStore.ts';
import { TxnLog } from '../../../src/engine/persistence/txnLog.ts';
import type { Txn } from '../../../src/engine/request/txn.ts';
import { makeZxid, zxidCounter, zxidEpoch } from '../../../src/engine/zxid.ts';
import type { DiskImage } from '../../../src/sim/disk/disk.ts';
import type { Effect } from '../../../src/sim/host/process.ts';
import { DiskDriver } from './fixtures.ts';

/** One txn of the model history. */
export interface Entry {
  zxid: number;
  key: number;
}

/** Snapshot payload: the history up to the snapshot's zxid, as [zxid, key] pairs. */
export interface KeysPayload {
  entries: Array<[number, number]>;
}

/** A test txn: a setData whose data length varies, so records (and torn cuts) vary in size. */
export function testTxn(zxid: number, key: number, dataBytes: number): Txn {
  const data = new Uint8Array(dataBytes);
  for (let i = 0; i < dataBytes; i++) data[i] = (key * 31 + i) & 0xff;
  return { zxid, timeMs: key, sessionId: 1, cxid: key, body: { type: 'setData', path: '/k', data, version: key } };
}

/** The zxid after `last`: the successor, or the first txn of the next epoch. */
export function nextZxid(last: number, newEpoch: boolean): number {
  return newEpoch ? makeZxid(zxidEpoch(last) + 1, 1) : zxidCounter(last) === 0xffffffff ? makeZxid(zxidEpoch(last) + 1, 1) : last + 1;
}

/** The history a recovered state describes. */
export function recoveredHistory(r: RecoveredState<KeysPayload>): Entry[] {
  const base = (r.snapshot?.payload.entries ?? []).map(([zxid, key]) => ({ zxid, key }));
  return [...base, ...r.txns.map((t) => ({ zxid: t.zxid, key: t.cxid }))];
}

let nextKey = 1;

/** See the module comment. */
export class LogNode {
  readonly driver: DiskDriver;
  log: TxnLog;
  store: SnapshotStore;
  history: Entry[];
  /** Every history this incarnation believed in (recovery may return a prefix of any). */
  readonly versions: number[][] = [];
  /** A SNAP sync waiting for its snapshot fsync before the log may be reset. */
  private pendingSnapSync: { zxid: number; history: Entry[] } | undefined;
  /** No TRUNC may go below a snapshot (a correct ZAB never asks; SnapshotStore.dropAfter is a guard). */
  snapFloor = 0;
  /** currentEpoch (= acceptedEpoch here) as durably written. */
  private epoch = 0;
  /**
   * After a TRUNC the next txn is the first of the new leader's epoch (raised before the TRUNC,
   * as LEADERINFO/NEWLEADER do): the leader had none of the truncated txns, so its history goes
   * on in its own epoch, newer than any we accepted.
   */
  private truncated = false;
  readonly recovered: RecoveredState<KeysPayload> | undefined;

  constructor(driver = new DiskDriver(), image?: DiskImage) {
    this.driver = driver;
    if (image === undefined) {
      this.log = TxnLog.fresh();
      this.store = SnapshotStore.fresh();
      this.history = [];
      this.recovered = undefined;
    } else {
      const r = recover<KeysPayload>(image);
      if (r.startupError !== undefined) throw new Error(`startup refused: ${r.startupError.message}`);
      this.recovered = r;
      this.history = recoveredHistory(r);
      this.snapFloor = r.baseZxid;
      this.epoch = r.currentEpoch;
      this.driver.apply(r.repairs);
      this.log = TxnLog.open(r);
      this.store = SnapshotStore.open(r);
    }
    this.remember();
  }

  /** Restarts from what a crash leaves. */
  static restart(from: LogNode, mode: 'lose' | 'tear' | 'kill', seed: number): LogNode {
    const image = from.driver.crash(mode, seed);
    return new LogNode(DiskDriver.fromImage(image), image);
  }

  get lastZxid(): number {
    return this.history.length === 0 ? 0 : this.history[this.history.length - 1]!.zxid;
  }

  get snapSyncPending(): boolean {
    return this.pendingSnapSync !== undefined;
  }

  /** The SNAP sync in progress, if any: the leader's snapshot zxid and history. */
  get snapSyncInProgress(): { zxid: number; history: readonly Entry[] } | undefined {
    return this.pendingSnapSync;
  }

  private remember(): void {
    this.versions.push(this.history.map((e) => e.key));
  }

  private apply(effects: readonly Effect[]): void {
    this.driver.apply(effects);
  }

  /**
   * Raises acceptedEpoch and currentEpoch and waits until currentEpoch is durable (completing
   * the fsyncs queued before it), as a node does before it logs txns of a new epoch; otherwise
   * a restart would refuse to start (log epoch > currentEpoch).
   */
  private raiseEpoch(epoch: number): void {
    if (epoch <= this.epoch) return;
    this.epoch = epoch;
    this.apply([...writeAcceptedEpoch(epoch), ...writeCurrentEpoch(epoch)]);
    const id = epochFsyncId(CURRENT_EPOCH_FILE, epoch);
    for (let done = this.completeFsync(); done !== id; done = this.completeFsync()) {
      if (done === undefined) throw new Error(`fsync ${id} never completed`);
    }
  }

  /** Logs `sizes.length` new txns (one append call), opening a new epoch first if asked. */
  append(sizes: readonly number[], newEpoch = false): Txn[] {
    const txns: Txn[] = [];
    let last = this.lastZxid;
    const opensEpoch = newEpoch || this.truncated;
    // A new epoch is newer than every epoch accepted so far, as a new leader's is; after a
    // TRUNC it is the one already raised.
    if (this.truncated) last = makeZxid(this.epoch - 1, 0xffffffff);
    else if (newEpoch) last = makeZxid(Math.max(this.epoch, zxidEpoch(last)), 0xffffffff);
    this.truncated = false;
    this.raiseEpoch(zxidEpoch(nextZxid(last, opensEpoch)));
    for (let i = 0; i < sizes.length; i++) {
      last = nextZxid(last, opensEpoch && i === 0);
      const key = nextKey++;
      txns.push(testTxn(last, key, sizes[i]!));
      this.history.push({ zxid: last, key });
    }
    this.apply(this.log.appendAll(txns));
    this.remember();
    return txns;
  }

  /** Completes the oldest outstanding fsync and routes it; returns its id (undefined: none outstanding). */
  completeFsync(): number | string | undefined {
    const done = this.driver.completeNext();
    if (done === undefined) return undefined;
    const owner = fsyncOwner(done.id);
    if (owner === 'log') {
      const result = this.log.onFsynced(done.id);
      if (result.durableUpTo !== this.log.durableUpTo) throw new Error('onFsynced result disagrees with durableUpTo');
      this.apply(result.effects);
    } else if (owner === 'snap') {
      const zxid = this.store.onFsynced(String(done.id));
      const sync = this.pendingSnapSync;
      if (zxid !== undefined && sync !== undefined && zxid === sync.zxid) {
        // SNAP: the snapshot is durable; only now may the old log go.
        this.pendingSnapSync = undefined;
        this.history = sync.history;
        this.truncated = false;
        this.apply(this.log.reset(sync.zxid));
        this.remember();
      }
    }
    return done.id;
  }

  /** TRUNC to the zxid of history[index - 1] (index 0: the empty history), never below a snapshot. */
  truncate(index: number): void {
    this.raiseEpoch(Math.max(this.epoch, ...this.history.map((e) => zxidEpoch(e.zxid))) + 1);
    const keep = this.history.slice(0, index);
    const zxid = Math.max(keep.length === 0 ? 0 : keep[keep.length - 1]!.zxid, this.snapFloor);
    this.history = this.history.filter((e) => e.zxid <= zxid);
    this.truncated = true;
    this.apply(this.store.dropAfter(zxid));
    this.apply(this.log.truncateTo(zxid));
    this.remember();
  }

  /** A regular snapshot of the first `count` entries, then a log roll (SyncRequestProcessor). */
  snapshot(count: number): void {
    if (count === 0) return;
    const upto = this.history.slice(0, count);
    const zxid = upto[upto.length - 1]!.zxid;
    this.snapFloor = Math.max(this.snapFloor, zxid);
    this.apply(this.store.write<KeysPayload>(zxid, { entries: upto.map((e) => [e.zxid, e.key]) }));
    this.apply(this.log.startNewLog(zxid));
  }

  /**
   * SNAP sync: the leader's history is our first `keep` entries plus `fresh` txns of the
   * leader's epoch, newer than any epoch we accepted. So the snapshot is ahead of everything we
   * ever logged, as ZAB guarantees (a follower ahead of the leader gets TRUNC, not SNAP); that is
   * TxnLog.reset's precondition.
   */
  snapSync(keep: number, fresh: number): void {
    const history = this.history.slice(0, keep);
    const epoch = Math.max(this.epoch, ...this.history.map((e) => zxidEpoch(e.zxid))) + 1;
    let zxid = makeZxid(epoch, 0);
    this.raiseEpoch(epoch);
    for (let i = 0; i < fresh; i++) history.push({ zxid: ++zxid, key: nextKey++ });
    this.snapFloor = Math.max(this.snapFloor, zxid);
    this.pendingSnapSync = { zxid, history };
    // Once the snapshot file is on disk (even before its fsync: a process kill keeps it),
    // recovery may return the leader's history.
    this.versions.push(history.map((e) => e.key));
    this.apply(this.store.write<KeysPayload>(zxid, { entries: history.map((e) => [e.zxid, e.key]) }));
  }

  /** Purge as ZooKeeper's autopurge: keep `keep` snapshots and the log they need. */
  purge(keep: number): void {
    const p = this.store.purge(keep);
    this.apply(p.effects);
    if (p.oldestKeptZxid !== undefined) this.apply(this.log.purgeBefore(p.oldestKeptZxid));
  }
}

const keysOf = (entries: readonly Entry[]) => entries.map((e) => e.key);

function isPrefix(a: readonly number[], b: readonly number[]): boolean {
  return a.length <= b.length && a.every((k, i) => b[i] === k);
}

/**
 * What a restart from `image` would find, checked against the node's promises: the recovered
 * history is a prefix of a history the node believed in (no txn invented, none reordered, no
 * hole), it holds every txn the log has reported durable, and the only damage recovery meets is
 * a torn tail (anything else would mean the writer broke its ordering invariant).
 * Returns a description of the first violation, or undefined.
 */
export function checkImage(node: LogNode, image: DiskImage): string | undefined {
  const r = recover<KeysPayload>(image);
  if (r.startupError !== undefined) return `startup refused: ${r.startupError.message}`;
  const got = keysOf(recoveredHistory(r));
  if (!node.versions.some((v) => isPrefix(got, v))) return `recovered [${got.join(',')}] is not a prefix of any history the node had`;
  // A SNAP sync supersedes the old history as soon as its snapshot is what recovery finds.
  const sync = node.snapSyncInProgress;
  const promised = sync !== undefined && r.baseZxid === sync.zxid ? sync.history : node.history.filter((e) => e.zxid <= node.log.durableUpTo);
  const durable = keysOf(promised);
  if (!isPrefix(durable, got)) return `durableUpTo ${node.log.durableUpTo.toString(16)} promised [${durable.join(',')}], recovered [${got.join(',')}]`;
  const damage = r.problems.filter((p) => p.kind !== 'torn');
  if (damage.length > 0) return `unexpected damage: ${JSON.stringify(damage)}`;
  return undefined;
}
