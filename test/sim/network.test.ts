/**
 * The simulated network behaves like TCP where ZAB relies on it (FIFO per connection, breaks
 * are reported and lose what was in flight) and like a faulty network where a test asks for it
 * (partitions, one-way cuts, clogs, loss as reset, explicit duplication and reordering).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import type { Effect } from '../../src/sim/host/process.ts';
import type { LinkConfig } from '../../src/sim/network/links.ts';
import { ScriptedProcess } from './helpers.ts';

/** n1 dials every other node; each node sends `count` numbered messages on every connection. */
function mesh(seed: number, ids: string[], count: number, link: Partial<LinkConfig> = {}) {
  const sim = new Simulation({ seed, link: { latency: { kind: 'uniform', minUs: 0, maxUs: 3000 }, ...link } });
  const procs = new Map<string, ScriptedProcess>();
  for (const id of ids) {
    const sent = new Map<number, number>();
    const p = new ScriptedProcess((input, ctx) => {
      const out: Effect[] = [];
      if (input.kind === 'start') for (const peer of ids) if (peer > ctx.id) out.push({ kind: 'connect', to: peer, tag: peer });
      if (input.kind === 'connected' || input.kind === 'accepted') {
        // Spread sends over time with timers so they interleave with faults; they start after
        // 50 ms, when every connection is up.
        for (let i = 1; i <= count; i++) out.push({ kind: 'setTimer', id: `${input.conn}:${i}`, afterUs: 50_000 + ctx.rng.int(20_000) });
      }
      if (input.kind === 'timer') {
        const conn = Number(String(input.id).split(':')[0]);
        const i = (sent.get(conn) ?? 0) + 1;
        sent.set(conn, i);
        out.push({ kind: 'send', conn, msg: { from: ctx.id, i } });
      }
      return out;
    });
    procs.set(id, p);
    sim.addProcess(id, () => p);
  }
  for (const id of ids) sim.host(id).start();
  return { sim, procs };
}

/** Sequence numbers each receiver got from each sender, in delivery order. */
function receivedBySender(p: ScriptedProcess): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const { peer, msg } of p.messages()) {
    const arr = m.get(peer) ?? [];
    arr.push((msg as { i: number }).i);
    m.set(peer, arr);
  }
  return m;
}

describe('network', () => {
  it('keeps FIFO order per connection for any seed, even across partitions that heal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 20_000 }), (seed, cutAtUs) => {
        const ids = ['n1', 'n2', 'n3'];
        const { sim, procs } = mesh(seed, ids, 40);
        sim.at(50_000 + cutAtUs, () => sim.net.partition([['n1'], ['n2', 'n3']]));
        sim.at(50_000 + cutAtUs + 7_000, () => sim.net.heal());
        sim.runUntil(1_000_000);
        for (const p of procs.values()) {
          for (const [, seqs] of receivedBySender(p)) expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a partition delivers nothing across the cut and everything within each side', () => {
    const ids = ['n1', 'n2', 'n3', 'n4'];
    const { sim, procs } = mesh(3, ids, 0);
    sim.runUntil(100_000); // connections are up
    sim.net.partition([['n1', 'n2'], ['n3', 'n4']]);
    const cutAt = sim.nowUs;
    // Every node now sends one message on each of its connections.
    for (const id of ids) {
      const conns = procs.get(id)!.inputs.flatMap((r) => (r.input.kind === 'connected' || r.input.kind === 'accepted' ? [r.input.conn] : []));
      for (const conn of conns) sim.net.send(conn, id, { from: id, i: 1 });
    }
    sim.runUntil(cutAt + 2_000_000);
    const side = (id: string) => (id === 'n1' || id === 'n2' ? 0 : 1);
    for (const id of ids) {
      const from = procs.get(id)!.messages().map((m) => m.peer).sort();
      expect(from).toEqual(ids.filter((o) => o !== id && side(o) === side(id)));
    }
    sim.net.heal();
    sim.runUntil(sim.nowUs + 100_000);
    for (const id of ids) {
      // After healing, the held messages arrive (TCP retransmits): one from every other node.
      expect(procs.get(id)!.messages().map((m) => m.peer).sort()).toEqual(ids.filter((o) => o !== id));
    }
  });

  it('a one-way cut stops one direction only', () => {
    const { sim, procs } = mesh(4, ['n1', 'n2'], 5);
    sim.runUntil(30_000);
    sim.net.partitionOneWay(['n1'], ['n2']);
    sim.runUntil(1_000_000);
    expect(receivedBySender(procs.get('n2')!).get('n1') ?? []).toEqual([]);
    expect(receivedBySender(procs.get('n1')!).get('n2')).toEqual([1, 2, 3, 4, 5]);
  });

  it('a clog holds one directed link until it is released', () => {
    const { sim, procs } = mesh(5, ['n1', 'n2'], 5);
    sim.runUntil(30_000); // connections are up; no send timer has fired yet
    sim.net.clog('n2', 'n1');
    sim.runUntil(500_000);
    expect(receivedBySender(procs.get('n1')!).get('n2') ?? []).toEqual([]);
    expect(receivedBySender(procs.get('n2')!).get('n1')).toEqual([1, 2, 3, 4, 5]);
    sim.net.unclog('n2', 'n1');
    sim.runUntil(1_000_000);
    expect(receivedBySender(procs.get('n1')!).get('n2')).toEqual([1, 2, 3, 4, 5]);
  });

  it('a crash resets the peer after the data already in flight, and refuses new connections', () => {
    const sim = new Simulation({ seed: 9, link: { latency: { kind: 'constant', us: 1000 } } });
    const a = new ScriptedProcess((i) => (i.kind === 'start' ? [{ kind: 'connect', to: 'n2', tag: 't' }] : i.kind === 'connected' ? [{ kind: 'send', conn: i.conn, msg: 'last words' }] : []));
    const b = new ScriptedProcess();
    sim.addProcess('n1', () => a);
    sim.addProcess('n2', () => b);
    sim.host('n2').start();
    sim.host('n1').start();
    sim.runUntil(2000); // connected at 2000 (SYN 1000 + SYN-ACK 1000); the send is in flight
    sim.host('n1').crash();
    sim.runUntil(10_000);
    expect(b.kinds()).toEqual(['start', 'accepted', 'message', 'disconnected']);
    const disc = b.inputs.at(-1)!.input;
    expect(disc.kind === 'disconnected' && disc.reason).toBe('reset');
    // n2 now dials the dead n1: refused after a round trip.
    const c = new ScriptedProcess((i) => (i.kind === 'start' ? [{ kind: 'connect', to: 'n1', tag: 'again' }] : []));
    sim.addProcess('n3', () => c);
    sim.host('n3').start();
    sim.runUntil(20_000);
    expect(c.inputs.at(-1)!.input).toMatchObject({ kind: 'connectFailed', reason: 'refused', tag: 'again' });
    expect(sim.net.connectionCount).toBe(0);
  });

  it('a connection attempt across a partition times out', () => {
    const sim = new Simulation({ seed: 1, connectTimeoutUs: 3_000_000 });
    const a = new ScriptedProcess((i) => (i.kind === 'start' ? [{ kind: 'connect', to: 'n2', tag: 't' }] : []));
    sim.addProcess('n1', () => a);
    sim.addProcess('n2', () => new ScriptedProcess());
    sim.net.partition([['n1'], ['n2']]);
    sim.host('n2').start();
    sim.host('n1').start();
    sim.runUntil(10_000_000);
    expect(a.inputs.at(-1)).toEqual({ atUs: 3_000_000, input: expect.objectContaining({ kind: 'connectFailed', reason: 'timeout' }) });
  });

  it('loss on a TCP-like link resets the connection at both ends', () => {
    const { sim, procs } = mesh(2, ['n1', 'n2'], 3, { lossPerMille: 1000 });
    sim.runUntil(1_000_000);
    for (const p of procs.values()) {
      expect(p.messages()).toEqual([]);
      expect(p.kinds()).toContain('disconnected');
    }
  });

  it('explicit duplication delivers copies, and explicit reordering breaks FIFO for some seed', () => {
    const dup = mesh(2, ['n1', 'n2'], 10, { duplicatePerMille: 1000 });
    dup.sim.runUntil(1_000_000);
    expect(receivedBySender(dup.procs.get('n2')!).get('n1')!.length).toBe(20);
    let broken = false;
    for (let seed = 0; seed < 20 && !broken; seed++) {
      const r = mesh(seed, ['n1', 'n2'], 30, { reorderPerMille: 500 });
      r.sim.runUntil(1_000_000);
      const seqs = receivedBySender(r.procs.get('n2')!).get('n1')!;
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      broken = seqs.some((v, i) => v !== i + 1);
    }
    expect(broken).toBe(true);
  });
});
