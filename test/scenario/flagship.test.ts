/**
 * Goal: the flagship scenario tests what it claims. Over 200 seeds its trigger fires exactly
 * once, in the broadcast phase, on the leader's first PROPOSAL copy before any COMMIT; the clean
 * engine passes every check; both of ZAB's allowed fates occur (committed by the next leader /
 * discarded everywhere) and the writer never sees a definite answer that contradicts the fate.
 * And the checks are not vacuous: with the "commit after one ack" mutation, the
 * leader-in-a-minority scenario loses acknowledged writes and the ZAB checker names it.
 * Method: the shipped YAML files, run through the library (runs shortened to keep CI quick).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { executeRun, type RunSpec } from '../../src/run/execute.ts';
import type { ZabSystemParams } from '../../src/run/systems/zabSystem.ts';
import type { FaultRecord } from '../../src/faults/record.ts';
import { loadScenarioFile } from '../../src/scenario/loadScenario.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scenario = (name: string) => loadScenarioFile(join(root, 'scenarios', `${name}.yaml`));

/** The spec of a seed, with the run and the workload cut to the given lengths. */
function shortened(spec: RunSpec, durationMs: number, workloadMs: number): RunSpec {
  return { ...spec, durationUs: durationMs * 1000, params: { ...(spec.params as ZabSystemParams), workloadStopMs: workloadMs } };
}

interface InFlight {
  fate: string;
  by: string;
  clientOp?: { outcome: string };
}

describe('leader-crash-before-commit', () => {
  it('over 200 seeds: fires once at its phase, every check passes, both fates occur', async () => {
    const scn = scenario('leader-crash-before-commit');
    const fates = new Map<string, number>();
    for (let seed = 1; seed <= 200; seed++) {
      const r = await executeRun(shortened(scn.spec(String(seed)), 10_000, 8_000), { traceLevel: 'hash', record: false });
      const where = `seed ${seed}`;
      const faults = r.outcome.faults as FaultRecord[];
      expect(faults, where).toHaveLength(1);
      const f = faults[0]!;
      expect(f.fired, where).toBe(true);
      expect(f.skipped, where).toBeUndefined();
      expect(f.phase, where).toBe('broadcast');
      expect(f.cause, where).toMatch(/^sent PROPOSAL 0x[0-9a-f]+ (n\d)→n\d, no COMMIT yet$/);
      // The leader that sent it is the one crashed, with one follower.
      expect(f.resolvedTo[0], where).toBe(/PROPOSAL 0x[0-9a-f]+ (n\d)/.exec(f.cause!)![1]);
      expect(f.resolvedTo, where).toHaveLength(2);
      for (const [name, c] of Object.entries(r.outcome.checks!)) expect([name, c.verdict, c.violations], where).toEqual([name, 'ok', []]);
      const inFlight = f.detail!.inFlight as InFlight;
      expect(['committed', 'discarded'], where).toContain(inFlight.fate);
      // The receiver of the only copy decides: crashed with the leader => discarded.
      const receiver = /→(n\d)/.exec(f.cause!)![1]!;
      expect(inFlight.fate, where).toBe(f.resolvedTo.includes(receiver) ? 'discarded' : 'committed');
      if (inFlight.fate === 'committed') expect(inFlight.by, where).toBe(receiver);
      if (inFlight.clientOp !== undefined) expect(inFlight.clientOp.outcome, where).toBe('info');
      fates.set(inFlight.fate, (fates.get(inFlight.fate) ?? 0) + 1);
    }
    expect(fates.get('committed')).toBeGreaterThan(0);
    expect(fates.get('discarded')).toBeGreaterThan(0);
  });
});

describe('mutation switches make the checkers fail', () => {
  it('commit-after-one-ack: a leader cut off with a minority commits alone; some seed loses an acked write', async () => {
    const scn = scenario('partition-leader-minority');
    const named = new Set<string>();
    for (let seed = 1; seed <= 5; seed++) {
      const spec = scn.spec(String(seed));
      const p = spec.params as ZabSystemParams;
      const r = await executeRun({ ...spec, params: { ...p, mutations: ['commit-after-one-ack'] } }, { traceLevel: 'hash', record: false });
      for (const v of r.outcome.checks!.zab!.violations) named.add(v.property);
    }
    expect(named).toContain('committed-survive');
  });

  it('the same seeds pass on the clean engine', async () => {
    const scn = scenario('partition-leader-minority');
    for (let seed = 1; seed <= 5; seed++) {
      const r = await executeRun(scn.spec(String(seed)), { traceLevel: 'hash', record: false });
      for (const [name, c] of Object.entries(r.outcome.checks!)) expect([seed, name, c.verdict]).toEqual([seed, name, 'ok']);
    }
  });
});
