/**
 * Goal: the client library works against any server speaking the client wire protocol, not
 * only the standalone one: against a 3-node ZAB ensemble it connects through its connect
 * string, and when the member it uses dies it moves to another member with the same session
 * (its ephemeral survives) and keeps FIFO order. Method: ZabNode processes n1..n3 and two
 * ZkClients; crash the member client c1 is connected to.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENSEMBLE, type EnsembleConfig } from '../../src/engine/zab/config.ts';
import { ZabNode } from '../../src/engine/zab/node/zabNode.ts';
import { MS, SECOND, World } from './harness.ts';

function ensembleWorld(seed: number): World {
  const w = new World(seed, { serverIds: [] });
  const cfg: EnsembleConfig = { ...DEFAULT_ENSEMBLE, servers: [1, 2, 3].map((sid) => ({ sid, role: 'participant' as const })) };
  for (const s of cfg.servers) w.sim.addProcess(`n${s.sid}`, () => new ZabNode(s.sid, cfg));
  for (const s of cfg.servers) w.sim.host(`n${s.sid}`).start();
  w.run(SECOND); // an election
  return w;
}

describe('client against a ZAB ensemble', () => {
  it('moves to another member with the same session when its member crashes, and keeps FIFO order', () => {
    const w = ensembleWorld(3);
    w.client('c1', { servers: 'n1,n2,n3', requestTimeoutMs: 3000 });
    w.client('c2', { servers: 'n1,n2,n3', requestTimeoutMs: 3000 });
    expect(w.call('c1', { f: 'create', value: { path: '/e', data: 'x', mode: 'EPHEMERAL' } }).type).toBe('ok');
    expect(w.call('c2', { f: 'create', value: { path: '/w', data: '0' } }).type).toBe('ok');
    const session = w.clientObject('c1').session;
    const first = w.all('c1').find((o) => o.type === 'state' && o.state === 'connected');
    const member = first?.type === 'state' ? first.server! : '';
    w.sim.host(member).crash();
    w.run(5 * SECOND);
    const states = w.all('c1').flatMap((o) => (o.type === 'state' ? [[o.state, o.server]] : []));
    expect(states.map(([s]) => s)).toEqual(['connected', 'disconnected', 'connected']);
    expect(states[2]![1]).not.toBe(member);
    expect(w.clientObject('c1').session).toBe(session);
    expect(w.call('c2', { f: 'exists', value: { path: '/e' } }).value).toMatchObject({ ephemeralOwner: session });
    // Pipelined on the new member: the read sees the write issued just before it.
    w.cmd('c1', { f: 'setData', value: { path: '/w', data: '2' } });
    w.cmd('c1', { f: 'getData', value: { path: '/w' } });
    w.run(100 * MS);
    expect(w.completions('c1').slice(-2).map((c) => [c.f, c.type])).toEqual([
      ['setData', 'ok'],
      ['getData', 'ok'],
    ]);
    expect(w.last('c1').value).toMatchObject({ data: '2', version: 1 });
  });

  it('re-registers watches with SetWatches on the new member, which fires a watch whose event it missed', () => {
    const w = ensembleWorld(5);
    w.client('c1', { servers: 'n1,n2,n3', requestTimeoutMs: 3000 });
    w.client('c2', { servers: 'n1,n2,n3', requestTimeoutMs: 3000 });
    expect(w.call('c2', { f: 'create', value: { path: '/cfg', data: 'v1' } }).type).toBe('ok');
    expect(w.call('c1', { f: 'getData', value: { path: '/cfg', watch: true } }).type).toBe('ok');
    const first = w.all('c1').find((o) => o.type === 'state' && o.state === 'connected');
    const member = first?.type === 'state' ? first.server! : '';
    // c1's member dies; while c1 reconnects, c2 changes the node: c1 missed that event.
    w.sim.host(member).crash();
    expect(w.call('c2', { f: 'setData', value: { path: '/cfg', data: 'v2' } }).type).toBe('ok');
    w.run(5 * SECOND);
    const events = w.all('c1').filter((o) => o.type === 'event');
    expect(events.map((e) => (e.type === 'event' ? [e.event.type, e.event.path, e.watched] : []))).toEqual([['NodeDataChanged', '/cfg', true]]);
  });
});
