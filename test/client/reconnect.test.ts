/**
 * Goal: a client whose connection breaks moves to another server of its connect string,
 * re-attaches its session (same id and password: ephemerals survive, no new session) and
 * re-registers its watches with SetWatches relative to the last zxid it saw — so a change made
 * while it was away fires at once, and watches it had not yet used fire later on the new
 * connection. Method: two TCP proxies in front of one standalone server stand in for two
 * servers; the proxy the client uses is crashed (its connections reset), and only the other
 * one comes back. Also: a write lost with the connection is `info`, a lost read `fail`; and the
 * first server is drawn from the seeded stream.
 */
import { describe, expect, it } from 'vitest';
import { MS, SECOND, World } from './harness.ts';
import { TcpProxy } from './proxy.ts';

function proxiedWorld(seed: number): World {
  const w = new World(seed);
  w.process('p1', () => new TcpProxy('zk'));
  w.process('p2', () => new TcpProxy('zk'));
  return w;
}

function connectedServers(w: World, client: string): string[] {
  return w.all(client).flatMap((o) => (o.type === 'state' && o.state === 'connected' ? [o.server!] : []));
}

describe('client: reconnect, re-attach, watch re-registration', () => {
  it('moves to the other server with the same session; a missed change fires at once, re-registered watches later', () => {
    const w = proxiedWorld(11);
    w.client('c1', { servers: 'p1,p2', sessionTimeoutMs: 10_000 });
    w.client('c2');
    expect(w.call('c1', { f: 'create', value: { path: '/e', data: 'mine', mode: 'EPHEMERAL' } }).type).toBe('ok');
    w.call('c2', { f: 'create', value: { path: '/w', data: '0' } });
    w.call('c2', { f: 'create', value: { path: '/kids', data: null } });
    expect(w.call('c1', { f: 'getData', value: { path: '/w', watch: true } }).type).toBe('ok');
    expect(w.call('c1', { f: 'exists', value: { path: '/n', watch: true } })).toMatchObject({ type: 'ok', value: null });
    expect(w.call('c1', { f: 'getChildren', value: { path: '/kids', watch: true } }).type).toBe('ok');
    const session = w.clientObject('c1').session;
    const [first] = connectedServers(w, 'c1');
    const other = first === 'p1' ? 'p2' : 'p1';

    // Both "servers" go away; a change lands while the client cannot reach any of them.
    w.sim.host('p1').crash();
    w.sim.host('p2').crash();
    expect(w.call('c2', { f: 'setData', value: { path: '/w', data: '1' } }).type).toBe('ok');
    w.run(2 * SECOND);
    expect(w.events('c1')).toEqual([]);
    w.sim.host(other).start();
    w.run(3 * SECOND);

    expect(w.states('c1').map((s) => s.state)).toEqual(['connected', 'disconnected', 'connected']);
    expect(connectedServers(w, 'c1')).toEqual([first, other]);
    expect(w.clientObject('c1').session).toBe(session);
    // The change made while away is reported by SetWatches right after the re-attach.
    expect(w.events('c1')).toEqual([{ type: 'NodeDataChanged', path: '/w' }]);
    // The ephemeral survived: the session was re-attached, not replaced.
    expect(w.call('c2', { f: 'exists', value: { path: '/e' } }).value).toMatchObject({ ephemeralOwner: session });
    // Watches not yet used were re-registered on the new connection.
    w.call('c2', { f: 'create', value: { path: '/n', data: null } });
    w.call('c2', { f: 'create', value: { path: '/kids/a', data: null } });
    w.run(10 * MS);
    expect(w.events('c1')).toEqual([
      { type: 'NodeDataChanged', path: '/w' },
      { type: 'NodeCreated', path: '/n' },
      { type: 'NodeChildrenChanged', path: '/kids' },
    ]);
    // One-shot: the data watch was used up; another change of /w is not reported.
    w.call('c2', { f: 'setData', value: { path: '/w', data: '2' } });
    w.run(10 * MS);
    expect(w.events('c1')).toHaveLength(3);
  });

  it('a write whose connection resets before the reply is info, a read is fail; the session carries on', () => {
    const w = proxiedWorld(5);
    w.client('c1', { servers: 'p1,p2' });
    w.call('c1', { f: 'create', value: { path: '/a', data: '0' } });
    const [first] = connectedServers(w, 'c1');
    // Every segment on the client's link is lost: the next send resets the connection.
    w.sim.net.links.configure(w.sim.net.indexOf('c1'), w.sim.net.indexOf(first!), { lossPerMille: 1000 });
    w.cmd('c1', { f: 'setData', value: { path: '/a', data: '1' } });
    w.cmd('c1', { f: 'getData', value: { path: '/a' } });
    w.run(MS);
    w.sim.net.links.resetConfigs();
    expect(w.completions('c1').slice(1).map((c) => [c.f, c.type, c.error])).toEqual([
      ['setData', 'info', 'CONNECTIONLOSS'],
      ['getData', 'fail', 'CONNECTIONLOSS'],
    ]);
    // After an info the process is considered crashed: later ops use a fresh process id.
    const processes = w.ops().filter((o) => o.type === 'invoke').map((o) => o.process);
    expect(w.call('c1', { f: 'getData', value: { path: '/a' } })).toMatchObject({ type: 'ok', value: { data: '0' } });
    const later = w.ops().filter((o) => o.type === 'invoke').at(-1)!.process;
    expect(later).toBe(processes[0]! + 100);
    expect(new Set(w.states('c1').map((s) => s.session)).size).toBe(1);
  });

  it('the first server is drawn from the client’s seeded stream: same seed, same server; seeds differ', () => {
    const firstServer = (seed: number) => {
      const w = proxiedWorld(seed);
      w.process('p3', () => new TcpProxy('zk'));
      w.client('c1', { servers: 'p1,p2,p3' });
      w.run(50 * MS);
      return connectedServers(w, 'c1')[0];
    };
    const picks = Array.from({ length: 12 }, (_, i) => firstServer(i + 1));
    expect(new Set(picks).size).toBeGreaterThan(1);
    expect(picks.map((_, i) => firstServer(i + 1))).toEqual(picks);
  });
});
