/**
 * The leader's choice of DIFF / TRUNC / SNAP, case by case as in LearnerHandler.syncFollower,
 * including the three outcomes measured on a real ensemble (zookeeper-semantics.md §2):
 * an orphan proposal truncated when no new-epoch txn exists yet (TRUNC), and replaced by a
 * snapshot once the new epoch has txns (SNAP: "Cannot send TRUNC … different epoch").
 */
import { describe, expect, it } from 'vitest';
import { planSync, type LeaderSyncView } from '../../../src/engine/zab/sync/syncPlan.ts';
import type { Txn } from '../../../src/engine/request/txn.ts';
import { makeZxid } from '../../../src/engine/zxid.ts';

const txn = (epoch: number, counter: number): Txn => ({ zxid: makeZxid(epoch, counter), timeMs: 0, sessionId: 1, cxid: 0, body: { type: 'error', err: 0 } });
const view = (log: Txn[], lastProcessed = log.at(-1)?.zxid ?? 0, disk?: Txn[]): LeaderSyncView => ({
  lastProcessedZxid: lastProcessed,
  committedLog: log,
  txnsFromLog: () => disk,
});
const z = makeZxid;
const zx = (p: { txns: Txn[] }) => p.txns.map((t) => t.zxid);

describe('sync plan', () => {
  const log = [txn(1, 1), txn(1, 2), txn(1, 3), txn(2, 1), txn(2, 2)];

  it('a peer exactly at the leader gets an empty DIFF', () => {
    expect(planSync(view(log), z(2, 2))).toMatchObject({ mode: 'DIFF', packetZxid: z(2, 2), txns: [] });
  });

  it('a peer inside the committed log gets DIFF with the txns it lacks', () => {
    const p = planSync(view(log), z(1, 2));
    expect(p).toMatchObject({ mode: 'DIFF', packetZxid: z(2, 2), lastQueuedZxid: z(2, 2) });
    expect(zx(p)).toEqual([z(1, 3), z(2, 1), z(2, 2)]);
  });

  it('a peer at an epoch start gets DIFF with everything after it', () => {
    expect(zx(planSync(view(log), z(2, 0)))).toEqual([z(2, 1), z(2, 2)]);
    // A fresh peer (zxid 0) is before the in-memory window: served from the on-disk log, else SNAP.
    expect(zx(planSync(view(log, undefined, log), 0))).toEqual(log.map((t) => t.zxid));
    expect(planSync(view(log), 0).mode).toBe('SNAP');
  });

  it('kill-early: an orphan past the committed log is TRUNCated to the log end', () => {
    // Leader committed up to 0x800000009; the old leader logged 0x80000000a alone.
    const l = [txn(8, 8), txn(8, 9)];
    expect(planSync(view(l, z(9, 0)), z(8, 10))).toMatchObject({ mode: 'TRUNC', packetZxid: z(8, 9), txns: [] });
  });

  it('a divergent peer in the same epoch is TRUNCated to the last common txn, then DIFFed', () => {
    // Leader: 1,2,4 ; peer logged 3 which was never committed.
    const l = [txn(1, 1), txn(1, 2), txn(1, 4)];
    const p = planSync(view(l), z(1, 3));
    expect(p).toMatchObject({ mode: 'TRUNC', packetZxid: z(1, 2) });
    expect(zx(p)).toEqual([z(1, 4)]);
  });

  it('kill: an orphan from an older epoch, with new-epoch txns committed, falls back to SNAP', () => {
    const l = [txn(7, 9), txn(8, 1), txn(8, 2)];
    const p = planSync(view(l), z(7, 10));
    expect(p.mode).toBe('SNAP');
    expect(p.reason).toMatch(/different epoch/);
    expect(p.packetZxid).toBe(z(8, 2));
  });

  it('an empty committed log stands for the last applied zxid (a leader restarted from a snapshot)', () => {
    // The leader recovered from a snapshot at 0x2000000f1 with no txns after it. Treating the
    // empty log as ending at 0 sent TRUNC 0 to every peer but an exact match (swarm seeds 22, 33:
    // a peer at 0x2000000c1 dropped its whole history, then a COMMIT hit an empty tree).
    const empty = (disk?: Txn[]) => view([], z(2, 0xf1), disk);
    expect(planSync(empty(), z(2, 0xf1))).toMatchObject({ mode: 'DIFF', txns: [] });
    // A peer past it is cut back to it.
    expect(planSync(empty(), z(2, 0xf2))).toMatchObject({ mode: 'TRUNC', packetZxid: z(2, 0xf1), lastQueuedZxid: z(2, 0xf1) });
    // A peer behind it is served from the on-disk log when it reaches back, else by SNAP.
    const disk = [txn(2, 0xc1), txn(2, 0xc2), txn(2, 0xf1)];
    const p = planSync(empty(disk), z(2, 0xc1));
    expect(p).toMatchObject({ mode: 'DIFF', packetZxid: z(2, 0xf1) });
    expect(zx(p)).toEqual([z(2, 0xc2), z(2, 0xf1)]);
    expect(planSync(empty(), z(2, 0xc1))).toMatchObject({ mode: 'SNAP', packetZxid: z(2, 0xf1) });
  });

  it('a peer before the committed window syncs from the on-disk log when it reaches back, else SNAP', () => {
    const window = [txn(3, 5), txn(3, 6)];
    const disk = [txn(3, 1), txn(3, 2), txn(3, 3), txn(3, 4), txn(3, 5)];
    expect(zx(planSync(view(window, z(3, 6), disk), z(3, 2)))).toEqual([z(3, 3), z(3, 4), z(3, 5), z(3, 6)]);
    expect(planSync(view(window, z(3, 6), undefined), z(3, 2)).mode).toBe('SNAP');
  });
});
