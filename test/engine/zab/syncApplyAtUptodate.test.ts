/**
 * A learner synced by DIFF applies the synced commits only after UPTODATE, as 3.8.0's
 * Learner.syncWithLeader does (packetsCommitted are committed after its loop), not when it acks
 * NEWLEADER. The DIFF carries the new leader's whole log as PROPOSAL + COMMIT pairs, including
 * a txn that no quorum acked in the previous epoch: it is committed only when this leader gets
 * its quorum of NEWLEADER ACKs. Found by swarm seed 2 (and 5, 14, 30): the leader lost its other
 * learners to message loss after syncing them, one follower acked NEWLEADER and applied such a
 * txn, and the ZAB checker reported uncommitted-discarded.
 *
 * Here: 5 servers, leader n5; txn T = `set /a 2` is proposed while n1..n3 are down, so only n5
 * and n4 log it (2 of 5). n5 crashes and n1..n3 come back; n4, which has the highest zxid, leads
 * epoch 2 and DIFF-syncs T with a COMMIT. The moment it syncs its first learner S, a partition
 * holds its packets to the other two, so S's is the only NEWLEADER ACK n4 can get until the heal.
 */
import { describe, expect, it } from 'vitest';
import { checkZab } from '../../../src/checker/zab/index.ts';
import { databaseDigest } from '../../../src/engine/db/zkDatabase.ts';
import { OPEN_ACL } from '../../../src/engine/tree/acl.ts';
import type { ZabNode } from '../../../src/engine/zab/node/zabNode.ts';
import { ZabEventLog } from '../../../src/run/systems/zabEventLog.ts';
import { bytes, startEnsemble, text } from './ensembleHarness.ts';

const SERVERS = ['n1', 'n2', 'n3', 'n4', 'n5'];

function setUp(seed: number) {
  let zab: ZabEventLog | undefined;
  let armed = false;
  let synced: string | undefined;
  const e = startEnsemble(seed, {
    servers: 5,
    clients: 1,
    beforeStart: (sim) => {
      zab = new ZabEventLog(sim, (n) => SERVERS.includes(n));
      sim.trace.listen((_t, kind, node, data) => {
        const p = data as { ev?: string; sid?: number };
        if (!armed || kind !== 'proto' || node !== 'n4' || p.ev !== 'sync') return;
        armed = false;
        synced = `n${p.sid}`;
        // After the effect being applied: the leader's packets to the other two are held.
        const others = ['n1', 'n2', 'n3'].filter((n) => n !== synced);
        sim.boundary.run(() => sim.net.partition([['n4', synced!, 'c1'], others]));
      });
    },
  });
  const node = (id: string) => e.sim.host(id).instance as ZabNode;
  const valueAt = (id: string) => text(node(id).replica.db.tree.getNode('/a')?.data);

  e.runMs(2000);
  expect(e.leader()).toBe('n5');
  const c = e.client(1);
  c.send({ do: 'connect', server: 5 });
  e.runMs(100);
  c.send({ do: 'request', xid: 1, request: { op: 'create', path: '/a', data: bytes('1'), acl: [...OPEN_ACL], flags: 0 } });
  e.runMs(100);
  expect(c.replies().map((r) => r.err)).toEqual([0]);
  // T is proposed while n1..n3 are down (n5 has not noticed its lost quorum yet): only n4 acks it.
  for (const n of ['n1', 'n2', 'n3']) e.sim.host(n).crash();
  c.send({ do: 'request', xid: 2, request: { op: 'setData', path: '/a', data: bytes('2'), version: -1 } });
  e.runMs(50);
  const t = node('n4').lastLoggedZxid();
  expect(node('n5').lastLoggedZxid()).toBe(t);
  // Not committed, so not answered.
  expect(c.replies().map((r) => r.err)).toEqual([0]);
  e.sim.host('n5').crash();
  armed = true;
  for (const n of ['n1', 'n2', 'n3']) e.sim.host(n).start();
  e.runMs(3000);
  return { e, zab: zab!, node, valueAt, t, synced: synced! };
}

describe('DIFF sync applies its commits at UPTODATE', () => {
  it('a follower that acked NEWLEADER does not apply a txn the unestablished leader calls committed', () => {
    const { e, zab, node, valueAt, t, synced } = setUp(3);
    expect(synced).toMatch(/^n[123]$/);
    // n4 leads epoch 2 with only its own and S's NEWLEADER ACK: not established.
    expect(e.of('established').map((x) => `${x.node} ${String(x.ev.epoch)}`)).toEqual(['n5 1']);
    // S did not have T: it came in the DIFF, with a COMMIT.
    const sync = e.of('sync').find((x) => x.node === 'n4' && `n${String(x.ev.sid)}` === synced)!;
    expect([sync.ev.mode, (sync.ev.peerZxid as number) < t, sync.ev.zxid]).toEqual(['DIFF', true, t]);
    const s = node(synced);
    // S has T durably (it was in the DIFF) and acked NEWLEADER, but has not applied it.
    expect(s.lastLoggedZxid()).toBe(t);
    expect(e.events.some((x) => x.node === synced && x.ev.ev === 'currentEpoch' && x.ev.epoch === 2)).toBe(true);
    expect(e.events.some((x) => x.node === synced && x.ev.ev === 'serving' && x.ev.epoch === 2)).toBe(false);
    expect(valueAt(synced)).toBe('1');
    expect(s.lastProcessedZxid()).toBeLessThan(t);
    expect(checkZab(zab.events).violations).toEqual([]);
  });

  it('once the leader has its quorum, UPTODATE makes the follower apply the synced txns', () => {
    const { e, zab, valueAt, t, synced } = setUp(3);
    e.sim.net.heal();
    e.runMs(1000);
    expect(e.of('established').map((x) => `${x.node} ${String(x.ev.epoch)}`)).toEqual(['n5 1', 'n4 2']);
    expect(e.events.some((x) => x.node === synced && x.ev.ev === 'serving' && x.ev.epoch === 2)).toBe(true);
    expect(valueAt(synced)).toBe('2');
    const applied = zab.events.filter((x) => x.kind === 'apply' && x.node === synced && x.zxid === t);
    expect(applied).toHaveLength(1);
    const digests = ['n1', 'n2', 'n3', 'n4'].map((n) => databaseDigest((e.sim.host(n).instance as ZabNode).replica.db));
    expect(new Set(digests).size).toBe(1);
    expect(checkZab(zab.events).violations).toEqual([]);
  });
});
