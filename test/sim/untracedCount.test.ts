/**
 * With the trace off and no listener, hot paths skip building event data (Trace.wanted/skip,
 * UNTRACED effects). The run must stay the same run: same events fired, same event count, same
 * client history as with the trace on.
 */
import { describe, expect, it } from 'vitest';
import { ClientHistory } from '../../src/client/history.ts';
import { ZkClient } from '../../src/client/zkClient.ts';
import { DEFAULT_ENSEMBLE, type EnsembleConfig } from '../../src/engine/zab/config.ts';
import { ZabNode } from '../../src/engine/zab/node/zabNode.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import type { TraceLevel } from '../../src/sim/trace/trace.ts';

function run(level: TraceLevel) {
  const cfg: EnsembleConfig = { ...DEFAULT_ENSEMBLE, servers: [1, 2, 3].map((sid) => ({ sid, role: 'participant' as const })) };
  const sim = new Simulation({ seed: 3, trace: { level }, record: false });
  const history = new ClientHistory(sim);
  const servers = cfg.servers.map((s) => `n${s.sid}`);
  for (const s of cfg.servers) sim.addProcess(`n${s.sid}`, () => new ZabNode(s.sid, cfg));
  sim.addProcess('c1', () => new ZkClient({ servers, sessionTimeoutMs: 10_000, requestTimeoutMs: 5_000, process: 0, processStride: 1 }));
  let n = 0;
  const issue = () => sim.host('c1').command(n++ === 0 ? { f: 'create', value: { path: '/a', data: '0' } } : { f: 'setData', value: { path: '/a', data: String(n) } });
  history.listen((_node, out) => {
    if (out.type === 'ok' || out.type === 'fail' || out.type === 'info') issue();
  });
  for (const id of [...servers, 'c1']) sim.host(id).start();
  sim.at(1_000_000, issue);
  sim.runUntil(3_000_000);
  return { fired: sim.sched.firedCount, events: sim.trace.count, ops: history.ops };
}

describe('trace off', () => {
  it('counts the events it does not build, and runs the same run', () => {
    const off = run('off');
    const on = run('hash');
    expect(off.ops.length).toBeGreaterThan(100);
    expect(off.fired).toBe(on.fired);
    expect(off.events).toBe(on.events);
    expect(off.ops).toEqual(on.ops);
  });
});
