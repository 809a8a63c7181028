/**
 * ZAB's guarantees under random crashes, restarts and partitions (fast-check picks the fault
 * schedule and the seed): after the faults stop an established leader serves again, every
 * replica holds the same txn at every zxid it applied, at most one leader establishes per
 * epoch, and every create acknowledged to a client is on every replica at the end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { databaseDigest } from '../../../src/engine/db/zkDatabase.ts';
import { OPEN_ACL } from '../../../src/engine/tree/acl.ts';
import type { ZabNode } from '../../../src/engine/zab/node/zabNode.ts';
import type { EngineMutation } from '../../../src/engine/zab/config.ts';
import { checkZab } from '../../../src/checker/zab/index.ts';
import { ZabEventLog } from '../../../src/run/systems/zabEventLog.ts';
import { bytes, startEnsemble } from './ensembleHarness.ts';

type Fault = { atMs: number; kind: 'crash' | 'restart' | 'isolate' | 'heal'; node: number };

const faultArb = fc.record({
  atMs: fc.integer({ min: 1500, max: 9000 }),
  kind: fc.constantFrom('crash', 'restart', 'isolate', 'heal') as fc.Arbitrary<Fault['kind']>,
  node: fc.integer({ min: 1, max: 3 }),
});

function runScenario(seed: number, faults: Fault[], mutations: EngineMutation[] = []) {
  let zab: ZabEventLog | undefined;
  const e = startEnsemble(seed, { clients: 3, cfg: { mutations }, beforeStart: (sim) => (zab = new ZabEventLog(sim, (n) => /^n\d+$/.test(n))) });
  const clients = [1, 2, 3].map((i) => ({ id: i, c: e.client(i), xid: 0, seen: 0, connectedTo: 0 }));
  const acked: string[] = [];
  const sorted = [...faults].sort((a, b) => a.atMs - b.atMs);
  let nextFault = 0;
  for (let t = 0; t < 14_000; t += 50) {
    while (nextFault < sorted.length && sorted[nextFault]!.atMs <= t) {
      const f = sorted[nextFault++]!;
      const host = e.sim.host(`n${f.node}`);
      if (f.kind === 'crash' && host.isUp()) host.crash();
      else if (f.kind === 'restart' && !host.isUp()) host.start();
      else if (f.kind === 'isolate') e.sim.net.partition([[`n${f.node}`], ['n1', 'n2', 'n3', 'c1', 'c2', 'c3'].filter((x) => x !== `n${f.node}`)]);
      else if (f.kind === 'heal') e.sim.net.heal();
    }
    if (t === 10_000) {
      e.sim.net.heal();
      for (const n of [1, 2, 3]) if (!e.sim.host(`n${n}`).isUp()) e.sim.host(`n${n}`).start();
    }
    for (const cl of clients) {
      const outs = cl.c.outputs();
      for (const o of outs.slice(cl.seen)) {
        if (o.t === 'reply' && o.err === 0 && o.result !== null && (o.result as { type: string }).type === 'create') {
          acked.push((o.result as { path: string }).path);
          zab!.clientAck(o.zxid);
        }
        if (o.t === 'disconnected' || o.t === 'connectFailed' || o.t === 'closing') cl.connectedTo = 0;
      }
      cl.seen = outs.length;
      if (cl.connectedTo === 0) {
        cl.connectedTo = 1 + ((t / 50 + cl.id) % 3);
        cl.c.send({ do: 'connect', server: cl.connectedTo });
      } else if (t < 10_000 || (t > 12_000 && t < 13_000)) {
        cl.xid++;
        cl.c.send({ do: 'request', xid: cl.xid, request: { op: 'create', path: `/k-${cl.id}-${t}`, data: bytes('v'), acl: [...OPEN_ACL], flags: 0 } });
      }
    }
    e.runMs(50);
  }
  return { e, acked, zab: zab! };
}

describe('ZAB properties under random faults', () => {
  it('agreement, one leader per epoch, acknowledged writes survive, liveness after faults stop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(faultArb, { maxLength: 8 }), (seed, faults) => {
        const { e, acked, zab } = runScenario(seed, faults);
        // The ZAB property checker agrees on the whole trace.
        const verdict = checkZab(zab.events);
        expect(verdict.violations.map((v) => `${v.property}: ${v.message}`)).toEqual([]);
        // Liveness: once the faults stop, the ensemble serves writes again.
        const est = e.of('established');
        expect(acked.filter((p) => Number(p.split('-')[2]) > 12_000).length).toBeGreaterThan(0);
        // One leader per epoch.
        const byEpoch = new Map<number, Set<string>>();
        for (const x of est) byEpoch.set(x.ev.epoch as number, (byEpoch.get(x.ev.epoch as number) ?? new Set()).add(x.node));
        for (const [epoch, leaders] of byEpoch) expect([...leaders], `epoch ${epoch}`).toHaveLength(1);
        // Agreement: one txn per zxid across all replicas.
        const digestAt = new Map<number, string>();
        for (const x of e.events) {
          if (x.ev.ev !== 'zab' || x.ev.kind !== 'apply') continue;
          const z = x.ev.zxid as number;
          const d = x.ev.digest as string;
          const prev = digestAt.get(z);
          expect(prev === undefined || prev === d, `zxid ${z.toString(16)} at ${x.node}: ${prev} vs ${d}`).toBe(true);
          digestAt.set(z, d);
        }
        // Convergence: with everyone up and no writes for a second, all replicas are equal.
        const digests = ['n1', 'n2', 'n3'].map((n) => databaseDigest((e.sim.host(n).instance as ZabNode).replica.db));
        expect(new Set(digests).size).toBe(1);
        // Durability: every acknowledged create is on every replica.
        for (const n of ['n1', 'n2', 'n3']) {
          const node = e.sim.host(n).instance as ZabNode;
          for (const path of acked) expect(node.replica.db.tree.getNode(path), `${path} on ${n}`).toBeDefined();
        }
      }),
      { numRuns: 40, seed: 42 },
    );
  });
});
