/**
 * The prep/apply split: several txns prepped before any is applied must see each other through
 * the outstanding change records (as ZooKeeper's outstandingChanges), failures are error txns
 * with their own zxid, a failed multi records nothing, and txns are plain msgpack-able data.
 */
import { describe, expect, it } from 'vitest';
import { decode, encode } from '@msgpack/msgpack';
import { ErrorCode } from '../../src/engine/tree/errors.ts';
import { databaseDigest, freshDatabase } from '../../src/engine/db/zkDatabase.ts';
import { applyTxn } from '../../src/engine/request/apply.ts';
import type { Txn } from '../../src/engine/request/txn.ts';
import { Pipeline, bytes, create } from './helpers.ts';

describe('outstanding change records', () => {
  it('a create in flight is visible to the next prep (child create, NODEEXISTS, sequential counter)', () => {
    const p = new Pipeline();
    p.prep(0, create('/a'));
    const child = p.prep(0, create('/a/b'));
    const dup = p.prep(0, create('/a'));
    const seq1 = p.prep(0, create('/a/s-', 2));
    const seq2 = p.prep(0, create('/a/s-', 2));
    expect(child.body.type).toBe('create');
    expect(dup.body).toEqual({ type: 'error', err: ErrorCode.NODEEXISTS });
    expect(seq1.body).toMatchObject({ path: '/a/s-0000000001' });
    expect(seq2.body).toMatchObject({ path: '/a/s-0000000002' });
    const outcomes = p.applyAll();
    expect(outcomes.map((o) => o.result.type)).toEqual(['create', 'create', 'error', 'create', 'create']);
    expect(p.changes.size).toBe(0);
  });

  it('a delete in flight makes the node missing and the parent empty for later preps', () => {
    const p = new Pipeline();
    p.run(0, create('/a'));
    p.run(0, create('/a/b'));
    expect(p.prep(0, { op: 'delete', path: '/a', version: -1 }).body).toEqual({ type: 'error', err: ErrorCode.NOTEMPTY });
    p.prep(0, { op: 'delete', path: '/a/b', version: -1 });
    expect(p.prep(0, { op: 'setData', path: '/a/b', data: null, version: -1 }).body).toEqual({ type: 'error', err: ErrorCode.NONODE });
    expect(p.prep(0, { op: 'delete', path: '/a', version: -1 }).body).toEqual({ type: 'delete', path: '/a' });
    p.applyAll();
    expect(p.db.tree.getNode('/a')).toBeUndefined();
  });

  it('setData versions chain through in-flight txns', () => {
    const p = new Pipeline();
    p.run(0, create('/v'));
    expect(p.prep(0, { op: 'setData', path: '/v', data: null, version: 0 }).body).toMatchObject({ version: 1 });
    expect(p.prep(0, { op: 'setData', path: '/v', data: null, version: 1 }).body).toMatchObject({ version: 2 });
    expect(p.prep(0, { op: 'setData', path: '/v', data: null, version: 1 }).body).toEqual({ type: 'error', err: ErrorCode.BADVERSION });
    p.applyAll();
    expect(p.db.tree.statOf('/v')!.version).toBe(2);
  });

  it('closeSession lists ephemerals created in flight and skips ones deleted in flight', () => {
    const p = new Pipeline();
    p.run(7, create('/e1', 1));
    p.run(7, create('/e2', 1));
    p.prep(7, create('/e3', 1));
    p.prep(9, { op: 'delete', path: '/e1', version: -1 });
    const close = p.prepClose(7);
    expect(close.body).toEqual({ type: 'closeSession', paths: ['/e2', '/e3'] });
    // Another session's delete prepped after the close sees the node as already gone.
    expect(p.prep(9, { op: 'delete', path: '/e2', version: -1 }).body).toEqual({ type: 'error', err: ErrorCode.NONODE });
    p.applyAll();
    expect(p.db.tree.ephemeralsOf(7)).toEqual([]);
  });

  it('a failed multi leaves no change records behind', () => {
    const p = new Pipeline();
    const txn = p.prep(0, {
      op: 'multi',
      ops: [create('/x'), { op: 'check', path: '/missing', version: 0 }],
    });
    expect(txn.body).toEqual({
      type: 'multi',
      txns: [
        { type: 'error', err: ErrorCode.OK },
        { type: 'error', err: ErrorCode.NONODE },
      ],
    });
    expect(p.changes.size).toBe(0);
    expect(p.prep(0, create('/x')).body.type).toBe('create');
  });
});

describe('txns as data', () => {
  it('every failed write is an error txn with its own zxid', () => {
    const p = new Pipeline();
    const a = p.prep(0, create('/t'));
    const b = p.prep(0, create('/t'));
    const c = p.prep(0, create('/t/p1'));
    expect([a.zxid, b.zxid, c.zxid]).toEqual([1, 2, 3]);
    expect(b.body).toEqual({ type: 'error', err: ErrorCode.NODEEXISTS });
  });

  it('txns survive a msgpack round trip and a replica applying the copies ends up identical', () => {
    const leader = new Pipeline();
    const replica = freshDatabase();
    const requests = [
      create('/a', 0, bytes('hello')),
      create('/a/s-', 2, null),
      create('/a/e', 1),
      { op: 'multi' as const, ops: [create('/b'), { op: 'setData' as const, path: '/a', data: bytes('x'), version: -1 }] },
      { op: 'delete' as const, path: '/nope', version: -1 },
    ];
    for (const request of requests) leader.prep(5, request);
    leader.prepClose(5);
    const wire = leader.inFlightCopy().map((txn) => encode(txn));
    leader.applyAll();
    for (const packet of wire) applyTxn(replica, decode(packet) as Txn);
    expect(databaseDigest(replica)).toBe(databaseDigest(leader.db));
    expect(replica.tree.getNode('/a')!.data).toEqual(bytes('x'));
  });
});
