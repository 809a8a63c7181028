/**
 * Snapshot scheduling (ZooKeeper 3.8 SyncRequestProcessor.shouldSnapshot). Goal: the log rolls
 * and a snapshot is taken after exactly snapCount/2 + randRoll + 1 txns, randRoll drawn from
 * [0, snapCount/2) with the node's seeded stream, again after every roll; the size trigger
 * works the same way on bytes; and a node driving TxnLog + SnapshotStore with the schedule
 * leaves a disk that recovers to the database it built.
 *
 * Method: a scripted draw source (records the bounds it was asked for, returns chosen values)
 * for the exact trigger points, including both ends of the range; the simulator's seeded
 * choice stream for reproducibility and spread; then an end-to-end run over 1200 real txns with
 * snapCount 100, comparing the recovered database digest with the one built directly.
 */
import { describe, expect, it } from 'vitest';
import { databaseDigest, freshDatabase, snapshotDatabase, type DatabaseSnapshot } from '../../../src/engine/db/zkDatabase.ts';
import { fsyncOwner } from '../../../src/engine/persistence/fileNames.ts';
import { recover } from '../../../src/engine/persistence/recovery.ts';
import { SnapSchedule, DEFAULT_SNAP_SIZE_LIMIT_BYTES, type IntSource } from '../../../src/engine/persistence/snapSchedule.ts';
import { SnapshotStore } from '../../../src/engine/persistence/snapshotStore.ts';
import { TxnLog } from '../../../src/engine/persistence/txnLog.ts';
import { encodeLogRecord } from '../../../src/engine/persistence/txnLogFormat.ts';
import { applyTxn } from '../../../src/engine/request/apply.ts';
import { Choices } from '../../../src/sim/rng/choices.ts';
import { DiskDriver, applyDirectly, longHistory } from './fixtures.ts';

/** Returns the scripted values in turn (reduced mod n) and records each bound asked for. */
function scripted(values: number[]): IntSource & { bounds: number[] } {
  const bounds: number[] = [];
  return {
    bounds,
    int(n: number) {
      bounds.push(n);
      const v = values.shift();
      if (v === undefined) throw new Error('script ran out of draws');
      return v % n;
    },
  };
}

/** Feeds txns one by one; returns the 1-based txn numbers (since the last roll) at which it fired. */
function rollIntervals(schedule: SnapSchedule, rng: IntSource, txnCount: number, bytesEach = 0): number[] {
  const out: number[] = [];
  let since = 0;
  for (let i = 0; i < txnCount; i++) {
    since++;
    if (schedule.onTxnLogged(rng, bytesEach)) {
      out.push(since);
      since = 0;
    }
  }
  return out;
}

describe('count trigger', () => {
  it.each([
    // [snapCount, scripted randRolls, expected roll intervals]
    [100, [0, 49, 17], [51, 100, 68]],
    [101, [0, 49], [51, 100]],
    [10, [4, 0, 2], [10, 6, 8]],
    [2, [0, 0, 0], [2, 2, 2]],
    [1, [0, 0, 0], [2, 2, 2]],
    [100_000, [0, 49_999], [50_001, 100_000]],
  ])('snapCount %i with randRolls %j rolls after %j txns', (snapCount, rolls, expected) => {
    const rng = scripted([...rolls, 0]);
    const schedule = SnapSchedule.start({ snapCount, snapSizeLimitBytes: 0 }, rng);
    const total = expected.reduce((a, b) => a + b, 0);
    expect(rollIntervals(schedule, rng, total)).toEqual(expected);
    // The bound of every randRoll draw is snapCount / 2 (integer division, snapCount ≥ 2).
    expect(new Set(rng.bounds)).toEqual(new Set([Math.floor(Math.max(2, snapCount) / 2)]));
    expect(schedule.txnsSinceRoll).toBe(0);
  });

  it('counts down to the roll', () => {
    const rng = scripted([3]);
    const schedule = SnapSchedule.start({ snapCount: 10, snapSizeLimitBytes: 0 }, rng);
    expect(schedule.rollOffset).toBe(3);
    expect(schedule.txnsUntilRoll).toBe(9);
    for (let i = 0; i < 8; i++) expect(schedule.onTxnLogged(rng)).toBe(false);
    expect(schedule.txnsUntilRoll).toBe(1);
    expect(schedule.txnsSinceRoll).toBe(8);
  });

  it('with the seeded stream: every interval in [snapCount/2 + 1, snapCount], reproducible, different per node', () => {
    const intervals = (seed: number, stream: string) => {
      const rng = new Choices(seed).stream(stream);
      return rollIntervals(SnapSchedule.start({ snapCount: 1000, snapSizeLimitBytes: 0 }, rng), rng, 40_000);
    };
    const a = intervals(7, 'n1/snap');
    expect(a.length).toBeGreaterThan(40);
    for (const n of a) {
      expect(n).toBeGreaterThanOrEqual(501);
      expect(n).toBeLessThanOrEqual(1000);
    }
    // Spread over the range, not stuck at one end.
    expect(Math.min(...a)).toBeLessThan(600);
    expect(Math.max(...a)).toBeGreaterThan(900);
    expect(intervals(7, 'n1/snap')).toEqual(a);
    expect(intervals(7, 'n2/snap')).not.toEqual(a);
  });
});

describe('size trigger', () => {
  it('rolls once the bytes since the last roll exceed snapSize/2 + randSize', () => {
    // randRoll draws come first, then randSize, at start and after each roll.
    const rng = scripted([0, 100, 0, 0, 0, 0]);
    const schedule = SnapSchedule.start({ snapCount: 1_000_000, snapSizeLimitBytes: 2000 }, rng);
    expect(rng.bounds).toEqual([500_000, 1000]);
    // 1000 + 100 = 1100 bytes: the 12th 100-byte txn makes 1200 > 1100.
    expect(rollIntervals(schedule, rng, 12, 100)).toEqual([12]);
    // Then 1000 + 0: the 11th txn.
    expect(rollIntervals(schedule, rng, 11, 100)).toEqual([11]);
  });

  it('defaults to ZooKeeper 4 GiB and can be disabled', () => {
    const rng = scripted([0, 0]);
    expect(SnapSchedule.start({ snapCount: 10 }, rng).snapSizeLimitBytes).toBe(DEFAULT_SNAP_SIZE_LIMIT_BYTES);
    expect(rng.bounds).toEqual([5, 2 ** 31]);
    const off = SnapSchedule.start({ snapCount: 10, snapSizeLimitBytes: 0 }, scripted([0]));
    expect(off.onTxnLogged(scripted([]), 2 ** 40)).toBe(false);
  });
});

describe('a node driving log, snapshots and schedule', () => {
  it('rolls files at the drawn points, skips snapshots while one is being written, and recovers to the same database', () => {
    const txns = longHistory(1200, 500).txns;
    const rng = new Choices(11).stream('n1/snap');
    const schedule = SnapSchedule.start({ snapCount: 100, snapSizeLimitBytes: 0 }, rng);
    const d = new DiskDriver();
    const log = TxnLog.fresh();
    const store = SnapshotStore.fresh();
    const db = freshDatabase();
    const fileSizes: number[] = [];
    let inFile = 0;
    let snapshotsTaken = 0;
    let skipped = 0;
    const complete = () => {
      const done = d.completeNext();
      if (done === undefined) return false;
      if (fsyncOwner(done.id) === 'log') d.apply(log.onFsynced(done.id).effects);
      else if (fsyncOwner(done.id) === 'snap') store.onFsynced(String(done.id));
      return true;
    };
    for (const [i, txn] of txns.entries()) {
      d.apply(log.append(txn));
      applyTxn(db, txn);
      inFile++;
      if (schedule.onTxnLogged(rng, encodeLogRecord(txn).length)) {
        fileSizes.push(inFile);
        inFile = 0;
        d.apply(log.startNewLog(db.lastProcessedZxid));
        if (store.writing) skipped++;
        else {
          d.apply(store.write(db.lastProcessedZxid, snapshotDatabase(db)));
          snapshotsTaken++;
        }
      }
      // The disk is slower than the txn rate now and then: snapshots overlap.
      if (i % 3 !== 0) complete();
      if (i % 400 === 399) {
        const purge = store.purge(3);
        d.apply(purge.effects);
        if (purge.oldestKeptZxid !== undefined) d.apply(log.purgeBefore(purge.oldestKeptZxid));
      }
    }
    while (complete());
    for (const n of fileSizes) {
      expect(n).toBeGreaterThanOrEqual(51);
      expect(n).toBeLessThanOrEqual(100);
    }
    expect(fileSizes.length).toBeGreaterThanOrEqual(12);
    expect(snapshotsTaken + skipped).toBe(fileSizes.length);
    // Each log file holds exactly one roll interval (the files kept after purging).
    const image = d.image();
    const logFiles = [...image.keys()].filter((n) => n.startsWith('log.'));
    expect(logFiles.length).toBe(log.fileNames().length);
    const r = recover<DatabaseSnapshot>(image);
    expect(r.problems).toEqual([]);
    expect(r.baseZxid).toBe(store.latestDurableZxid);
    expect(databaseDigest(applyDirectly(r.txns, r.snapshot!.payload))).toBe(databaseDigest(db));
    expect(databaseDigest(db)).toBe(databaseDigest(applyDirectly(txns)));
  });
});
