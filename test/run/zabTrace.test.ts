/**
 * Goal: the ZAB events read back from a recorded run (trace.msgpack plus history.jsonl) are the
 * ones the run checked live, so `sim check <run>/trace.msgpack --model zab` gives the run's own
 * zab verdict, violations and event numbers: on a clean seed, and on seeds of the
 * commit-after-one-ack mutation where the live check finds committed-survive broken.
 * Method: run partition-leader-minority with the full trace in memory, rebuild the events with
 * zabEventsFromTrace, check them, and compare with the run's zab check.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkZab } from '../../src/checker/zab/index.ts';
import { MemorySink } from '../../src/sim/trace/trace.ts';
import { executeRun } from '../../src/run/execute.ts';
import { zabEventsFromTrace } from '../../src/run/systems/zabEventLog.ts';
import type { ZabSystemParams } from '../../src/run/systems/zabSystem.ts';
import { loadScenarioFile } from '../../src/scenario/loadScenario.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const isServer = (node: string): boolean => /^n\d+$/.test(node);

async function compare(seed: number, mutated: boolean): Promise<string[]> {
  const spec = loadScenarioFile(join(root, 'scenarios/partition-leader-minority.yaml')).spec(String(seed));
  const params = spec.params as ZabSystemParams;
  const sink = new MemorySink();
  const run = await executeRun({ ...spec, params: mutated ? { ...params, mutations: ['commit-after-one-ack'] } : params }, { traceLevel: 'full', sink, record: false });
  const live = run.outcome.checks!.zab!;
  const offline = checkZab(zabEventsFromTrace(sink.bytes(), isServer, run.outcome.history ?? []));
  expect(offline.verdict, `seed ${seed}`).toBe(live.verdict);
  // Property, message and witness event numbers: they must point at the same trace events (the
  // run files the numbers under witness.traceEvents, the checker under events).
  const liveShape = live.violations.map((v) => [v.property, v.message, (v.witness as { traceEvents?: number[] } | undefined)?.traceEvents]);
  expect(offline.violations.map((v) => [v.property, v.message, v.events]), `seed ${seed}`).toEqual(liveShape);
  return offline.violations.map((v) => v.property);
}

describe('ZAB events from a recorded trace', () => {
  it('a clean run: the same verdict as the live check', async () => {
    expect(await compare(1, false)).toEqual([]);
  });
  it('the commit-after-one-ack mutation: the same violations as the live check, committed-survive among them', async () => {
    const found = new Set<string>();
    for (let seed = 1; seed <= 5; seed++) for (const p of await compare(seed, true)) found.add(p);
    expect(found).toContain('committed-survive');
  });
});
