/**
 * Goal: the `standalone` system runs end to end through the kernel — server, clients, network,
 * history, checker — deterministically: the same seed gives the same trace, history and
 * outputs; another seed gives another history. The client history reaches the trace, so
 * `historyHash` changes exactly when what clients saw changes. Faults (a partition longer than
 * the request timeout) produce indeterminate ops that the checker still accepts.
 */
import { describe, expect, it } from 'vitest';
import { ClientHistory } from '../../src/client/history.ts';
import { executeRun } from '../../src/run/execute.ts';
import { standaloneSystem } from '../../src/run/systems/standaloneSystem.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { MS, SECOND, World } from './harness.ts';

const spec = (seed: string, params: object = {}) => ({ system: { builtin: 'standalone' }, params: { clients: 3, ...params }, seed, durationUs: 2 * SECOND });

/** Every process output of a one-second run, with time and node, as text. */
function outputsOf(seed: string): string {
  const sim = new Simulation({ seed });
  const outputs: string[] = [];
  sim.onOutput((node, value) => outputs.push(`${sim.nowUs} ${node} ${JSON.stringify(value)}`));
  const handle = standaloneSystem.setup(sim, { clients: 3 });
  sim.runUntil(SECOND);
  handle.finish();
  return outputs.join('\n');
}

describe('standalone system', () => {
  it('runs clients against the server through the kernel and the checker accepts the history', async () => {
    const run = await executeRun(spec('1'));
    expect(run.outcome.violations).toEqual([]);
    expect(run.outcome.stats).toMatchObject({ clients: 3, connects: 3, expired: 0, info: 0, checkUnknown: 0 });
    expect(run.outcome.stats.ok).toBeGreaterThan(100);
    // Every invoke completed or is still in flight at the end: at most one open op per client.
    const { ops = 0, ok = 0, fail = 0, info = 0 } = run.outcome.stats;
    expect(ops - 2 * (ok + fail + info)).toBeLessThanOrEqual(3);
  });

  it('is deterministic: same seed, same trace, history and outputs; another seed, another history', async () => {
    const [a, b, c] = await Promise.all([executeRun(spec('42')), executeRun(spec('42')), executeRun(spec('43'))]);
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.historyHash).toBe(a.historyHash);
    expect(b.outcome).toEqual(a.outcome);
    expect(c.historyHash).not.toBe(a.historyHash);
    const outputs = outputsOf('42');
    expect(outputs.split('\n').length).toBeGreaterThan(100);
    expect(outputsOf('42')).toBe(outputs);
  });

  it('historyHash covers client operations and nothing else', () => {
    const hashOf = (data: string, idleMs: number) => {
      const w = new World(1);
      w.client('c1');
      w.call('c1', { f: 'create', value: { path: '/a', data } });
      w.run(idleMs * MS); // pings and ticks only: internal traffic
      return w.sim.finish();
    };
    const base = hashOf('x', 10);
    const otherValue = hashOf('y', 10);
    const moreIdle = hashOf('x', 5000);
    expect(otherValue.historyHash).not.toBe(base.historyHash);
    expect(moreIdle.traceHash).not.toBe(base.traceHash);
    expect(moreIdle.historyHash).toBe(base.historyHash);
    // A second collector on the same run sees the ops but does not trace them twice.
    const w = new World(1);
    const second = new ClientHistory(w.sim);
    expect(ClientHistory.of(w.sim)).toBe(w.history);
    w.client('c1');
    w.call('c1', { f: 'create', value: { path: '/a', data: 'x' } });
    w.run(10 * MS);
    expect(second.ops).toEqual(w.history.ops);
    expect(w.sim.finish().historyHash).toBe(base.historyHash);
  });

  it('a partition longer than the request timeout gives info ops, and the history still checks', async () => {
    const actions = [
      { atUs: 300 * MS, partition: [['zk'], ['c1', 'c2', 'c3']] },
      { atUs: 1500 * MS, heal: true },
    ];
    const run = await executeRun({ ...spec('7', { requestTimeoutMs: 500, actions }), durationUs: 6 * SECOND });
    // With this seed, writes held by the partition land after the heal, although their
    // clients gave up on them: recorded as fail, the checker would reject the history.
    expect(run.outcome.violations).toEqual([]);
    expect(run.outcome.stats.info).toBeGreaterThan(0);
    expect(run.outcome.stats.expired).toBe(0);
    expect(run.outcome.stats.connects).toBeGreaterThan(3);
  });

  it('a crashed and restarted client carries on as a new Jepsen process with a new session', () => {
    const sim = new Simulation({ seed: 5 });
    const history = ClientHistory.of(sim);
    const handle = standaloneSystem.setup(sim, {
      clients: 2,
      actions: [
        { atUs: 200 * MS, crash: 'c2' },
        { atUs: 400 * MS, restart: 'c2' },
      ],
    });
    sim.runUntil(SECOND);
    expect(handle.finish().violations).toEqual([]);
    const c2 = history.ops.filter((o) => o.client === 'c2');
    const before = c2.filter((o) => o.time < 200 * MS);
    const after = c2.filter((o) => o.time > 400 * MS);
    expect(before.length).toBeGreaterThan(10);
    expect(after.length).toBeGreaterThan(10);
    expect(new Set(after.map((o) => o.process))).toEqual(new Set([1 + 2 * 1_000_000]));
    expect(new Set(after.map((o) => o.session)).size).toBe(1);
    expect(after[0]!.session === before.at(-1)!.session).toBe(false);
  });
});
