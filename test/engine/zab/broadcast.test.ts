/**
 * Broadcast end to end on the kernel: sessions are created through ZAB, writes at a follower
 * are forwarded, proposed, logged, acked and committed on every replica in zxid order, the
 * client sees its reply after its own write applied, and replicas end with equal digests.
 */
import { describe, expect, it } from 'vitest';
import { OPEN_ACL } from '../../../src/engine/tree/acl.ts';
import { databaseDigest } from '../../../src/engine/db/zkDatabase.ts';
import type { ZabNode } from '../../../src/engine/zab/node/zabNode.ts';
import { bytes, startEnsemble, text } from './ensembleHarness.ts';

const create = (path: string, data: string) => ({ op: 'create' as const, path, data: bytes(data), acl: [...OPEN_ACL], flags: 0 });

describe('ZAB broadcast with clients', () => {
  it('a session created at a follower writes through the leader; every replica applies the same txns', () => {
    const e = startEnsemble(11, { clients: 1 });
    e.runMs(2000);
    expect(e.leader()).toBe('n3');
    const c = e.client(1);
    c.send({ do: 'connect', server: 1 });
    e.runMs(100);
    const session = c.session();
    expect(session?.sessionId).not.toBe(0);
    c.send({ do: 'request', xid: 1, request: create('/a', 'one') });
    c.send({ do: 'request', xid: 2, request: { op: 'getData', path: '/a', watch: false } });
    c.send({ do: 'request', xid: 3, request: { op: 'setData', path: '/a', data: bytes('two'), version: 0 } });
    c.send({ do: 'request', xid: 4, request: { op: 'setData', path: '/a', data: bytes('bad'), version: 7 } });
    e.runMs(200);
    const replies = c.replies();
    expect(replies.map((r) => [r.xid, r.err])).toEqual([[1, 0], [2, 0], [3, 0], [4, -103]]);
    // The read after the write sees it (read-your-writes through the session queue).
    expect(text((replies[1]!.result as { data: Uint8Array }).data)).toBe('one');
    // createSession is 0x100000001, then three writes; the failed setData still takes a zxid.
    expect(replies[3]!.zxid).toBe(2 ** 32 + 4);
    const digests = ['n1', 'n2', 'n3'].map((n) => databaseDigest((e.sim.host(n).instance as ZabNode).replica.db));
    expect(new Set(digests).size).toBe(1);
  });
});
