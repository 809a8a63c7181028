/**
 * A connection attempt across a cut link behaves like Linux TCP's: the SYN is retransmitted 1 s
 * and 3 s after the first (then 7 s, 15 s, …), so a link that heals meanwhile is crossed at the
 * next retransmission; an attempt whose link never heals fails at the connect timeout.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import { ScriptedProcess } from './helpers.ts';

/** n1 dials n2 at time 0 across a partition (or a one-way cut); the test then acts on the sim. */
function dial(opts: { oneWay?: 'n1→n2' | 'n2→n1'; connectTimeoutUs?: number; seed?: number } = {}) {
  const sim = new Simulation({ seed: opts.seed ?? 1, ...(opts.connectTimeoutUs !== undefined ? { connectTimeoutUs: opts.connectTimeoutUs } : {}) });
  const a = new ScriptedProcess((i) => (i.kind === 'start' ? [{ kind: 'connect', to: 'n2', tag: 't' }] : []));
  const b = new ScriptedProcess();
  sim.addProcess('n1', () => a);
  sim.addProcess('n2', () => b);
  if (opts.oneWay === 'n1→n2') sim.net.partitionOneWay(['n1'], ['n2']);
  else if (opts.oneWay === 'n2→n1') sim.net.partitionOneWay(['n2'], ['n1']);
  else sim.net.partition([['n1'], ['n2']]);
  sim.host('n2').start();
  sim.host('n1').start();
  const outcome = () => a.inputs.find((r) => r.input.kind === 'connected' || r.input.kind === 'connectFailed');
  const accepted = () => b.inputs.find((r) => r.input.kind === 'accepted');
  return { sim, a, b, outcome, accepted };
}

/** The default LAN latency is at most 300 µs one way: a handshake takes at most two of them. */
const HANDSHAKE_MAX_US = 600;

describe('SYN retransmission across a cut link', () => {
  it('a link that heals at 2 s is crossed by the 3 s retransmission', () => {
    const { sim, outcome, accepted } = dial();
    sim.at(2_000_000, () => sim.net.heal());
    sim.runUntil(10_000_000);
    expect(accepted()!.atUs).toBeGreaterThanOrEqual(3_000_000);
    const o = outcome()!;
    expect(o.input.kind).toBe('connected');
    expect(o.atUs).toBeGreaterThan(3_000_000);
    expect(o.atUs).toBeLessThanOrEqual(3_000_000 + HANDSHAKE_MAX_US);
  });

  it('a link that heals at 0.5 s is crossed by the 1 s retransmission', () => {
    const { sim, outcome } = dial({ seed: 7 });
    sim.at(500_000, () => sim.net.heal());
    sim.runUntil(10_000_000);
    const o = outcome()!;
    expect(o.input.kind).toBe('connected');
    expect(o.atUs).toBeGreaterThan(1_000_000);
    expect(o.atUs).toBeLessThanOrEqual(1_000_000 + HANDSHAKE_MAX_US);
  });

  it('a link that never heals fails at the connect timeout (5 s), with nothing accepted', () => {
    const { sim, outcome, accepted, a } = dial();
    sim.runUntil(20_000_000);
    expect(outcome()).toEqual({ atUs: 5_000_000, input: expect.objectContaining({ kind: 'connectFailed', reason: 'timeout' }) });
    expect(accepted()).toBeUndefined();
    expect(a.kinds().filter((k) => k === 'connectFailed')).toHaveLength(1);
    expect(sim.net.connectionCount).toBe(0);
  });

  it('a heal after the last retransmission before the timeout does not save the attempt', () => {
    const { sim, outcome } = dial();
    sim.at(3_500_000, () => sim.net.heal());
    sim.runUntil(10_000_000);
    expect(outcome()).toEqual({ atUs: 5_000_000, input: expect.objectContaining({ kind: 'connectFailed', reason: 'timeout' }) });
  });

  it('retransmissions at or after the connect timeout are not sent', () => {
    // With a 3 s timeout only the 1 s retransmission is inside it; a heal at 2 s is too late.
    const { sim, outcome } = dial({ connectTimeoutUs: 3_000_000 });
    sim.at(2_000_000, () => sim.net.heal());
    sim.runUntil(10_000_000);
    expect(outcome()).toEqual({ atUs: 3_000_000, input: expect.objectContaining({ kind: 'connectFailed', reason: 'timeout' }) });
  });

  it('a cut in either direction blocks the handshake until a retransmission finds both open', () => {
    for (const oneWay of ['n1→n2', 'n2→n1'] as const) {
      const { sim, outcome } = dial({ oneWay });
      sim.at(2_000_000, () => sim.net.heal());
      sim.runUntil(10_000_000);
      const o = outcome()!;
      expect(o.input.kind, oneWay).toBe('connected');
      expect(o.atUs, oneWay).toBeGreaterThan(3_000_000);
    }
  });

  it('a retransmission that reaches a crashed peer is refused', () => {
    const { sim, outcome } = dial();
    sim.at(500_000, () => sim.host('n2').crash());
    sim.at(2_000_000, () => sim.net.heal());
    sim.runUntil(10_000_000);
    const o = outcome()!;
    expect(o.input).toMatchObject({ kind: 'connectFailed', reason: 'refused' });
    expect(o.atUs).toBeGreaterThan(3_000_000);
    expect(o.atUs).toBeLessThanOrEqual(3_000_000 + HANDSHAKE_MAX_US);
  });

  it('an initiator that gives up stops retransmitting: no late accept, nothing left behind', () => {
    const { sim, a, accepted } = dial();
    sim.at(1_500_000, () => sim.host('n1').crash());
    sim.at(2_000_000, () => sim.net.heal());
    sim.runUntil(10_000_000);
    expect(accepted()).toBeUndefined();
    expect(a.kinds()).not.toContain('connectFailed');
    expect(sim.net.connectionCount).toBe(0);
  });

});
