/**
 * Leader.lead's three waits before the epoch is established (3.8.0): getEpochToPropose (a
 * quorum of FOLLOWERINFO), waitForEpochAck (a quorum of ACKEPOCH) and waitForNewLeaderAck (a
 * quorum of NEWLEADER acks). Each is bounded by initLimit·tickTime (20 s) counted from when the
 * leader enters it — the learner port opening, acceptedEpoch written, currentEpoch written —
 * and its timeout sends the leader back to LOOKING. Method: a 3-server ensemble on the kernel;
 * when the leader reaches a wait, a fault (partition, or clogging the followers' links to it)
 * keeps the quorum's answers from arriving, and the leader's give-up is timed from that wait's
 * start.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/simulation.ts';
import { ZabNode } from '../../../src/engine/zab/node/zabNode.ts';
import { DEFAULT_ENSEMBLE, type EnsembleConfig } from '../../../src/engine/zab/config.ts';

const INIT_LIMIT_MS = DEFAULT_ENSEMBLE.initLimit * DEFAULT_ENSEMBLE.tickTimeMs;

interface Event { atMs: number; node: string; ev: Record<string, unknown> }

/** Three servers (n3 leads); `onEvent` may inject a fault when a protocol event happens. */
function ensemble(seed: number, onEvent: (e: Event, sim: Simulation) => void) {
  const cfg: EnsembleConfig = { ...DEFAULT_ENSEMBLE, servers: [1, 2, 3].map((sid) => ({ sid, role: 'participant' as const })) };
  const sim = new Simulation({ seed });
  const events: Event[] = [];
  sim.trace.listen((t, kind, node, data) => {
    if (kind !== 'proto') return;
    const e = { atMs: t / 1000, node, ev: data as Record<string, unknown> };
    events.push(e);
    onEvent(e, sim);
  });
  for (const s of cfg.servers) sim.addProcess(`n${s.sid}`, () => new ZabNode(s.sid, cfg));
  for (const s of cfg.servers) sim.host(`n${s.sid}`).start();
  /** The first event of n3 matching `pred`. */
  const first = (pred: (ev: Record<string, unknown>) => boolean) => events.find((e) => e.node === 'n3' && pred(e.ev));
  return { sim, first };
}

/** Stops everything the followers send to n3 (held, as TCP would, and never released). */
const clogFollowers = (sim: Simulation) => {
  sim.net.clog('n1', 'n3');
  sim.net.clog('n2', 'n3');
};

/**
 * Runs seed `seed` until 30 s, applying `cut` the first time n3 reports an event matching
 * `cutWhen`; returns n3's first-event lookup and its abandon event.
 */
function cutAndWait(seed: number, cutWhen: (ev: Record<string, unknown>) => boolean, cut: (sim: Simulation) => void) {
  let done = false;
  const { sim, first } = ensemble(seed, (e, s) => {
    if (!done && e.node === 'n3' && cutWhen(e.ev)) {
      done = true;
      cut(s);
    }
  });
  sim.runUntil(30_000_000);
  return { first, abandon: first((ev) => ev.ev === 'abandon')! };
}

describe('leader waits before the epoch is established', () => {
  it('zab: leader: no quorum of FOLLOWERINFO gives up initLimit after the learner port opened', () => {
    for (const seed of [1, 2, 3]) {
      const { first, abandon } = cutAndWait(seed, (ev) => ev.ev === 'decided' && ev.state === 'LEADING', (s) => s.net.partition([['n3'], ['n1', 'n2']]));
      const start = first((ev) => ev.ev === 'role' && ev.phase === 'discovery')!;
      expect(abandon.atMs - start.atMs).toBe(INIT_LIMIT_MS);
      expect(abandon.ev).toMatchObject({ role: 'LEADING', reason: 'Timeout while waiting for epoch from quorum' });
    }
  });

  it('zab: leader: no quorum of ACKEPOCH gives up initLimit after acceptedEpoch was written, not after the port opened', () => {
    for (const seed of [1, 2, 3]) {
      const { first, abandon } = cutAndWait(seed, (ev) => ev.ev === 'epoch-proposed', clogFollowers);
      const opened = first((ev) => ev.ev === 'role' && ev.phase === 'discovery')!;
      const start = first((ev) => ev.ev === 'acceptedEpoch')!;
      expect(start.atMs).toBeGreaterThan(opened.atMs);
      expect(abandon.atMs - start.atMs).toBe(INIT_LIMIT_MS);
      expect(abandon.ev).toMatchObject({ role: 'LEADING', reason: 'Timeout while waiting for epoch to be acked by quorum' });
    }
  });

  it('zab: leader: no quorum of NEWLEADER acks gives up initLimit after currentEpoch was written', () => {
    for (const seed of [1, 2, 3]) {
      const { first, abandon } = cutAndWait(seed, (ev) => ev.ev === 'epoch-acked', clogFollowers);
      expect(first((ev) => ev.ev === 'established')).toBeUndefined();
      const start = first((ev) => ev.ev === 'currentEpoch')!;
      expect(abandon.atMs - start.atMs).toBe(INIT_LIMIT_MS);
      expect(abandon.ev).toMatchObject({ role: 'LEADING', reason: 'Waiting for a quorum of followers, only synced with sids: [ 3 ]' });
    }
  });

  it('zab: leader: each wait has its own initLimit, so a slow quorum in the first does not shorten the next', () => {
    // Each follower's FOLLOWERINFO is held from the moment its connection to n3 is up until 15 s
    // after n3's learner port opened (within the follower's own initLimit); the epoch is then
    // fixed and acked, but the NEWLEADER acks never come. The leader waits for them a full
    // initLimit from currentEpoch, well past initLimit from the port opening.
    const following = new Set<string>();
    let opened: number | undefined;
    let cut = false;
    const { sim, first } = ensemble(4, (e, s) => {
      if (e.ev.ev === 'role' && e.ev.role === 'FOLLOWING') following.add(e.node);
      if (e.node === 'n3' && e.ev.ev === 'role' && e.ev.phase === 'discovery') opened = e.atMs;
      if (!cut && e.node === 'n3' && e.ev.ev === 'epoch-acked') {
        cut = true;
        clogFollowers(s);
      }
    });
    sim.trace.listen((_t, kind, node, data) => {
      if (kind === 'connected' && following.has(node) && (data as unknown[])[1] === 'n3') sim.net.clog(node, 'n3');
    });
    sim.runUntil(1_000_000);
    expect(opened).toBeDefined();
    sim.runUntil((opened! + 15_000) * 1000);
    expect(first((ev) => ev.ev === 'epoch-proposed')).toBeUndefined();
    sim.net.unclog('n1', 'n3');
    sim.net.unclog('n2', 'n3');
    sim.runUntil(60_000_000);
    const start = first((ev) => ev.ev === 'currentEpoch')!;
    expect(start.atMs - opened!).toBeGreaterThan(15_000);
    const abandon = first((ev) => ev.ev === 'abandon')!;
    expect(abandon.atMs - start.atMs).toBe(INIT_LIMIT_MS);
    expect(abandon.ev.reason).toMatch(/^Waiting for a quorum of followers/);
  });
});
