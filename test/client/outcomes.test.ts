/**
 * Goal: the outcome rule and the server walk, as plain functions. The rule table is written
 * out from the Jepsen definitions (ok: happened; fail: did not; info: may have) and ZooKeeper's
 * error semantics, not copied from the implementation; the host walk from StaticHostProvider.
 */
import { describe, expect, it } from 'vitest';
import { type CommandName } from '../../src/client/commands.ts';
import { HostProvider, parseConnectString } from '../../src/client/connectString.ts';
import { completionOfLoss, completionOfReply, completionType } from '../../src/client/outcomes.ts';
import { ErrorCode } from '../../src/engine/tree/errors.ts';
import { Choices } from '../../src/sim/rng/choices.ts';

const writes: CommandName[] = ['create', 'delete', 'setData', 'multi', 'close'];
const reads: CommandName[] = ['getData', 'exists', 'getChildren', 'sync', 'addWatch'];

describe('client: outcome rule', () => {
  it.each([
    ['OK reply', { kind: 'reply', err: 0 }, 'ok', 'ok'],
    ['definite error reply', { kind: 'reply', err: ErrorCode.BADVERSION }, 'fail', 'fail'],
    ['SESSIONEXPIRED reply', { kind: 'reply', err: ErrorCode.SESSIONEXPIRED }, 'fail', 'fail'],
    ['CONNECTIONLOSS code in a reply', { kind: 'reply', err: ErrorCode.CONNECTIONLOSS }, 'info', 'fail'],
    ['lost after sending', { kind: 'lost', error: 'CONNECTIONLOSS', sent: true }, 'info', 'fail'],
    ['timed out after sending', { kind: 'lost', error: 'REQUESTTIMEOUT', sent: true }, 'info', 'fail'],
    ['never sent', { kind: 'lost', error: 'CONNECTIONLOSS', sent: false }, 'fail', 'fail'],
  ] as const)('%s: writes %s, reads %s', (_what, fate, forWrite, forRead) => {
    for (const f of writes) expect(completionType(f, fate)).toBe(forWrite);
    for (const f of reads) expect(completionType(f, fate)).toBe(forRead);
  });

  it('exists on a missing node is an ok answer with a null stat; getData on one fails with NONODE', () => {
    expect(completionOfReply('exists', ErrorCode.NONODE, null)).toEqual({ type: 'ok', value: null });
    expect(completionOfReply('getData', ErrorCode.NONODE, null)).toEqual({ type: 'fail', value: null, error: 'NONODE' });
  });

  it('a multi whose results carry an error failed, naming the op that failed it', () => {
    const results = [{ type: 'error', err: 0 }, { type: 'error', err: ErrorCode.NODEEXISTS }, { type: 'error', err: ErrorCode.RUNTIMEINCONSISTENCY }] as const;
    expect(completionOfReply('multi', 0, { type: 'multi', results: [...results] })).toEqual({
      type: 'fail',
      value: [
        { ok: false, error: 'OK' },
        { ok: false, error: 'NODEEXISTS' },
        { ok: false, error: 'RUNTIMEINCONSISTENCY' },
      ],
      error: 'NODEEXISTS',
    });
    expect(completionOfReply('multi', 0, { type: 'multi', results: [{ type: 'create', path: '/a' }, { type: 'delete' }] })).toEqual({
      type: 'ok',
      value: [{ ok: true, path: '/a' }, { ok: true }],
    });
  });

  it('a lost reply carries its reason as the error', () => {
    expect(completionOfLoss('setData', 'REQUESTTIMEOUT', true)).toEqual({ type: 'info', value: null, error: 'REQUESTTIMEOUT' });
  });
});

describe('client: connect string and server walk', () => {
  it('parses ids, rejects an empty or duplicated list', () => {
    expect(parseConnectString(' n1, n2 ,n3')).toEqual(['n1', 'n2', 'n3']);
    expect(() => parseConnectString(' , ')).toThrow(/names no server/);
    expect(() => parseConnectString(['n1', 'n1'])).toThrow(/n1 twice/);
  });

  it('walks a seeded shuffle round-robin and asks for the spin delay after a full fruitless round', () => {
    const hosts = new HostProvider(['a', 'b', 'c'], new Choices(3).stream('node/c1'));
    const again = new HostProvider(['a', 'b', 'c'], new Choices(3).stream('node/c1'));
    expect(again.servers).toEqual(hosts.servers);
    expect([...hosts.servers].sort()).toEqual(['a', 'b', 'c']);
    const walk = Array.from({ length: 4 }, () => hosts.next());
    expect(walk.map((s) => s.server)).toEqual([...hosts.servers, hosts.servers[0]]);
    // Never connected: back at the first server after trying all three.
    expect(walk.map((s) => s.spin)).toEqual([false, false, false, true]);
    hosts.onConnected(); // connected to servers[0]
    expect([hosts.next(), hosts.next(), hosts.next()].map((s) => s.spin)).toEqual([false, false, true]);
  });
});
