/**
 * Goal: `sim run` writes where a user expects and nowhere else. A run's folder is named after
 * its scenario file, so an edited copy of a shipped scenario (same `name:`) never writes into
 * the original's reports; a run that throws leaves no half-written trace or empty folder.
 * Method: runScenarioSeed on tiny gossip scenarios in a temp dir; a broken system spec throws.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarioSeed } from '../../src/run/runScenario.ts';
import { loadScenarioFile } from '../../src/scenario/loadScenario.ts';

const dir = mkdtempSync(join(tmpdir(), 'zabsim-folder-'));
const opts = (scenarioPath: string, outRoot: string) => ({ scenarioPath, outRoot, wallClockMs: () => 0 });

describe('run folders', () => {
  it('follow the scenario file, not its name:', async () => {
    const original = join(dir, 'original.yaml');
    const copy = join(dir, 'my-copy.yaml');
    for (const f of [original, copy]) writeFileSync(f, 'name: original\nsystem: gossip\ndurationMs: 10\nnodes: 2\n');
    const out = join(dir, 'out1');
    const r = await runScenarioSeed(loadScenarioFile(copy), '1', opts(copy, out));
    expect(r.scenario).toBe('original');
    expect(r.outDir).toBe(join(out, 'my-copy', '1'));
    expect(readdirSync(out)).toEqual(['my-copy']);
    expect(existsSync(join(out, 'my-copy', '1', 'result.json'))).toBe(true);
  });

  it('a run that throws leaves no trace.msgpack.tmp and no empty seed folder', async () => {
    const file = join(dir, 'tiny.yaml');
    writeFileSync(file, 'system: gossip\ndurationMs: 10\nnodes: 2\n');
    const scn = loadScenarioFile(file);
    const broken = { ...scn, spec: (seed: string) => ({ ...scn.spec(seed), system: { builtin: 'no-such-system' } }) };
    const out = join(dir, 'out2');
    await expect(runScenarioSeed(broken, '1', opts(file, out))).rejects.toThrow();
    expect(existsSync(join(out, 'tiny', '1'))).toBe(false);
  });
});
