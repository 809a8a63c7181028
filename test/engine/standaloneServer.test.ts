/**
 * The standalone core's effects: zxid accounting (createSession is zxid 1), event-before-reply
 * on the writer's own connection, re-attach and wrong-password handling, the packet size limit,
 * expiry on tick and the deterministic effect stream.
 */
import { describe, expect, it } from 'vitest';
import { StandaloneServer } from '../../src/engine/server/standaloneServer.ts';
import type { ServerEffect } from '../../src/engine/server/effects.ts';
import { sessionPassword } from '../../src/engine/session/sessionId.ts';
import { ErrorCode } from '../../src/engine/tree/errors.ts';
import { bytes, create } from './helpers.ts';

function connected(server: StandaloneServer, connId: number, timeoutMs = 10_000): number {
  const effects = server.connect(connId, { timeoutMs });
  const response = effects.find((e) => e.type === 'connectResponse');
  if (response?.type !== 'connectResponse') throw new Error('no connect response');
  return response.sessionId;
}

const kinds = (effects: ServerEffect[]) =>
  effects.map((e) => (e.type === 'event' ? `event:${e.connId}:${e.event.type}` : e.type === 'reply' ? `reply:${e.connId}:${e.err}` : `${e.type}:${e.connId}`));

describe('standalone server core', () => {
  it('the first createSession is zxid 1 and reads report the last processed zxid', () => {
    const server = new StandaloneServer({ tickTimeMs: 2000 });
    connected(server, 1);
    expect(server.lastProcessedZxid).toBe(1);
    const [reply] = server.request(1, 1, { op: 'exists', path: '/x', watch: false });
    expect(reply).toMatchObject({ type: 'reply', zxid: 1, err: ErrorCode.NONODE });
  });

  it('a watch on the writer’s own connection fires before the write’s reply', () => {
    const server = new StandaloneServer({ tickTimeMs: 2000 });
    connected(server, 1);
    connected(server, 2);
    server.request(1, 1, create('/a'));
    server.request(1, 2, { op: 'getData', path: '/a', watch: true });
    server.request(2, 1, { op: 'exists', path: '/a', watch: true });
    const effects = server.request(1, 3, { op: 'setData', path: '/a', data: bytes('x'), version: -1 });
    expect(kinds(effects)).toEqual(['event:1:NodeDataChanged', 'event:2:NodeDataChanged', 'reply:1:0']);
  });

  it('re-attach closes the old connection; a wrong password closes it too and gets the expired reply', () => {
    const server = new StandaloneServer({ tickTimeMs: 2000 });
    const sessionId = connected(server, 1);
    const reattach = server.connect(2, { sessionId, passwd: sessionPassword(sessionId), timeoutMs: 10_000 });
    expect(reattach).toEqual([
      { type: 'closeConnection', connId: 1, reason: 'clientReconnect' },
      { type: 'connectResponse', connId: 2, sessionId, timeoutMs: 10_000, passwd: sessionPassword(sessionId) },
    ]);
    const wrong = server.connect(3, { sessionId, passwd: new Uint8Array(16), timeoutMs: 10_000 });
    expect(kinds(wrong)).toEqual(['closeConnection:2', 'connectResponse:3', 'closeConnection:3']);
    expect(wrong[1]).toMatchObject({ sessionId: 0, timeoutMs: 0 });
    expect(server.tracker.isActive(sessionId)).toBe(true);
    expect(server.lastProcessedZxid).toBe(1);
  });

  it('an oversize packet closes the connection without a txn; the session survives', () => {
    const server = new StandaloneServer({ tickTimeMs: 2000 });
    const sessionId = connected(server, 1);
    server.request(1, 1, create('/t'));
    server.request(1, 2, create('/t/big'));
    const fits = server.request(1, 3, { op: 'setData', path: '/t/big', data: new Uint8Array(1048549), version: -1 });
    expect(fits.at(-1)).toMatchObject({ type: 'reply', err: 0 });
    const tooBig = server.request(1, 4, { op: 'setData', path: '/t/big', data: new Uint8Array(1048550), version: -1 });
    expect(tooBig).toEqual([{ type: 'closeConnection', connId: 1, reason: 'packetTooLarge' }]);
    expect(server.lastProcessedZxid).toBe(4);
    expect(server.tracker.isActive(sessionId)).toBe(true);
  });

  it('expiry on tick deletes the ephemerals in one txn and closes a live connection', () => {
    const server = new StandaloneServer({ tickTimeMs: 2000 });
    const a = connected(server, 1, 4000);
    connected(server, 2, 40_000);
    server.request(1, 1, create('/e1', 1));
    server.request(1, 2, create('/e2', 1));
    server.request(2, 1, { op: 'getChildren', path: '/', watch: true });
    expect(server.tick(3999)).toEqual([]);
    const effects = server.tick(4000);
    expect(kinds(effects)).toEqual(['event:2:NodeChildrenChanged', 'closeConnection:1']);
    expect(server.lastProcessedZxid).toBe(5);
    expect(server.db.tree.ephemeralsOf(a)).toEqual([]);
    expect(server.db.tree.statOf('/')).toMatchObject({ pzxid: 5 });
    expect(server.db.sessions.has(a)).toBe(false);
  });

  it('the same inputs give the same effects and digest', () => {
    const run = () => {
      const server = new StandaloneServer({ tickTimeMs: 2000 });
      const out: ServerEffect[] = [];
      out.push(...server.connect(1, { timeoutMs: 5000 }));
      out.push(...server.request(1, 1, create('/s-', 3)));
      out.push(...server.request(1, 2, { op: 'multi', ops: [create('/m'), { op: 'check', path: '/m', version: 0 }] }));
      out.push(...server.tick(20_000));
      return { out, digest: server.digest() };
    };
    expect(run()).toEqual(run());
  });
});
