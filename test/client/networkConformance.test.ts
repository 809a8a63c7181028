/**
 * Goal: the client library and the standalone server process, talking over the simulated
 * network, give exactly the answers and notification order a real ZooKeeper 3.8.0 gave — the
 * same traces the core replay checks, now through every layer a workload uses. Method: replay
 * each fixture a client library can express (see `networkReplay.ts`) with one ZkClient per
 * session; every record must match and every session must see events and replies interleaved
 * as recorded. The real-server sample must be among the replayable ones.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/conformance/traceFormat.ts';
import { replayOverNetwork, unreplayable } from './networkReplay.ts';

const dir = fileURLToPath(new URL('../fixtures/conformance', import.meta.url));
const traces = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .map((f) => parseTrace(f, readFileSync(join(dir, f), 'utf8')));
const replayable = traces.filter((t) => unreplayable(t) === undefined);

describe('conformance over the network, through the client library', () => {
  it('the real-server sample is replayable through a client; skipped traces say why', () => {
    expect(replayable.map((t) => t.file)).toContain('sample.jsonl');
    for (const t of traces) if (!replayable.includes(t)) expect(unreplayable(t)).toMatch(/^line \d+: /);
  });

  it.each(replayable.map((t) => [t.file, t]))('%s matches in full', (_name, trace) => {
    const report = replayOverNetwork(trace);
    expect(report.problems, `${report.matched}/${report.total}\n${report.problems.slice(0, 5).join('\n')}`).toEqual([]);
    expect(report.matched).toBe(report.total);
  });

  it('a changed expectation is caught through the network too', () => {
    const sample = replayable.find((t) => t.file === 'sample.jsonl')!;
    const copy = structuredClone(sample);
    const event = copy.records.findIndex((r) => r.kind === 'event');
    copy.records.splice(event, 1);
    const report = replayOverNetwork(copy);
    expect(report.problems.length).toBeGreaterThan(0);
  });
});
