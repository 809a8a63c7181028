/**
 * Goal: every shipped ZooKeeper scenario passes on the clean engine and tests what it claims:
 * every fault it names fires (none reported as never fired or skipped where the scenario does
 * not expect it), every check answers ok. CI runs a few seeds of each; `npm run scenarios` runs
 * 50 seeds of each with the determinism self-check.
 * Method: the YAML files as a user runs them, through the library (no files written).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { executeRun } from '../../src/run/execute.ts';
import type { FaultRecord } from '../../src/faults/record.ts';
import { loadScenarioFile } from '../../src/scenario/loadScenario.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const files = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml') && f !== 'kernel-gossip.yaml' && f !== 'swarm.yaml');
const SEEDS = [1, 2, 3];

describe.each(files)('%s', (file) => {
  it.each(SEEDS)('seed %i: every fault fires and every check passes', async (seed) => {
    const scn = loadScenarioFile(join(root, 'scenarios', file));
    const r = await executeRun(scn.spec(String(seed)), { traceLevel: 'hash', record: false });
    const faults = r.outcome.faults as FaultRecord[];
    expect(faults.filter((f) => !f.fired).map((f) => `${f.name}: ${f.reason}`)).toEqual([]);
    for (const [name, c] of Object.entries(r.outcome.checks!)) expect([name, c.verdict, c.violations.map((v) => v.message)]).toEqual([name, 'ok', []]);
    expect(r.outcome.stats.ok).toBeGreaterThan(0);
  });
});

describe('swarm.yaml', () => {
  it.each(SEEDS)('seed %i: the drawn faults fire and every check passes', async (seed) => {
    const r = await executeRun(loadScenarioFile(join(root, 'scenarios/swarm.yaml')).spec(String(seed)), { traceLevel: 'hash', record: false });
    const faults = r.outcome.faults as FaultRecord[];
    expect(faults.length).toBeGreaterThanOrEqual(3);
    expect(faults.every((f) => f.fired)).toBe(true);
    for (const [name, c] of Object.entries(r.outcome.checks!)) expect([name, c.verdict]).toEqual([name, 'ok']);
  });
});
