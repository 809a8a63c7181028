/**
 * Goal: the client talks to a standalone server over the simulated network with ZooKeeper's
 * per-session FIFO order, and records Jepsen outcomes with the reply's zxid. Method: pipeline
 * many requests without waiting and check that they complete in submission order with the
 * results a sequential execution gives; then put a scripted server that answers two requests in
 * the wrong order in front of a client and check that the client treats it as the protocol
 * error it is (ZooKeeper's "Xid out of order": the connection is dropped, outcomes are lost).
 */
import { describe, expect, it } from 'vitest';
import type { ServerToClient } from '../../src/engine/server/clientWire.ts';
import type { Effect, ProcessInput, SimProcess } from '../../src/sim/host/process.ts';
import { MS, SECOND, World } from './harness.ts';

describe('client: FIFO order per session', () => {
  it('pipelined requests complete in submission order with sequential results and increasing zxids', () => {
    const w = new World(7);
    w.client('c1');
    w.cmd('c1', { f: 'create', value: { path: '/a', data: 'v0' } });
    for (let i = 1; i <= 20; i++) {
      w.cmd('c1', { f: 'setData', value: { path: '/a', data: `v${i}`, version: i - 1 } });
      w.cmd('c1', { f: 'getData', value: { path: '/a' } });
    }
    w.cmd('c1', { f: 'delete', value: { path: '/a', version: 20 } });
    w.cmd('c1', { f: 'exists', value: { path: '/a' } });
    w.run(SECOND);
    const done = w.completions('c1');
    expect(done.map((c) => c.type)).toEqual(Array(43).fill('ok'));
    expect(done.map((c) => c.f)).toEqual(['create', ...Array.from({ length: 20 }, () => ['setData', 'getData']).flat(), 'delete', 'exists']);
    // Each read sees exactly the write submitted just before it, with its version.
    for (let i = 1; i <= 20; i++) {
      const read = done[2 * i]!.value as { data: string; version: number };
      expect(read).toMatchObject({ data: `v${i}`, version: i });
      expect(done[2 * i]!.zxid).toBe(done[2 * i - 1]!.zxid);
    }
    expect(done[42]!.value).toBeNull();
    const writeZxids = done.filter((c) => c.f !== 'getData' && c.f !== 'exists').map((c) => c.zxid!);
    expect(writeZxids).toEqual([...writeZxids].sort((a, b) => a - b));
    expect(new Set(writeZxids).size).toBe(writeZxids.length);
  });

  it('requests submitted before the session exists wait for it and keep their order', () => {
    const w = new World(3);
    w.client('c1');
    // Submitted at time 0, before the TCP connection or the ConnectResponse.
    w.cmd('c1', { f: 'create', value: { path: '/q', data: null } });
    w.cmd('c1', { f: 'create', value: { path: '/q/x', data: null, mode: 'PERSISTENT_SEQUENTIAL' } });
    w.cmd('c1', { f: 'create', value: { path: '/q/x', data: null, mode: 'PERSISTENT_SEQUENTIAL' } });
    w.run(100 * MS);
    expect(w.completions('c1').map((c) => [c.type, (c.value as { path: string }).path])).toEqual([
      ['ok', '/q'],
      ['ok', '/q/x0000000000'],
      ['ok', '/q/x0000000001'],
    ]);
    // Sequential creates are marked on the invoke, as the checker's znode model expects.
    expect(w.ops().filter((o) => o.type === 'invoke').map((o) => (o.value as { sequential?: boolean }).sequential)).toEqual([undefined, true, true]);
    const invoke = w.ops().find((o) => o.type === 'invoke')!;
    expect(invoke.session).toBeNull();
    expect(w.ops().find((o) => o.type === 'ok')!.session).toMatch(/^0x[0-9a-f]+$/);
  });

  it('a reply that does not answer the oldest request costs the connection (Xid out of order)', () => {
    const w = new World(1, { serverIds: [] });
    w.process('liar', () => new SwappingServer());
    w.client('c1', { servers: 'liar' });
    w.cmd('c1', { f: 'setData', value: { path: '/a', data: 'x' } });
    w.cmd('c1', { f: 'getData', value: { path: '/a' } });
    w.run(50 * MS);
    const done = w.completions('c1');
    // Both lost: the write is indeterminate, the read failed; nothing was taken as an answer.
    expect(done.map((c) => [c.f, c.type, c.error])).toEqual([
      ['setData', 'info', 'CONNECTIONLOSS'],
      ['getData', 'fail', 'CONNECTIONLOSS'],
    ]);
    expect(w.states('c1').map((s) => s.state)).toEqual(['connected', 'disconnected']);
    expect(w.states('c1')[1]!.reason).toMatch(/xid out of order/);
  });
});

/** A scripted server: accepts the session, then answers the first two requests newest first. */
class SwappingServer implements SimProcess {
  private held: { conn: number; xid: number }[] = [];
  step(input: ProcessInput): readonly Effect[] {
    if (input.kind !== 'message') return [];
    const msg = input.msg as { t: string; xid?: number };
    const send = (m: ServerToClient): Effect => ({ kind: 'send', conn: input.conn, msg: m });
    if (msg.t === 'connect') return [send({ t: 'connectResponse', sessionId: 42, timeoutMs: 10_000, passwd: new Uint8Array(16) })];
    if (msg.t !== 'request') return [];
    this.held.push({ conn: input.conn, xid: msg.xid! });
    if (this.held.length < 2) return [];
    return this.held.reverse().map((h) => send({ t: 'reply', xid: h.xid, zxid: 5, err: 0, result: { type: 'empty' } }));
  }
}
