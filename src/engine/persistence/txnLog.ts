/**
 * The txn log writer the node owns: a small state machine that turns "log this txn", TRUNC,
 * SNAP and log rolls into disk effects, and tells the node which txns are durable.
 *
 * Group commit (ZooKeeper's SyncRequestProcessor): appends are written at once, but at most one
 * fsync batch is in flight; appends made meanwhile are covered by the next batch, issued when
 * the current one completes. A batch is one fsync per file with unsynced writes, normally just
 * the current log file; ids are `log:<n>` and the kernel completes them in issue order.
 * `durableUpTo` advances only when a whole batch completes.
 *
 * Barriers. The simulated disk persists each file independently, and a crash may even keep a
 * file's unsynced writes when its last write is torn. So any change that touches a file other
 * than the one being appended to (starting a new file, truncating or deleting files for TRUNC
 * and SNAP, recovery repairs) is a barrier: appends made while a barrier is pending are held in
 * memory (they still count as logged) and written only once every earlier write is durable.
 * That keeps one invariant recovery relies on: a log file only ever gains records while every
 * earlier file is fully durable, so whatever a crash leaves is a prefix of the log.
 * Deletions and truncations are issued last file first, and fsynced in that order, so a crash
 * part-way leaves the old log minus a suffix, never a log with a hole in it.
 *
 *   appendAll ──▶ [write records] ──▶ fsync batch in flight ──fsynced──▶ durableUpTo advances
 *        │ barrier pending                                    │ writes left? next batch
 *        └──▶ held in memory ◀── released when nothing is unsynced and nothing in flight
 */
import type { Effect } from '../../sim/host/process.ts';
import type { Txn } from '../request/txn.ts';
import { assert } from '../assert.ts';
import { formatZxid } from '../zxid.ts';
import { concatBytes } from './binary.ts';
import { continuityViolation } from './continuity.ts';
import { logFileName } from './fileNames.ts';
import type { RecoveredState } from './recovery.ts';
import type { LogFileIndex } from './recoverLog.ts';
import { encodeLogRecord } from './txnLogFormat.ts';
import { emptyInPlace } from '../../sim/emptyInPlace.ts';

/** What the node learns when one of the log's fsyncs completes. */
export interface LogFsyncResult {
  /** Every logged txn with zxid ≤ this is durable (the node may ACK it). */
  durableUpTo: number;
  /** Further writes and the next fsync batch, to apply now. */
  effects: Effect[];
}

/** Options for the writer. */
export interface TxnLogOptions {
  /**
   * Assert that each appended zxid continues the log (continuity.ts), as recovery will demand.
   * Default true; a harness planting a sync bug can turn it off and let recovery report the hole.
   */
  checkContinuity?: boolean;
}

/**
 * A log file as the writer sees it. Record positions are kept as two parallel number arrays
 * (record i spans [offsets[i], offsets[i+1] or sizeBytes)): every replica adds one per txn, and
 * an object per record was a steady share of the allocation of a busy run.
 */
interface LogFile {
  name: string;
  firstZxid: number;
  zxids: number[];
  offsets: number[];
  sizeBytes: number;
}

function fileFromIndex(f: LogFileIndex): LogFile {
  return { name: f.name, firstZxid: f.firstZxid, zxids: f.records.map((r) => r.zxid), offsets: f.records.map((r) => r.offset), sizeBytes: f.sizeBytes };
}

interface Batch {
  /** fsync ids still to complete, in issue order. */
  ids: string[];
  /** The last zxid written before the batch was issued (lowered by truncations). */
  coversZxid: number;
}

/** The txn log writer (see the module comment). */
export class TxnLog {
  private readonly files: LogFile[];
  /** The file receiving appends; undefined → the next append opens `log.<its zxid>`. */
  private current: LogFile | undefined = undefined;
  /** Files with writes not covered by an issued fsync, in the order they must be fsynced. */
  private unsynced: string[] = [];
  private inFlight: Batch | undefined = undefined;
  private barrier = false;
  private held: Txn[] = [];
  private fsyncCount = 0;
  private lastLogged: number;
  private lastWritten: number;
  private durable: number;
  /** The snapshot the log continues from: what lastLoggedZxid falls back to when emptied. */
  private baseZxid: number;
  private readonly checkContinuity: boolean;

  private constructor(files: LogFileIndex[], lastLoggedZxid: number, baseZxid: number, options: TxnLogOptions) {
    this.files = files.map(fileFromIndex);
    this.lastLogged = lastLoggedZxid;
    this.lastWritten = lastLoggedZxid;
    this.durable = lastLoggedZxid;
    this.baseZxid = baseZxid;
    this.checkContinuity = options.checkContinuity ?? true;
  }

  /** A writer for an empty disk. */
  static fresh(options: TxnLogOptions = {}): TxnLog {
    return new TxnLog([], 0, 0, options);
  }

  /**
   * A writer continuing a recovered log. The recovery's log repairs (already among
   * `recovered.repairs`, which the node applies first) are this writer's first fsync batch;
   * appends are held until they complete. Appends go to a new file, as in ZooKeeper.
   */
  static open(recovered: RecoveredState<unknown>, options: TxnLogOptions = {}): TxnLog {
    assert(recovered.startupError === undefined, 'a server that refused to start must not open its log');
    const log = new TxnLog(recovered.logFiles, recovered.lastLoggedZxid, recovered.baseZxid, options);
    if (recovered.logRepairFsyncIds.length > 0) {
      log.inFlight = { ids: recovered.logRepairFsyncIds.slice(), coversZxid: recovered.lastLoggedZxid };
      log.barrier = true;
    }
    return log;
  }

  /** The last txn logged (written or held), or the snapshot zxid the log continues from. */
  get lastLoggedZxid(): number {
    return this.lastLogged;
  }

  /** Every logged txn with zxid ≤ this is durable. */
  get durableUpTo(): number {
    return this.durable;
  }

  /** True while an fsync batch is outstanding. */
  get fsyncInFlight(): boolean {
    return this.inFlight !== undefined;
  }

  /** True while appends are held behind a barrier (TRUNC/SNAP/roll/repair not yet durable). */
  get barrierPending(): boolean {
    return this.barrier;
  }

  /** The log files as the writer believes they are after all its writes (for tests and traces). */
  fileNames(): string[] {
    return this.files.map((f) => f.name);
  }

  /** Logs one txn; see appendAll. */
  append(txn: Txn): Effect[] {
    return this.appendAll([txn]);
  }

  /**
   * Logs txns (ascending zxids, continuing the log): one append effect for the lot and, if no
   * fsync is in flight, a new batch. Call it once per step with everything to log, as
   * SyncRequestProcessor flushes once its queue runs dry. The effects are pushed onto `out`
   * (a fresh array by default), which is returned: every replica logs every txn, and the
   * step's own effect list saves an array per call.
   */
  appendAll(txns: readonly Txn[], out: Effect[] = []): Effect[] {
    for (const txn of txns) {
      assert(txn.zxid > this.lastLogged, () => `txn ${formatZxid(txn.zxid)} logged after ${formatZxid(this.lastLogged)}`);
      if (this.checkContinuity) {
        const violation = continuityViolation(this.lastLogged, txn.zxid);
        assert(violation === undefined, () => `txn log continuity: ${violation}`);
      }
      this.lastLogged = txn.zxid;
    }
    if (this.barrier) {
      this.held.push(...txns);
      return out;
    }
    this.write(txns, out);
    this.issueBatchIfIdle(out);
    return out;
  }

  /**
   * Handles the completion of one of this writer's fsyncs (ids `log:…`). The effects are pushed
   * onto `effects` (a fresh array by default), as in appendAll.
   */
  onFsynced(id: number | string, effects: Effect[] = []): LogFsyncResult {
    const batch = this.inFlight;
    assert(batch !== undefined, () => `log fsync ${id} completed with none in flight`);
    assert(batch.ids[0] === id, () => `log fsync ${id} completed out of order (expected ${batch.ids[0]})`);
    batch.ids.shift();
    if (batch.ids.length > 0) return { durableUpTo: this.durable, effects };
    this.inFlight = undefined;
    this.durable = Math.max(this.durable, batch.coversZxid);
    if (this.unsynced.length === 0 && this.barrier) {
      this.barrier = false;
      const held = this.held;
      this.held = [];
      if (held.length > 0) this.write(held, effects);
    }
    this.issueBatchIfIdle(effects);
    return { durableUpTo: this.durable, effects };
  }

  /**
   * TRUNC: drops every logged txn with zxid > `zxid`, across files (later files deleted, the
   * file holding `zxid` truncated right after it), then fsyncs that. Appends made after this are
   * held until the truncation is durable, so a durable new txn implies a durable truncation.
   * The next append opens a new file, as ZooKeeper reopens its log after truncating.
   */
  truncateTo(zxid: number): Effect[] {
    this.held = this.held.filter((t) => t.zxid <= zxid);
    const effects: Effect[] = [];
    for (let i = this.files.length - 1; i >= 0; i--) {
      const f = this.files[i]!;
      const cut = f.zxids.findIndex((z) => z > zxid);
      if (cut === -1 && f.zxids.length > 0) break;
      const length = cut === -1 ? 0 : f.offsets[cut]!;
      if (length === 0) {
        effects.push({ kind: 'deleteFile', file: f.name });
        this.files.splice(i, 1);
      } else {
        effects.push({ kind: 'truncate', file: f.name, length });
        f.zxids.length = cut;
        f.offsets.length = cut;
        f.sizeBytes = length;
      }
      this.markUnsynced(f.name);
      if (length > 0) break;
    }
    this.baseZxid = Math.min(this.baseZxid, zxid);
    const lastFile = this.files[this.files.length - 1];
    const lastRecord = lastFile?.zxids[lastFile.zxids.length - 1] ?? 0;
    const lastWrittenNow = Math.max(this.baseZxid, lastRecord);
    this.lastLogged = Math.max(lastWrittenNow, this.held[this.held.length - 1]?.zxid ?? 0);
    this.lowerDurability(lastWrittenNow);
    if (effects.length === 0) return effects;
    this.current = undefined;
    this.barrier = true;
    this.issueBatchIfIdle(effects);
    return effects;
  }

  /**
   * SNAP: deletes every log file (last first, each fsynced); the log now continues from the
   * snapshot at `snapshotZxid`, which the node must have written and seen fsynced *before*
   * calling this (otherwise a crash could leave neither the old log nor the new snapshot).
   * After this, lastLoggedZxid = durableUpTo = snapshotZxid.
   *
   * Precondition: `snapshotZxid` is at or above every zxid in the log, as ZAB guarantees for
   * SNAP (a follower ahead of the leader gets TRUNC instead); until the deletions are durable,
   * recovery sees the snapshot next to the old files and replays any record above it.
   * Use it too when the state jumps past the log to a durable snapshot: on the TRUNC path of
   * Learner.syncWithLeader the COMMITs before NEWLEADER are applied in memory, not logged, and
   * the NEWLEADER snapshot is then ahead of the truncated log; appends must continue from it.
   * (ZooKeeper keeps the old log files in both cases; they add nothing the snapshot lacks.)
   */
  reset(snapshotZxid: number): Effect[] {
    const effects: Effect[] = [];
    for (let i = this.files.length - 1; i >= 0; i--) {
      const f = this.files[i]!;
      effects.push({ kind: 'deleteFile', file: f.name });
      this.markUnsynced(f.name);
    }
    this.files.length = 0;
    this.held = [];
    this.current = undefined;
    this.baseZxid = snapshotZxid;
    this.lastLogged = snapshotZxid;
    this.lowerDurability(snapshotZxid);
    this.durable = snapshotZxid;
    this.lastWritten = snapshotZxid;
    if (effects.length > 0 || this.inFlight !== undefined) this.barrier = true;
    this.issueBatchIfIdle(effects);
    return effects;
  }

  /**
   * Rolls the log after a snapshot at `afterSnapshotZxid` (ZooKeeper rolls in
   * SyncRequestProcessor when it snapshots): the next append opens a new file, once the
   * current one is durable.
   */
  startNewLog(afterSnapshotZxid: number): Effect[] {
    assert(afterSnapshotZxid <= this.lastLogged, `snapshot ${formatZxid(afterSnapshotZxid)} is ahead of the log (${formatZxid(this.lastLogged)}); use reset for SNAP`);
    if (this.current === undefined) return [];
    this.current = undefined;
    if (this.inFlight !== undefined) this.barrier = true;
    return [];
  }

  /**
   * Purge: deletes the log files no longer needed once a snapshot at `oldestKeptSnapshotZxid`
   * is durable (every record ≤ it), never the last file. Pass the oldest snapshot kept, as
   * ZooKeeper's PurgeTxnLog does, so recovery from any kept snapshot still finds its log.
   */
  purgeBefore(oldestKeptSnapshotZxid: number): Effect[] {
    const effects: Effect[] = [];
    while (this.files.length > 1) {
      const f = this.files[0]!;
      const last = f.zxids[f.zxids.length - 1] ?? f.firstZxid;
      if (last > oldestKeptSnapshotZxid || f === this.current) break;
      effects.push({ kind: 'deleteFile', file: f.name });
      this.markUnsynced(f.name);
      this.files.shift();
    }
    this.issueBatchIfIdle(effects);
    return effects;
  }

  /** Writes txns to the current file (opening one if needed) as one append effect on `out`. */
  private write(txns: readonly Txn[], out: Effect[]): void {
    if (txns.length === 0) return;
    if (this.current === undefined) {
      const name = logFileName(txns[0]!.zxid);
      assert(!this.files.some((f) => f.name === name), `log file ${name} already exists`);
      this.current = { name, firstZxid: txns[0]!.zxid, zxids: [], offsets: [], sizeBytes: 0 };
      this.files.push(this.current);
    }
    const file = this.current;
    // One txn (the usual case: a proposal) needs no list of parts.
    const parts: Uint8Array[] | undefined = txns.length > 1 ? [] : undefined;
    let bytes: Uint8Array | undefined;
    for (const txn of txns) {
      bytes = encodeLogRecord(txn);
      file.zxids.push(txn.zxid);
      file.offsets.push(file.sizeBytes);
      file.sizeBytes += bytes.length;
      parts?.push(bytes);
    }
    this.lastWritten = txns[txns.length - 1]!.zxid;
    this.markUnsynced(file.name);
    out.push({ kind: 'append', file: file.name, bytes: parts === undefined ? bytes! : concatBytes(parts) });
  }

  /** Queues `name` for the next batch, moved to the end so fsyncs follow the order of writes. */
  private markUnsynced(name: string): void {
    const unsynced = this.unsynced;
    const at = unsynced.indexOf(name);
    if (at !== -1 && at === unsynced.length - 1) return;
    if (at !== -1) unsynced.splice(at, 1);
    unsynced.push(name);
  }

  /** Issues the next batch when nothing is in flight and some writes are not yet covered. */
  private issueBatchIfIdle(effects: Effect[]): void {
    if (this.inFlight !== undefined || this.unsynced.length === 0) return;
    // Sized up front: a batch is almost always one file, and a pushed-to empty list grows room for 16.
    const ids = new Array<string>(this.unsynced.length);
    for (let i = 0; i < this.unsynced.length; i++) {
      const id = `log:${++this.fsyncCount}`;
      ids[i] = id;
      effects.push({ kind: 'fsync', file: this.unsynced[i]!, id });
    }
    emptyInPlace(this.unsynced);
    this.inFlight = { ids, coversZxid: this.lastWritten };
  }

  /** After txns above `zxid` were dropped: no durability claim may refer to them any more. */
  private lowerDurability(zxid: number): void {
    this.lastWritten = Math.min(this.lastWritten, zxid);
    this.durable = Math.min(this.durable, zxid);
    if (this.inFlight !== undefined) this.inFlight.coversZxid = Math.min(this.inFlight.coversZxid, zxid);
  }
}
