/**
 * Startup recovery = latest valid snapshot + replay of the log after it. Goal: a restarting
 * server rebuilds exactly the database of a replica that applied the same txns directly,
 * falls back to an older snapshot when the newest is damaged, never replays across a hole in
 * the zxid sequence, and runs ZooKeeper's loadDataBase epoch checks.
 *
 * Method: a 200-txn history over several epochs, written as rolled log files and snapshots at
 * points that do not coincide with file boundaries (as ZooKeeper's snapshots are taken while
 * the log keeps going). Each case damages or removes some files; the expected base snapshot
 * and txn count come from the case table, and the recovered state is compared with
 * `applyDirectly` by database digest. Continuity cases plant holes inside a file, across files
 * and between the snapshot and the log. The repairs are applied to a simulated disk and
 * recovery run again: it must find the same state and nothing left to repair.
 */
import { describe, expect, it } from 'vitest';
import { databaseDigest, restoreDatabase, snapshotDatabase, type DatabaseSnapshot } from '../../../src/engine/db/zkDatabase.ts';
import { continuityViolation } from '../../../src/engine/persistence/continuity.ts';
import { encodeEpoch } from '../../../src/engine/persistence/epochFiles.ts';
import { logFileName, snapshotFileName } from '../../../src/engine/persistence/fileNames.ts';
import { recover, type RecoveredState } from '../../../src/engine/persistence/recovery.ts';
import { encodeSnapshot } from '../../../src/engine/persistence/snapshotFormat.ts';
import { encodeLogRecords } from '../../../src/engine/persistence/txnLogFormat.ts';
import { applyTxn } from '../../../src/engine/request/apply.ts';
import type { Txn } from '../../../src/engine/request/txn.ts';
import { makeZxid } from '../../../src/engine/zxid.ts';
import type { DiskImage } from '../../../src/sim/disk/disk.ts';
import { DiskDriver, applyDirectly, digestAfter, longHistory } from './fixtures.ts';

const h = longHistory(200, 70);
const txns = h.txns;
/** Log files: [first, end) indexes into txns. */
const FILES: Array<[number, number]> = [
  [0, 50],
  [50, 130],
  [130, 200],
];
/** Snapshots after these txn indexes. */
const SNAPS = [59, 119, 179];

const logName = (i: number) => logFileName(txns[FILES[i]![0]]!.zxid);
const snapName = (i: number) => snapshotFileName(txns[SNAPS[i]!]!.zxid);

function snapshotBytes(i: number): Uint8Array {
  const k = SNAPS[i]!;
  return encodeSnapshot(txns[k]!.zxid, snapshotDatabase(applyDirectly(txns.slice(0, k + 1))));
}

function fullDisk(): Map<string, Uint8Array> {
  const disk = new Map<string, Uint8Array>();
  FILES.forEach(([a, b], i) => disk.set(logName(i), encodeLogRecords(txns.slice(a, b))));
  SNAPS.forEach((_, i) => disk.set(snapName(i), snapshotBytes(i)));
  return disk;
}

/** The database a recovered state describes: snapshot (or empty) plus the replayed txns. */
function recoveredDigest(r: RecoveredState<DatabaseSnapshot>): string {
  return databaseDigest(applyDirectly(r.txns, r.snapshot?.payload));
}

const flip = (bytes: Uint8Array, at: number) => {
  const out = bytes.slice();
  out[at]! ^= 0x20;
  return out;
};

type Damage = (disk: Map<string, Uint8Array>) => void;
const corruptSnap = (i: number): Damage => (d) => d.set(snapName(i), flip(d.get(snapName(i))!, 40));
const cutSnap = (i: number): Damage => (d) => d.set(snapName(i), d.get(snapName(i))!.subarray(0, 100));
const removeSnap = (i: number): Damage => (d) => d.delete(snapName(i));
const removeLog = (i: number): Damage => (d) => d.delete(logName(i));

describe('latest valid snapshot + log replay', () => {
  it.each<[string, Damage[], number | undefined, number]>([
    // [case, damage, base snapshot index (undefined: none), txns recovered in total]
    ['everything intact', [], 2, 200],
    ['newest snapshot corrupt → previous one', [corruptSnap(2)], 1, 200],
    ['newest snapshot incomplete → previous one', [cutSnap(2)], 1, 200],
    ['two newest corrupt → oldest', [corruptSnap(2), cutSnap(1)], 0, 200],
    ['every snapshot corrupt → whole log from the empty tree', [corruptSnap(0), corruptSnap(1), corruptSnap(2)], undefined, 200],
    ['no snapshots at all', [removeSnap(0), removeSnap(1), removeSnap(2)], undefined, 200],
    ['first log file purged, snapshots intact', [removeLog(0)], 2, 200],
    ['first log purged and the newer snapshots corrupt: oldest snapshot still has its log', [removeLog(0), corruptSnap(1), corruptSnap(2)], 0, 200],
    ['log purged past the only usable snapshot: stop at the snapshot', [removeLog(0), removeLog(1), corruptSnap(1), corruptSnap(2)], 0, 60],
    ['no log at all: the snapshot alone', [removeLog(0), removeLog(1), removeLog(2)], 2, 180],
    ['no snapshot and the first log purged: nothing continues the empty tree', [removeLog(0), removeSnap(0), removeSnap(1), removeSnap(2)], undefined, 0],
  ])('%s', (_name, damage, baseIndex, recoveredCount) => {
    const disk = fullDisk();
    for (const d of damage) d(disk);
    const r = recover<DatabaseSnapshot>(disk);
    expect(r.startupError).toBeUndefined();
    const baseZxid = baseIndex === undefined ? 0 : txns[SNAPS[baseIndex]!]!.zxid;
    expect(r.baseZxid).toBe(baseZxid);
    expect(r.snapshot?.zxid).toBe(baseIndex === undefined ? undefined : baseZxid);
    expect(r.txns).toEqual(txns.slice(baseIndex === undefined ? 0 : SNAPS[baseIndex]! + 1, recoveredCount));
    expect(r.lastLoggedZxid).toBe(recoveredCount === 0 ? 0 : txns[recoveredCount - 1]!.zxid);
    expect(recoveredDigest(r)).toBe(digestAfter(txns.slice(0, recoveredCount)));
    // Invalid snapshots are reported and deleted; the valid ones are listed for SnapshotStore.
    const invalid = r.problems.filter((p) => p.kind === 'invalidSnapshot').map((p) => p.file);
    for (const f of invalid) expect(r.repairs).toContainEqual({ kind: 'deleteFile', file: f });
    expect(r.snapshotZxids.map(snapshotFileName).sort()).toEqual([...disk.keys()].filter((n) => n.startsWith('snapshot.') && !invalid.includes(n)).sort());
  });

  it('damage in a log file wholly before the snapshot does not matter: replay starts in the file after it', () => {
    // The snapshot is at txns[119]; the file [120, 200) starts right after it, so the file
    // before (holding 50..119) is not replayed, and its torn tail is only reported.
    const disk = new Map([
      [logFileName(txns[50]!.zxid), encodeLogRecords(txns.slice(50, 120)).subarray(0, 700)],
      [logFileName(txns[120]!.zxid), encodeLogRecords(txns.slice(120, 200))],
      [snapName(1), snapshotBytes(1)],
    ]);
    const r = recover<DatabaseSnapshot>(disk);
    expect(r.txns).toEqual(txns.slice(120));
    expect(r.problems.map((p) => p.kind)).toEqual(['damagedOldLog']);
    expect(r.repairs).not.toContainEqual(expect.objectContaining({ kind: 'truncate' }));
    expect(recoveredDigest(r)).toBe(databaseDigest(h.db));
  });

  it('the recovered database equals one that applied the txns directly (snapshot payload replayed with applyTxn)', () => {
    const r = recover<DatabaseSnapshot>(fullDisk());
    const db = restoreDatabase(r.snapshot!.payload);
    for (const t of r.txns) applyTxn(db, t);
    expect(databaseDigest(db)).toBe(databaseDigest(h.db));
    expect(db.lastProcessedZxid).toBe(txns[199]!.zxid);
  });
});

describe('continuity', () => {
  const z = makeZxid;
  it.each<[string, number, number, boolean]>([
    ['first txn of epoch 0 after the empty history', 0, z(0, 1), true],
    ['first txn of a later epoch after the empty history', 0, z(4, 1), true],
    ['not the first txn of its epoch after the empty history', 0, z(4, 2), false],
    ['successor in the same epoch', z(2, 5), z(2, 6), true],
    ['hole in the same epoch', z(2, 5), z(2, 7), false],
    ['first txn of the next epoch', z(2, 5), z(3, 1), true],
    ['first txn of an epoch after an empty one', z(2, 5), z(5, 1), true],
    ['second txn of the next epoch', z(2, 5), z(3, 2), false],
    ['after the NEWLEADER zxid (e, 0) of a snapshot', z(3, 0), z(3, 1), true],
    ['same zxid again', z(2, 5), z(2, 5), false],
    ['going back an epoch', z(3, 1), z(2, 9), false],
  ])('%s', (_name, prev, next, ok) => {
    expect(continuityViolation(prev, next) === undefined).toBe(ok);
  });

  const withoutTxn = (list: readonly Txn[], index: number) => list.filter((_, i) => i !== index);

  it('a missing record inside a file stops replay before the hole and truncates there', () => {
    const bytes = encodeLogRecords(withoutTxn(txns.slice(0, 50), 20));
    const r = recover(new Map([[logName(0), bytes]]));
    expect(r.txns).toEqual(txns.slice(0, 20));
    expect(r.problems.map((p) => p.kind)).toEqual(['discontinuity']);
    expect(r.repairs[0]).toEqual({ kind: 'truncate', file: logName(0), length: encodeLogRecords(txns.slice(0, 20)).length });
  });

  it('a file that does not continue the previous one is dropped with everything after it', () => {
    const disk = new Map([
      [logName(0), encodeLogRecords(txns.slice(0, 49))],
      [logName(1), encodeLogRecords(txns.slice(50, 130))],
      [logName(2), encodeLogRecords(txns.slice(130, 200))],
    ]);
    const r = recover(disk);
    expect(r.txns).toEqual(txns.slice(0, 49));
    expect(r.problems.map((p) => [p.kind, p.file])).toEqual([
      ['discontinuity', logName(1)],
      ['dropped', logName(2)],
    ]);
    expect(r.logFiles.map((f) => f.name)).toEqual([logName(0)]);
  });

  it('a log that does not continue the snapshot is not replayed on top of it', () => {
    const disk = new Map([
      [snapName(1), snapshotBytes(1)],
      [logFileName(txns[125]!.zxid), encodeLogRecords(txns.slice(125, 200))],
    ]);
    const r = recover<DatabaseSnapshot>(disk);
    expect(r.baseZxid).toBe(txns[119]!.zxid);
    expect(r.txns).toEqual([]);
    expect(r.lastLoggedZxid).toBe(txns[119]!.zxid);
    expect(r.problems.map((p) => p.kind)).toEqual(['discontinuity']);
    expect(recoveredDigest(r)).toBe(digestAfter(txns.slice(0, 120)));
  });

  it('a file whose first record is not the zxid in its name is not trusted', () => {
    const r = recover(new Map([[logFileName(txns[0]!.zxid + 1), encodeLogRecords(txns.slice(0, 10))]]));
    expect(r.txns).toEqual([]);
    expect(r.problems.map((p) => p.kind)).toEqual(['corrupt']);
  });
});

describe('repairs', () => {
  /** Applies `r.repairs` to a disk holding `image`, completes the fsyncs, returns the new image. */
  function repaired(image: DiskImage, r: RecoveredState): DiskImage {
    const d = DiskDriver.fromImage(image);
    d.apply(r.repairs);
    d.completeAll();
    return d.crash('lose');
  }

  it.each<[string, Damage[]]>([
    ['torn tail of the last file', [(d) => d.set(logName(2), d.get(logName(2))!.subarray(0, d.get(logName(2))!.length - 5))]],
    ['corrupt middle file and a corrupt snapshot', [(d) => d.set(logName(1), flip(d.get(logName(1))!, 500)), corruptSnap(2)]],
    ['no epoch files (written at first start)', []],
  ])('applying the repairs once leaves a disk that recovers to the same state with nothing to repair: %s', (_name, damage) => {
    const disk = fullDisk();
    for (const d of damage) d(disk);
    const first = recover(disk);
    const again = recover(repaired(disk, first));
    expect(again.txns).toEqual(first.txns);
    expect(again.baseZxid).toBe(first.baseZxid);
    expect(again.lastLoggedZxid).toBe(first.lastLoggedZxid);
    expect(again.currentEpoch).toBe(first.currentEpoch);
    expect(again.problems).toEqual([]);
    expect(again.repairs).toEqual([]);
    expect(again.logFiles).toEqual(first.logFiles);
  });
});

describe('epoch checks at startup (QuorumPeer.loadDataBase)', () => {
  const lastZxid = makeZxid(3, 7);
  const log = () => new Map([[logFileName(makeZxid(3, 1)), encodeLogRecords(longHistory(7, 1000).txns.map((t, i) => ({ ...t, zxid: makeZxid(3, i + 1) })))]]);
  const files = (entries: Record<string, string>) => {
    const disk = log();
    for (const [name, text] of Object.entries(entries)) disk.set(name, name.endsWith('.tmp') || /^\d+$/.test(text) ? encodeEpoch(Number(text)) : new TextEncoder().encode(text));
    return disk;
  };

  it.each<[string, Record<string, string>, { current: number; accepted: number } | string, string[]]>([
    // [case, epoch files, expected epochs or startup error kind, epoch files (re)written]
    ['files missing: both default to the epoch of the last zxid', {}, { current: 3, accepted: 3 }, ['currentEpoch', 'acceptedEpoch']],
    ['files agree with the log', { currentEpoch: '3', acceptedEpoch: '4' }, { current: 3, accepted: 4 }, []],
    ['currentEpoch older than the last zxid: refuse', { currentEpoch: '2', acceptedEpoch: '3' }, 'currentEpochBehindLog', []],
    ['… unless currentEpoch.tmp says 3 (ZOOKEEPER-1653)', { currentEpoch: '2', acceptedEpoch: '3', 'currentEpoch.tmp': '3' }, { current: 3, accepted: 3 }, ['currentEpoch', 'currentEpoch.tmp']],
    ['a stale currentEpoch.tmp does not help (re-checked, unlike ZooKeeper)', { currentEpoch: '1', acceptedEpoch: '3', 'currentEpoch.tmp': '2' }, 'currentEpochBehindLog', []],
    ['a leftover currentEpoch.tmp is removed', { currentEpoch: '3', acceptedEpoch: '3', 'currentEpoch.tmp': '3' }, { current: 3, accepted: 3 }, ['currentEpoch.tmp']],
    ['acceptedEpoch < currentEpoch: refuse (ZOOKEEPER-2307)', { currentEpoch: '4', acceptedEpoch: '3' }, 'acceptedEpochBehindCurrent', []],
    ['acceptedEpoch missing defaults to the log epoch, below currentEpoch: refuse', { currentEpoch: '4' }, 'acceptedEpochBehindCurrent', []],
    ['currentEpoch not a number: refuse', { currentEpoch: 'x3', acceptedEpoch: '3' }, 'badEpochFile', []],
    ['acceptedEpoch empty: refuse', { currentEpoch: '3', acceptedEpoch: '' }, 'badEpochFile', []],
  ])('%s', (_name, entries, expected, written) => {
    const r = recover(files(entries));
    expect(r.lastLoggedZxid).toBe(lastZxid);
    if (typeof expected === 'string') {
      expect(r.startupError?.kind).toBe(expected);
      expect(r.repairs).toEqual([]);
      return;
    }
    expect(r.startupError).toBeUndefined();
    expect([r.currentEpoch, r.acceptedEpoch]).toEqual([expected.current, expected.accepted]);
    const touched = r.repairs.filter((e) => e.kind === 'replace' || e.kind === 'deleteFile').map((e) => (e as { file: string }).file);
    expect(touched).toEqual(written);
  });

  it('an empty disk (first start, or after disk loss) is a fresh server at epoch 0', () => {
    const r = recover(new Map());
    expect([r.snapshot, r.txns, r.baseZxid, r.lastLoggedZxid, r.currentEpoch, r.acceptedEpoch]).toEqual([undefined, [], 0, 0, 0, 0]);
    expect(r.startupError).toBeUndefined();
    expect(r.problems).toEqual([]);
    expect(r.repairs.filter((e) => e.kind === 'replace').map((e) => (e as { file: string }).file)).toEqual(['currentEpoch', 'acceptedEpoch']);
    expect(r.logRepairFsyncIds).toEqual([]);
  });

  it('a server that refuses to start leaves its disk alone, torn tail included', () => {
    const disk = files({ currentEpoch: '2', acceptedEpoch: '3' });
    const name = [...disk.keys()][0]!;
    disk.set(name, disk.get(name)!.subarray(0, disk.get(name)!.length - 3));
    const r = recover(disk);
    expect(r.startupError?.kind).toBe('currentEpochBehindLog');
    expect(r.repairs).toEqual([]);
  });
});
