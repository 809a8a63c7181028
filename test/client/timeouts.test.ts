/**
 * Goal: the client's clocks behave like the 3.8.0 Java client's and each way of losing an
 * answer gets the Jepsen outcome the rule in `outcomes.ts` gives. Method: partitions and
 * pauses on the simulated network against a standalone server (tickTime 2000 ms), plus a
 * scripted server for the one case a real server cannot be timed into (expiry with requests
 * in flight). Every expectation follows from the configured timeouts, not from measured runs.
 */
import { describe, expect, it } from 'vitest';
import type { ServerToClient } from '../../src/engine/server/clientWire.ts';
import type { Effect, ProcessInput, SimProcess } from '../../src/sim/host/process.ts';
import { MS, SECOND, World } from './harness.ts';

function countPings(w: World, client: string): () => number {
  let pings = 0;
  w.sim.trace.listen((_t, kind, node, data) => {
    if (kind === 'send' && node === client && (data as unknown[])[3] !== null && ((data as unknown[])[3] as { t?: string }).t === 'ping') pings++;
  });
  return () => pings;
}

describe('client: pings, request timeouts, session expiry', () => {
  it.each([
    // negotiated timeout → ping after this much send-idleness (readTimeout/2, less 1 s when idle > 1 s)
    [4000, 1001],
    [10_000, 2333],
  ])('an idle client with a %i ms session pings every %i ms and keeps its session for a minute', (timeoutMs, everyMs) => {
    const w = new World(2);
    w.client('c1', { sessionTimeoutMs: timeoutMs });
    w.call('c1', { f: 'create', value: { path: '/eph', data: null, mode: 'EPHEMERAL' } });
    const pings = countPings(w, 'c1');
    w.run(60 * SECOND);
    expect(pings()).toBeGreaterThanOrEqual(Math.floor(60_000 / everyMs) - 1);
    expect(pings()).toBeLessThanOrEqual(Math.ceil(60_000 / everyMs));
    expect(w.states('c1').map((s) => s.state)).toEqual(['connected']);
    expect(w.server().db.tree.getNode('/eph')).toBeDefined();
  });

  it('request timeout: a sent write is info and a sent read fail (REQUESTTIMEOUT); the client reconnects after the heal', () => {
    const w = new World(4);
    w.client('c1', { requestTimeoutMs: 1000, sessionTimeoutMs: 10_000 });
    w.call('c1', { f: 'create', value: { path: '/a', data: '0' } });
    w.sim.net.partition([['c1'], ['zk']]);
    const t0 = w.sim.nowUs;
    w.cmd('c1', { f: 'setData', value: { path: '/a', data: '1' } });
    w.cmd('c1', { f: 'getData', value: { path: '/a' } });
    w.run(999 * MS);
    expect(w.completions('c1')).toHaveLength(1);
    w.run(2 * MS);
    expect(w.completions('c1').slice(1).map((c) => [c.f, c.type, c.error])).toEqual([
      ['setData', 'info', 'REQUESTTIMEOUT'],
      ['getData', 'fail', 'REQUESTTIMEOUT'],
    ]);
    expect(w.ops().at(-1)!.time - t0).toBe(1000 * MS);
    // As the Java client does after a request timeout, the connection is dropped and renewed.
    expect(w.states('c1').map((s) => s.state)).toEqual(['connected', 'disconnected']);
    // An op submitted while no connection is up never leaves the client: fail, even a write.
    w.cmd('c1', { f: 'setData', value: { path: '/a', data: '2' } });
    w.run(1100 * MS);
    expect(w.last('c1')).toMatchObject({ f: 'setData', type: 'fail' });
    w.sim.net.heal();
    w.run(8 * SECOND);
    expect(w.states('c1').map((s) => s.state)).toEqual(['connected', 'disconnected', 'connected']);
    expect(new Set(w.states('c1').map((s) => s.session)).size).toBe(1);
    const read = w.call('c1', { f: 'getData', value: { path: '/a' } });
    // The timed-out write may or may not have landed — that is what info means — but '2' never left.
    expect(['0', '1']).toContain((read.value as { data: string }).data);
  });

  it('a partitioned client loses its session: the server expires it, and on return the client is told so', () => {
    const w = new World(9);
    w.client('c1', { sessionTimeoutMs: 4000 });
    w.client('c2');
    w.call('c1', { f: 'create', value: { path: '/eph', data: null, mode: 'EPHEMERAL' } });
    w.call('c2', { f: 'exists', value: { path: '/eph', watch: true } });
    const session = w.clientObject('c1').session;
    let lastDeliveredFromC1 = 0;
    w.sim.trace.listen((t, kind, node, data) => {
      if (kind === 'deliver' && node === 'zk' && (data as unknown[])[1] === 'c1') lastDeliveredFromC1 = t;
    });
    w.run(3 * SECOND);
    w.sim.net.partition([['c1'], ['zk', 'c2']]);
    const t0 = w.sim.nowUs;
    w.run(12 * SECOND);
    expect(w.events('c2')).toEqual([{ type: 'NodeDeleted', path: '/eph' }]);
    // Expiry lands within [timeout, timeout + tickTime] of the last packet the server got.
    const deletedAt = w.timed.find((e) => e.node === 'c2' && e.out.type === 'event')!.timeUs;
    expect(deletedAt - lastDeliveredFromC1).toBeGreaterThanOrEqual(4000 * MS);
    expect(deletedAt - lastDeliveredFromC1).toBeLessThanOrEqual(6000 * MS + MS);
    expect(w.server().tracker.isActive(session)).toBe(false);
    expect(w.states('c1').map((s) => s.state)).toEqual(['connected', 'disconnected']);
    w.sim.net.heal();
    w.run(6 * SECOND);
    expect(w.states('c1').map((s) => [s.state, s.session])).toEqual([
      ['connected', expect.any(String)],
      ['disconnected', expect.any(String)],
      ['expired', expect.any(String)],
    ]);
    expect(w.clientObject('c1').phaseName).toBe('expired');
    // A dead session refuses every later op at once, definitely.
    const before = w.sim.nowUs;
    expect(w.call('c1', { f: 'setData', value: { path: '/x', data: '1' } })).toMatchObject({ type: 'fail', error: 'SESSIONEXPIRED' });
    expect(w.ops().at(-1)!.time).toBe(before);
    expect(w.sim.nowUs - t0).toBeGreaterThan(12 * SECOND);
  });

  it('expiry with requests in flight: the write is info, the read fail, later ops fail at once', () => {
    const w = new World(1, { serverIds: [] });
    w.process('zk', () => new ExpiringServer());
    w.client('c1', { servers: 'zk' });
    w.cmd('c1', { f: 'setData', value: { path: '/a', data: 'x' } });
    w.cmd('c1', { f: 'getData', value: { path: '/a' } });
    w.run(50 * MS);
    expect(w.completions('c1').map((c) => [c.f, c.type, c.error])).toEqual([
      ['setData', 'info', 'SESSIONEXPIRED'],
      ['getData', 'fail', 'SESSIONEXPIRED'],
    ]);
    expect(w.states('c1').map((s) => s.state)).toEqual(['connected', 'expired']);
    w.cmd('c1', { f: 'create', value: { path: '/b', data: null } });
    expect(w.last('c1')).toMatchObject({ f: 'create', type: 'fail', error: 'SESSIONEXPIRED' });
  });
});

/** A scripted server: accepts the session, then expires it as soon as two requests are in. */
class ExpiringServer implements SimProcess {
  private requests = 0;
  step(input: ProcessInput): readonly Effect[] {
    if (input.kind !== 'message') return [];
    const msg = input.msg as { t: string };
    const send = (m: ServerToClient): Effect => ({ kind: 'send', conn: input.conn, msg: m });
    if (msg.t === 'connect') return [send({ t: 'connectResponse', sessionId: 7, timeoutMs: 10_000, passwd: new Uint8Array(16) })];
    if (msg.t !== 'request' || ++this.requests < 2) return [];
    return [send({ t: 'closing', reason: 'sessionExpired' }), { kind: 'close', conn: input.conn }];
  }
}
