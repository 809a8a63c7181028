/**
 * Determinism is the product: one seed gives one trace, in this process or another; different
 * seeds give different schedules; a recorded tape replays the run exactly; and planted
 * nondeterminism is caught and located by the child-process self-check.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { checkDeterminism } from '../../src/run/determinism.ts';
import { executeRun, type RunSpec } from '../../src/run/execute.ts';
import { MemorySink } from '../../src/sim/trace/trace.ts';
import { readTrace } from '../../src/run/traceDiff.ts';
import type { GossipSystemParams } from '../../src/run/systems/gossipSystem.ts';

const gossip = (seed: string, actions: GossipSystemParams['actions'] = []): RunSpec => ({
  system: { builtin: 'gossip' },
  params: { nodes: 4, intervalUs: 2000, maxHops: 2, fsyncEvery: 4, reconnectUs: 50_000, actions } satisfies GossipSystemParams,
  seed,
  durationUs: 1_500_000,
});
const faults: GossipSystemParams['actions'] = [
  { atUs: 300_000, crash: 'n2', tearLastWrite: true },
  { atUs: 500_000, restart: 'n2' },
  { atUs: 700_000, partition: [['n1'], ['n2', 'n3', 'n4']] },
  { atUs: 900_000, heal: true },
  { atUs: 1_000_000, pause: 'n3' },
  { atUs: 1_100_000, resume: 'n3' },
];
const fixture = fileURLToPath(new URL('../fixtures/systems/planted.ts', import.meta.url));

/** Delivery order (who received which message id) — the schedule of a run. */
async function schedule(spec: RunSpec): Promise<string[]> {
  const sink = new MemorySink();
  await executeRun(spec, { traceLevel: 'full', sink });
  return [...readTrace(sink.bytes())].filter((e) => e.kind === 'deliver').map((e) => `${e.node}:${(e.data as unknown[])[2]}`);
}

describe('determinism', () => {
  it('the same seed gives the same trace hash, with crashes, partitions and pauses', async () => {
    const a = await executeRun(gossip('11', faults));
    const b = await executeRun(gossip('11', faults));
    expect(a.events).toBeGreaterThan(1000);
    expect(a.traceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.traceHash).toBe(a.traceHash);
  });

  it('different seeds give different schedules', async () => {
    const s1 = await schedule(gossip('1'));
    const s2 = await schedule(gossip('2'));
    expect(s1.length).toBeGreaterThan(100);
    expect(s1).not.toEqual(s2);
  });

  it('replaying a recorded tape reproduces the trace exactly; editing it changes the run', async () => {
    const rec = await executeRun(gossip('7', faults));
    const tape = rec.tape!;
    const rep = await executeRun(gossip('7', faults), { replay: tape, record: false });
    expect(rep.traceHash).toBe(rec.traceHash);
    const net = tape.streams['network']!;
    const edited = { ...tape, streams: { ...tape.streams, network: net.map((v, i) => (i === 10 ? (v + 2 ** 31) % 2 ** 32 : v)) } };
    const changed = await executeRun(gossip('7', faults), { replay: edited, record: false });
    expect(changed.traceHash).not.toBe(rec.traceHash);
  });

  it('the child-process self-check passes a deterministic system', async () => {
    const rep = await checkDeterminism({ system: { module: fixture, export: 'clean' }, params: {}, seed: '5', durationUs: 200_000 });
    expect(rep.deterministic).toBe(true);
    expect(rep.inProcess.traceHash).toBe(rep.child.traceHash);
    expect(rep.lines).toEqual([]);
  });

  it('catches a planted Math.random and locates the first divergent event', async () => {
    const spec: RunSpec = { system: { module: fixture, export: 'planted' }, params: {}, seed: '5', durationUs: 200_000 };
    const rep = await checkDeterminism(spec);
    expect(rep.deterministic).toBe(false);
    const d = rep.divergence!;
    // The planted draw is in n2's 50th reply: the divergent event is that send.
    expect(d.a!.kind).toBe('send');
    expect(d.a!.node).toBe('n2');
    expect(d.b!.kind).toBe('send');
    expect(d.a!.timeUs).toBe(d.b!.timeUs);
    const payload = (e: typeof d.a) => (e!.data as unknown[])[3] as number;
    expect(Math.floor(payload(d.a))).toBe(Math.floor(payload(d.b)));
    expect(payload(d.a)).not.toBe(payload(d.b));
    // Everything before it was identical; the report names index, time and node.
    expect(rep.lines[0]).toContain(`index ${d.index}`);
    expect(rep.lines[0]).toContain('node n2');
  });
});
