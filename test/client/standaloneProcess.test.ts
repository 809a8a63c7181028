/**
 * Goal: the standalone server process maps the wire protocol onto the server core faithfully
 * at its edges: a packet that is not the protocol costs the connection; a server crash resets
 * its clients' connections, so an unanswered write is `info`; and since this process keeps no
 * data on disk (docs/deviations.md), a restarted server is behind every zxid its old clients
 * saw, so — as ZooKeeper does with a server behind the client — it refuses them, while a new
 * client gets in.
 */
import { describe, expect, it } from 'vitest';
import { CLIENT_CONN_TAG } from '../../src/engine/server/clientWire.ts';
import type { Effect, ProcessInput, SimProcess } from '../../src/sim/host/process.ts';
import { MS, SECOND, World } from './harness.ts';

/** Connects to `zk` and sends one message that is not the client protocol. */
class Garbler implements SimProcess {
  readonly seen: string[] = [];
  step(input: ProcessInput): readonly Effect[] {
    if (input.kind === 'start') return [{ kind: 'connect', to: 'zk', tag: CLIENT_CONN_TAG }];
    if (input.kind === 'connected') return [{ kind: 'send', conn: input.conn, msg: { hello: 'world' } }];
    this.seen.push(input.kind === 'disconnected' ? `disconnected:${input.reason}` : input.kind);
    return [];
  }
}

describe('standalone server process', () => {
  it('closes a connection whose first packet is not the client protocol', () => {
    const w = new World(1);
    const g = new Garbler();
    w.process('g', () => g);
    w.run(10 * MS);
    expect(g.seen).toEqual(['disconnected:closed-by-peer']);
  });

  it('a crash resets clients: an unanswered write is info; a restarted empty server refuses clients that saw more', () => {
    const w = new World(2);
    const refusals: string[] = [];
    w.sim.trace.listen((_t, kind, node, data) => {
      const e = data as { client?: string; reason?: string };
      if (kind === 'proto' && node === 'c1' && e.client === 'attempt-failed') refusals.push(e.reason!);
    });
    w.client('c1', { sessionTimeoutMs: 10_000 });
    w.call('c1', { f: 'create', value: { path: '/a', data: '0' } });
    w.cmd('c1', { f: 'setData', value: { path: '/a', data: '1' } });
    w.sim.host('zk').crash();
    w.run(SECOND);
    expect(w.last('c1')).toMatchObject({ f: 'setData', type: 'info', error: 'CONNECTIONLOSS' });
    expect(w.states('c1').map((s) => s.state)).toEqual(['connected', 'disconnected']);
    w.sim.host('zk').start();
    w.run(5 * SECOND);
    expect(w.states('c1').map((s) => s.state)).toEqual(['connected', 'disconnected']);
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals.at(-1)).toBe('closed by server: zxidAhead');
    w.client('c2');
    expect(w.call('c2', { f: 'exists', value: { path: '/a' } })).toMatchObject({ type: 'ok', value: null });
  });
});
