/**
 * Snapshot writing and retention. A snapshot is a new file `snapshot.<hex zxid>` written with
 * the kernel's atomic `replace` and fsynced with id `snap:<hex zxid>`; it counts only once that
 * fsync completes (before that a crash loses it whole, and recovery uses the previous one).
 * Retention mirrors ZooKeeper's PurgeTxnLog (autopurge.snapRetainCount, default 3): keep the
 * newest N durable snapshots and the log files needed after the oldest kept one.
 *
 * Order that matters to the node:
 * - normal snapshot: write(zxid) → on its fsync, TxnLog.startNewLog(zxid) may already have
 *   happened (rolling does not depend on the snapshot being durable); purge only after the
 *   fsync, so a kept snapshot is always a durable one;
 * - SNAP sync: write(zxid) → wait for `snap:<zxid>` → TxnLog.reset(zxid);
 * - TRUNC: dropAfter(zxid) alongside TxnLog.truncateTo(zxid), so no snapshot claims txns the
 *   log no longer has (a correct ZAB never TRUNCs below a follower's snapshot; this is a guard).
 */
import type { Effect } from '../../sim/host/process.ts';
import { assert } from '../assert.ts';
import { parseSnapshotFileName, snapshotFileName } from './fileNames.ts';
import type { RecoveredState } from './recovery.ts';
import { encodeSnapshot } from './snapshotFormat.ts';

/** ZooKeeper's default autopurge.snapRetainCount. */
export const DEFAULT_SNAPSHOTS_KEPT = 3;

/** The fsync id of a snapshot write: `snap:<hex zxid>`. */
export function snapshotFsyncId(zxid: number): string {
  return `snap:${zxid.toString(16)}`;
}

/** What a purge deletes, and the oldest snapshot it keeps (for TxnLog.purgeBefore). */
export interface SnapshotPurge {
  effects: Effect[];
  /** undefined when fewer than the kept count exist: then nothing may be purged from the log. */
  oldestKeptZxid: number | undefined;
}

/** Tracks the snapshots on disk: which are durable, which are being written. */
export class SnapshotStore {
  /** Durable snapshot zxids, ascending. */
  private durable: number[];
  /** zxids written whose fsync has not completed. */
  private pending = new Set<number>();

  private constructor(durableZxids: readonly number[]) {
    this.durable = [...durableZxids].sort((a, b) => a - b);
  }

  /** A store for an empty disk. */
  static fresh(): SnapshotStore {
    return new SnapshotStore([]);
  }

  /** A store over the valid snapshots recovery found. */
  static open(recovered: RecoveredState<unknown>): SnapshotStore {
    return new SnapshotStore(recovered.snapshotZxids);
  }

  /** Durable snapshot zxids, ascending. */
  durableZxids(): readonly number[] {
    return this.durable;
  }

  /**
   * True while a snapshot write awaits its fsync. A node skips a scheduled snapshot then, as
   * SyncRequestProcessor does when its snapshot thread is still busy ("Too busy to snap").
   */
  get writing(): boolean {
    return this.pending.size > 0;
  }

  /** The newest durable snapshot's zxid, or undefined. */
  get latestDurableZxid(): number | undefined {
    return this.durable[this.durable.length - 1];
  }

  /** Writes a snapshot of the state after `zxid`; durable when `snap:<hex zxid>` completes. */
  write<S>(zxid: number, payload: S): Effect[] {
    const file = snapshotFileName(zxid);
    this.pending.add(zxid);
    return [
      { kind: 'replace', file, bytes: encodeSnapshot(zxid, payload) },
      { kind: 'fsync', file, id: snapshotFsyncId(zxid) },
    ];
  }

  /**
   * Handles the completion of a `snap:…` fsync; returns the zxid of the snapshot that became
   * durable, or undefined for the fsync of a deletion (purge, dropAfter, recovery repair).
   */
  onFsynced(id: string): number | undefined {
    assert(id.startsWith('snap:'), `not a snapshot fsync: ${id}`);
    const rest = id.slice('snap:'.length);
    if (!/^[0-9a-f]+$/.test(rest)) return undefined;
    const zxid = parseInt(rest, 16);
    if (!this.pending.delete(zxid)) return undefined;
    if (!this.durable.includes(zxid)) {
      this.durable.push(zxid);
      this.durable.sort((a, b) => a - b);
    }
    return zxid;
  }

  /** Deletes all but the newest `keepCount` durable snapshots (oldest first). */
  purge(keepCount: number = DEFAULT_SNAPSHOTS_KEPT): SnapshotPurge {
    assert(Number.isInteger(keepCount) && keepCount >= 1, `must keep at least one snapshot, got ${keepCount}`);
    if (this.durable.length < keepCount) return { effects: [], oldestKeptZxid: undefined };
    const drop = this.durable.slice(0, this.durable.length - keepCount);
    this.durable = this.durable.slice(this.durable.length - keepCount);
    return { effects: drop.flatMap((zxid) => this.deleteEffects(zxid)), oldestKeptZxid: this.durable[0] };
  }

  /** Deletes every snapshot (durable or pending) with zxid > `zxid`, newest first (TRUNC guard). */
  dropAfter(zxid: number): Effect[] {
    const drop = [...this.durable, ...this.pending].filter((z) => z > zxid).sort((a, b) => b - a);
    this.durable = this.durable.filter((z) => z <= zxid);
    for (const z of drop) this.pending.delete(z);
    return drop.flatMap((z) => this.deleteEffects(z));
  }

  private deleteEffects(zxid: number): Effect[] {
    const file = snapshotFileName(zxid);
    assert(parseSnapshotFileName(file) === zxid, `snapshot name round trip for ${zxid}`);
    return [
      { kind: 'deleteFile', file },
      { kind: 'fsync', file, id: `snap:delete:${file}` },
    ];
  }
}
