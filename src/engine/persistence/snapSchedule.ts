/**
 * When to roll the txn log and take a snapshot: ZooKeeper 3.8's SyncRequestProcessor.
 *
 * After each txn it appends, SyncRequestProcessor.shouldSnapshot() asks
 *
 *   logCount > snapCount / 2 + randRoll
 *     || (snapSizeInBytes > 0 && logSize > snapSizeInBytes / 2 + randSize)
 *
 * where logCount / logSize are the txns / bytes logged since the last roll (ZKDatabase.txnCount,
 * reset by rollLog), randRoll is drawn uniformly from [0, snapCount / 2) and randSize from
 * [0, snapSizeInBytes / 2) (Java integer division), once when the processor starts and again
 * after every trigger (resetSnapshotStats), "so that not all of the servers in the ensemble take
 * a snapshot at the same time". On a trigger it resets the stats, rolls the log and starts a
 * snapshot thread, unless the previous snapshot is still being written ("Too busy to snap,
 * skipping": the roll still happens). So with the default snapCount of 100000 a server rolls
 * after between 50001 and 100000 txns. snapCount below 2 is raised to 2
 * (ZooKeeperServer.getSnapCount); snapSizeLimitInKb defaults to 4194304 (4 GiB) and ≤ 0 disables
 * the size trigger.
 *
 * Here the draws come from the node's seeded choice stream, so a run is reproducible. The node
 * drives it:
 *
 *   effects.push(...log.append(txn));
 *   if (schedule.onTxnLogged(rng, recordBytes)) {
 *     effects.push(...log.startNewLog(appliedZxid));
 *     if (!snapshots.writing) effects.push(...snapshots.write(appliedZxid, state));
 *   }
 *
 * Deviation: logSize counts record bytes; ZooKeeper's counts the log files' length, which
 * includes their 64 MiB zero preallocation, so its size trigger fires much earlier in bytes.
 */
import { assert } from '../assert.ts';

/** Where the draws come from: the node's choice stream (`ctx.rng`) fits. */
export interface IntSource {
  /** A uniform integer in [0, n). */
  int(n: number): number;
}

/** zoo.cfg / system properties that drive the schedule. */
export interface SnapScheduleOptions {
  /** zookeeper.snapCount (default 100000); values below 2 are raised to 2, as ZooKeeper does. */
  snapCount: number;
  /** zookeeper.snapSizeLimitInKb × 1024; 0 disables the size trigger. Default 4 GiB. */
  snapSizeLimitBytes?: number;
}

/** ZooKeeper's default zookeeper.snapSizeLimitInKb (4194304 KiB), in bytes. */
export const DEFAULT_SNAP_SIZE_LIMIT_BYTES = 4194304 * 1024;

/** Largest bound a single draw takes (ChoiceStream.int accepts up to 2^32). */
const MAX_DRAW_BOUND = 2 ** 32;

/** The snapshot schedule of one server incarnation (see the module comment). */
export class SnapSchedule {
  readonly snapCount: number;
  readonly snapSizeLimitBytes: number;
  private randRoll = 0;
  private randSize = 0;
  private txnCount = 0;
  private sizeBytes = 0;

  private constructor(options: SnapScheduleOptions) {
    assert(Number.isSafeInteger(options.snapCount), `snapCount must be an integer, got ${options.snapCount}`);
    const size = options.snapSizeLimitBytes ?? DEFAULT_SNAP_SIZE_LIMIT_BYTES;
    assert(Number.isSafeInteger(size), `snapSizeLimitBytes must be an integer, got ${size}`);
    this.snapCount = Math.max(2, options.snapCount);
    this.snapSizeLimitBytes = Math.max(0, size);
  }

  /** The schedule at processor start: draws the first offsets (resetSnapshotStats in run()). */
  static start(options: SnapScheduleOptions, rng: IntSource): SnapSchedule {
    const schedule = new SnapSchedule(options);
    schedule.draw(rng);
    return schedule;
  }

  /** Txns logged since the last roll (ZKDatabase.getTxnCount). */
  get txnsSinceRoll(): number {
    return this.txnCount;
  }

  /** Record bytes logged since the last roll. */
  get bytesSinceRoll(): number {
    return this.sizeBytes;
  }

  /** The current randRoll: the roll comes after snapCount / 2 + randRoll + 1 txns. */
  get rollOffset(): number {
    return this.randRoll;
  }

  /** How many more txns until the count trigger fires (1: the next txn triggers it). */
  get txnsUntilRoll(): number {
    return Math.floor(this.snapCount / 2) + this.randRoll + 1 - this.txnCount;
  }

  /**
   * Counts one more logged txn (of `recordBytes` in the log; pass 0 if the size trigger is not
   * wanted). True when the log must roll and a snapshot be taken now; the counts then restart
   * and fresh offsets are drawn from `rng`.
   */
  onTxnLogged(rng: IntSource, recordBytes = 0): boolean {
    assert(Number.isSafeInteger(recordBytes) && recordBytes >= 0, `bad record size ${recordBytes}`);
    this.txnCount++;
    this.sizeBytes += recordBytes;
    if (!this.shouldSnapshot()) return false;
    this.draw(rng);
    this.txnCount = 0;
    this.sizeBytes = 0;
    return true;
  }

  private shouldSnapshot(): boolean {
    if (this.txnCount > Math.floor(this.snapCount / 2) + this.randRoll) return true;
    return this.snapSizeLimitBytes > 0 && this.sizeBytes > Math.floor(this.snapSizeLimitBytes / 2) + this.randSize;
  }

  private draw(rng: IntSource): void {
    const half = Math.floor(this.snapCount / 2);
    this.randRoll = rng.int(Math.min(half, MAX_DRAW_BOUND));
    assert(Number.isInteger(this.randRoll) && this.randRoll >= 0 && this.randRoll < half, `randRoll ${this.randRoll} outside [0, ${half})`);
    const halfSize = Math.floor(this.snapSizeLimitBytes / 2);
    this.randSize = halfSize === 0 ? 0 : rng.int(Math.min(halfSize, MAX_DRAW_BOUND));
  }
}
