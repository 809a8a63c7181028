/**
 * A ZAB ensemble on the simulation kernel, election and establishment only: the highest sid
 * leads a fresh ensemble, followers serve after UPTODATE, every election bumps the epoch (as
 * acceptedEpoch/currentEpoch files on the simulated disk), a killed leader is replaced by the
 * best survivor, and a restarted server joins the running leader on the settled servers' votes.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/simulation.ts';
import { ZabNode } from '../../../src/engine/zab/node/zabNode.ts';
import { DEFAULT_ENSEMBLE, type EnsembleConfig } from '../../../src/engine/zab/config.ts';

function ensemble(seed: number, n = 3, observers: number[] = []) {
  const cfg: EnsembleConfig = { ...DEFAULT_ENSEMBLE, servers: Array.from({ length: n }, (_, i) => ({ sid: i + 1, role: observers.includes(i + 1) ? 'observer' : 'participant' })) };
  const sim = new Simulation({ seed });
  const events: { atMs: number; node: string; ev: Record<string, unknown> }[] = [];
  sim.trace.listen((t, kind, node, data) => {
    if (kind === 'proto') events.push({ atMs: t / 1000, node, ev: data as Record<string, unknown> });
  });
  for (const s of cfg.servers) sim.addProcess(`n${s.sid}`, () => new ZabNode(s.sid, cfg));
  for (const s of cfg.servers) sim.host(`n${s.sid}`).start();
  const of = (ev: string) => events.filter((e) => e.ev.ev === ev);
  return { sim, events, of };
}

describe('ensemble election on the kernel', () => {
  it('a fresh ensemble elects the highest sid in epoch 1 and every follower serves', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { sim, of } = ensemble(seed, 5);
      sim.runUntil(3_000_000);
      expect(of('established').map((e) => [e.node, e.ev.epoch])).toEqual([['n5', 1]]);
      expect(of('serving').map((e) => e.node).sort()).toEqual(['n1', 'n2', 'n3', 'n4']);
      const disk = sim.host('n2').disk.image();
      expect(new TextDecoder().decode(disk.get('currentEpoch'))).toBe('1');
      expect(new TextDecoder().decode(disk.get('acceptedEpoch'))).toBe('1');
    }
  });

  it('killing the leader elects the best survivor in a new epoch; the old leader rejoins as a follower', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { sim, of } = ensemble(seed);
      sim.runUntil(2_000_000);
      sim.host('n3').crash();
      sim.runUntil(5_000_000);
      const est = of('established');
      expect(est.map((e) => [e.node, e.ev.epoch])).toEqual([['n3', 1], ['n2', 2]]);
      const killToServing = est[1]!.atMs - 2000;
      expect(killToServing).toBeGreaterThan(200); // at least finalizeWait
      expect(killToServing).toBeLessThan(1000);
      sim.host('n3').start();
      sim.runUntil(8_000_000);
      const rejoin = of('decided').filter((e) => e.node === 'n3').at(-1)!;
      // It joins on the settled servers' votes (recvset or outofelection), not by a new election.
      expect(rejoin.ev).toMatchObject({ state: 'FOLLOWING', leader: 2 });
      expect(rejoin.ev.how).not.toBe('quorum');
      expect(of('serving').filter((e) => e.node === 'n3').at(-1)!.ev.epoch).toBe(2);
    }
  });

  it('a leader that loses its quorum steps down and nobody leads a minority', () => {
    const { sim, of } = ensemble(7);
    sim.runUntil(2_000_000);
    sim.net.partition([['n3'], ['n1', 'n2']]);
    sim.runUntil(20_000_000);
    const abandon = of('abandon').find((e) => e.node === 'n3');
    expect(abandon?.ev.reason).toMatch(/Not sufficient followers synced/);
    // The majority side elects n2; n3 never establishes again while cut off.
    const est = of('established');
    expect(est.map((e) => e.node)).toEqual(['n3', 'n2']);
  });

  it('observers follow the leader but are never elected', () => {
    const { sim, of } = ensemble(8, 4, [4]);
    sim.runUntil(3_000_000);
    expect(of('established').map((e) => e.node)).toEqual(['n3']);
    expect(of('decided').find((e) => e.node === 'n4')?.ev.state).toBe('OBSERVING');
    expect(of('serving').map((e) => e.node).sort()).toEqual(['n1', 'n2', 'n4']);
  });
});
