/** A real zab run through the renderer: the report must take the shapes the system produces. */
import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/report/data.ts';
import { renderReport } from '../../src/report/index.ts';
import { executeRun } from '../../src/run/execute.ts';
import type { RunResult } from '../../src/run/runScenario.ts';
import { embeddedData } from './fixture.ts';
import { zabParams } from '../run/zabParams.ts';

const params = zabParams({ workloadStopMs: 1500, keepQuorum: true });

describe('a real zab run', () => {
  it('renders its history, server strips and elections', async () => {
    const run = await executeRun({ system: { builtin: 'zab' }, params, seed: '3', durationUs: 2_000_000 });
    const history = run.outcome.history!;
    const checks: RunResult['checks'] = {};
    for (const [k, c] of Object.entries(run.outcome.checks ?? {})) checks[k] = { verdict: c.verdict === 'illegal' ? 'violation' : c.verdict, violations: c.violations };
    const result: RunResult = {
      scenario: 'real', seed: '3', verdict: 'ok', ok: true, historyHash: run.historyHash, traceHash: run.traceHash, checks,
      faults: run.outcome.faults ?? [],
      stats: { ...run.outcome.stats, events: run.events, firedEvents: run.firedEvents, ops: 0, simTimeMs: run.simTimeUs / 1000, wallMs: 1, simWallMs: 1, checkWallMs: 0, simRealRatio: 1, elections: run.outcome.elections ?? [] },
      files: [], outDir: 'x', replay: 'npx sim run real.yaml --seed 3',
    };
    const html = renderReport(result, run.outcome);
    const data = embeddedData(html) as ReportData;
    expect(history.length).toBeGreaterThan(50);
    expect(data.ops).toHaveLength(history.filter((o) => o.type === 'invoke').length);
    expect(data.lanes.map((l) => l.client)).toEqual(['c1', 'c2', 'c3']);
    expect(data.servers.map((s) => s.name)).toEqual(['n1', 'n2', 'n3']);
    expect(data.servers.flatMap((s) => s.samples.map((x) => x[1]))).toContain('LEADING');
    // Real completions carry the zxid and the server that answered.
    expect(data.ops.some((o) => o[8] > 0 && o[9] >= 0 && data.strings[o[9]]!.startsWith('n'))).toBe(true);
    expect(result.stats.elections.length).toBeGreaterThan(0);
    expect(html).toContain(`<td>${result.stats.elections[0]!.leader}</td>`);
    expect(data.buckets.ok.some((x) => x > 0)).toBe(true);
  });
});
