/**
 * The txn log writer: group commit, fsync barriers, TRUNC, SNAP, rolls and purges. Goal: a txn
 * is reported durable only once an fsync covering it has completed, and whatever a crash leaves
 * recovers to a prefix of the log that includes everything reported durable.
 *
 * Method: scripted scenarios drive a TxnLog through the DiskDriver (effects applied to the
 * simulated disk, fsyncs completed one at a time in issue order, as the host does). After every
 * step the durable image (what a power loss would leave) is recovered and checked against the
 * node's promises with `checkImage`; the scenarios also check the effects themselves (one fsync
 * batch in flight, new files only behind a barrier, deletions last file first).
 */
import { describe, expect, it } from 'vitest';
import { fsyncOwner, logFileName } from '../../../src/engine/persistence/fileNames.ts';
import { SnapshotStore } from '../../../src/engine/persistence/snapshotStore.ts';
import { recover } from '../../../src/engine/persistence/recovery.ts';
import { TxnLog } from '../../../src/engine/persistence/txnLog.ts';
import type { Effect } from '../../../src/sim/host/process.ts';
import { makeZxid } from '../../../src/engine/zxid.ts';
import { DiskDriver } from './fixtures.ts';
import { LogNode, checkImage, recoveredHistory, testTxn, type KeysPayload } from './logNode.ts';

const kinds = (effects: readonly Effect[]) => effects.map((e) => (e.kind === 'fsync' ? `fsync ${e.file} ${e.id}` : `${e.kind} ${'file' in e ? e.file : ''}`));

/** Checks the node's promises against the durable image after each step. */
function expectSound(node: LogNode): void {
  expect(checkImage(node, node.driver.image())).toBeUndefined();
}

describe('group commit', () => {
  it('one fsync batch in flight; appends meanwhile wait for the next batch; durable only after the fsync', () => {
    const d = new DiskDriver();
    const log = TxnLog.fresh();
    const z = (c: number) => makeZxid(1, c);
    const e1 = log.append(testTxn(z(1), 1, 10));
    expect(kinds(e1)).toEqual([`append ${logFileName(z(1))}`, `fsync ${logFileName(z(1))} log:1`]);
    d.apply(e1);
    expect(log.durableUpTo).toBe(0);
    expect(log.fsyncInFlight).toBe(true);
    // Appends while log:1 is in flight: written at once, no new fsync yet.
    const e2 = log.appendAll([testTxn(z(2), 2, 10), testTxn(z(3), 3, 10)]);
    expect(kinds(e2)).toEqual([`append ${logFileName(z(1))}`]);
    d.apply(e2);
    expect(log.lastLoggedZxid).toBe(z(3));
    expect(log.durableUpTo).toBe(0);
    // log:1 completes: only txn 1 is durable; the next batch covers 2 and 3.
    const f1 = d.completeNext()!;
    const r1 = log.onFsynced(f1.id);
    expect(r1.durableUpTo).toBe(z(1));
    expect(kinds(r1.effects)).toEqual([`fsync ${logFileName(z(1))} log:2`]);
    d.apply(r1.effects);
    expect(recover(d.image()).txns.map((t) => t.zxid)).toEqual([z(1)]);
    const r2 = log.onFsynced(d.completeNext()!.id);
    expect(r2.durableUpTo).toBe(z(3));
    expect(r2.effects).toEqual([]);
    expect(log.fsyncInFlight).toBe(false);
    expect(recover(d.image()).txns.map((t) => t.zxid)).toEqual([z(1), z(2), z(3)]);
  });

  it('fsync completions out of order or unknown are programmer errors', () => {
    const log = TxnLog.fresh();
    log.append(testTxn(makeZxid(1, 1), 1, 1));
    expect(() => log.onFsynced('log:2')).toThrow();
    expect(() => TxnLog.fresh().onFsynced('log:1')).toThrow();
  });

  it('appends must continue the log (continuity asserted at append time)', () => {
    const log = TxnLog.fresh();
    log.append(testTxn(makeZxid(1, 1), 1, 1));
    expect(() => log.append(testTxn(makeZxid(1, 3), 2, 1))).toThrow(/continuity/);
    expect(() => log.append(testTxn(makeZxid(1, 1), 2, 1))).toThrow();
    const lax = TxnLog.fresh({ checkContinuity: false });
    lax.append(testTxn(makeZxid(1, 1), 1, 1));
    expect(() => lax.append(testTxn(makeZxid(1, 3), 2, 1))).not.toThrow();
  });

  it('every step of a busy run keeps its durability promises', () => {
    const node = new LogNode();
    for (let round = 0; round < 12; round++) {
      node.append([5 + round, 40, 3], round % 5 === 4);
      expectSound(node);
      if (round % 3 !== 1) node.completeFsync();
      expectSound(node);
    }
    while (node.completeFsync() !== undefined) expectSound(node);
    expect(node.log.durableUpTo).toBe(node.lastZxid);
    expect(recoveredHistory(recover<KeysPayload>(node.driver.image())).map((e) => e.key)).toEqual(node.history.map((e) => e.key));
  });
});

describe('crash', () => {
  it.each(['lose', 'tear', 'kill'] as const)('a crash (%s) loses at most the unsynced suffix, never a durable txn', (mode) => {
    for (let seed = 1; seed <= 25; seed++) {
      let node = new LogNode();
      node.append([30, 30]);
      node.completeFsync();
      node.append([50, 7, 90]);
      const durable = node.history.filter((e) => e.zxid <= node.log.durableUpTo).map((e) => e.key);
      const all = node.history.map((e) => e.key);
      expect(durable).toHaveLength(2);
      const image = node.driver.crash(mode, seed);
      expect(checkImage(node, image)).toBeUndefined();
      const got = recoveredHistory(recover<KeysPayload>(image)).map((e) => e.key);
      expect(got.slice(0, 2)).toEqual(durable);
      if (mode === 'lose') expect(got).toEqual(durable);
      if (mode === 'kill') expect(got).toEqual(all);
      node = new LogNode(node.driver, image);
      // The restarted node continues the recovered log, behind the repair barrier.
      node.append([8]);
      while (node.completeFsync() !== undefined) expectSound(node);
      expect(recoveredHistory(recover<KeysPayload>(node.driver.image())).map((e) => e.key)).toEqual(node.history.map((e) => e.key));
    }
  });

  it('after a torn tail the restarted writer holds appends until the repair is durable, then opens a new file', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const first = new LogNode();
      first.append([20, 20, 20]);
      const image = first.driver.crash('tear', seed);
      const node = new LogNode(first.driver, image);
      const repairing = node.recovered!.logRepairFsyncIds.length > 0;
      expect(node.log.barrierPending).toBe(repairing);
      const before = node.driver.pendingFsyncs;
      node.append([5]);
      expect(node.driver.pendingFsyncs).toBe(repairing ? before : before + 1);
      while (node.completeFsync() !== undefined) expectSound(node);
      const files = [...node.driver.image().keys()].filter((n) => n.startsWith('log.'));
      expect(files).toContain(logFileName(node.lastZxid));
    }
  });
});

describe('barriers', () => {
  it('a roll opens the next file only once the current one is durable', () => {
    const node = new LogNode();
    node.append([10, 10]);
    node.snapshot(2);
    node.append([10]);
    expect(node.log.barrierPending).toBe(true);
    const files = () => [...node.driver.image().keys(), ...[...node.log.fileNames()]].filter((n) => n.startsWith('log.'));
    expect(new Set(files())).toEqual(new Set([logFileName(node.history[0]!.zxid)]));
    while (node.completeFsync() !== undefined) expectSound(node);
    expect(node.log.fileNames()).toEqual([logFileName(node.history[0]!.zxid), logFileName(node.history[2]!.zxid)]);
  });

  it('TRUNC across files: later files deleted and the holder truncated, last file first; new txns wait for it', () => {
    const node = new LogNode();
    node.append([10, 10, 10]);
    while (node.completeFsync() !== undefined);
    node.snapshot(1);
    node.append([10, 10]);
    while (node.completeFsync() !== undefined);
    node.snapshot(1);
    node.append([10, 10]);
    while (node.completeFsync() !== undefined);
    expect(node.log.fileNames()).toHaveLength(3);
    const names = node.log.fileNames();
    const truncEffects: Effect[] = [];
    const driverApply = node.driver.apply.bind(node.driver);
    node.driver.apply = (effects) => {
      truncEffects.push(...effects.filter((e) => 'file' in e && e.file.startsWith('log.')));
      driverApply(effects);
    };
    node.truncate(2);
    expect(kinds(truncEffects).filter((k) => !k.startsWith('fsync'))).toEqual([`deleteFile ${names[2]}`, `deleteFile ${names[1]}`, `truncate ${names[0]}`]);
    expect(kinds(truncEffects).filter((k) => k.startsWith('fsync')).map((k) => k.split(' ')[1])).toEqual([names[2], names[1], names[0]]);
    expect(node.log.durableUpTo).toBe(node.history[1]!.zxid);
    node.append([10]);
    expect(node.log.barrierPending).toBe(true);
    for (let step = 0; node.completeFsync() !== undefined; step++) expectSound(node);
    expect(recoveredHistory(recover<KeysPayload>(node.driver.image())).map((e) => e.key)).toEqual(node.history.map((e) => e.key));
  });

  it('a crash at any point of a TRUNC leaves the old log or the new one, never a mix', () => {
    for (let stop = 0; stop < 8; stop++) {
      const node = new LogNode();
      node.append([10, 10, 10, 10]);
      while (node.completeFsync() !== undefined);
      node.truncate(2);
      node.append([25, 25], true);
      for (let i = 0; i < stop; i++) node.completeFsync();
      for (const mode of ['lose', 'kill'] as const) {
        const copy = DiskDriver.fromImage(node.driver.image());
        expect(checkImage(node, copy.image()), `stop ${stop} ${mode}`).toBeUndefined();
      }
      expect(checkImage(node, node.driver.crash('tear', stop + 1))).toBeUndefined();
    }
  });

  it('SNAP: the log is reset only after the snapshot is durable, and new txns wait for the deletions', () => {
    const node = new LogNode();
    node.append([10, 10, 10]);
    node.completeFsync();
    node.snapSync(1, 3);
    expect(node.snapSyncPending).toBe(true);
    while (node.completeFsync() !== undefined) expectSound(node);
    expect(node.snapSyncPending).toBe(false);
    expect(node.log.lastLoggedZxid).toBe(node.lastZxid);
    expect(node.log.durableUpTo).toBe(node.lastZxid);
    expect(node.log.fileNames()).toEqual([]);
    node.append([10]);
    while (node.completeFsync() !== undefined) expectSound(node);
    const r = recover<KeysPayload>(node.driver.image());
    expect(r.baseZxid).toBe(node.history[3]!.zxid);
    expect(recoveredHistory(r).map((e) => e.key)).toEqual(node.history.map((e) => e.key));
  });

  it('TRUNC sync with COMMITs applied in memory: the NEWLEADER snapshot is ahead of the log, appends continue from it', () => {
    const d = new DiskDriver();
    const log = TxnLog.fresh();
    const store = SnapshotStore.fresh();
    const z = (e: number, c: number) => makeZxid(e, c);
    const drain = () => {
      for (let f = d.completeNext(); f !== undefined; f = d.completeNext()) {
        if (fsyncOwner(f.id) === 'log') d.apply(log.onFsynced(f.id).effects);
        if (fsyncOwner(f.id) === 'snap') store.onFsynced(String(f.id));
      }
    };
    d.apply(log.appendAll([1, 2, 3, 4, 5].map((c) => testTxn(z(1, c), c, 10))));
    drain();
    // TRUNC to (1,3); the leader's (2,1), (2,2) arrive as PROPOSAL+COMMIT before NEWLEADER and are
    // applied without logging; NEWLEADER takes a snapshot at (2,2).
    d.apply(log.truncateTo(z(1, 3)));
    d.apply(store.write(z(2, 2), { upTo: '(2,2)' }));
    drain();
    expect(() => log.append(testTxn(z(2, 3), 6, 10))).toThrow(/continuity/);
    d.apply(log.reset(z(2, 2)));
    expect(log.durableUpTo).toBe(z(2, 2));
    d.apply(log.append(testTxn(z(2, 3), 6, 10)));
    drain();
    const r = recover(d.image());
    expect(r.baseZxid).toBe(z(2, 2));
    expect(r.txns.map((t) => t.zxid)).toEqual([z(2, 3)]);
    expect(r.problems).toEqual([]);
  });

  it('purge deletes old snapshots and the log files only they needed', () => {
    const node = new LogNode();
    for (let i = 0; i < 5; i++) {
      node.append([10, 10, 10]);
      while (node.completeFsync() !== undefined);
      node.snapshot(node.history.length - 1);
      while (node.completeFsync() !== undefined);
    }
    node.append([10]);
    while (node.completeFsync() !== undefined);
    node.purge(2);
    while (node.completeFsync() !== undefined) expectSound(node);
    const image = node.driver.image();
    expect([...image.keys()].filter((n) => n.startsWith('snapshot.'))).toHaveLength(2);
    const oldestKept = node.store.durableZxids()[0]!;
    const logs = node.log.fileNames();
    expect(logs.length).toBeLessThan(6);
    // The oldest kept snapshot still finds every txn after it in the log.
    const r = recover<KeysPayload>(new Map([...image].filter(([n]) => !n.startsWith('snapshot.') || n === `snapshot.${oldestKept.toString(16)}`)));
    expect(r.baseZxid).toBe(oldestKept);
    expect(recoveredHistory(r).map((e) => e.key)).toEqual(node.history.map((e) => e.key));
  });
});
