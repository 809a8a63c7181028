/**
 * The bench measures the ensemble with the heap flags the `sim` command runs with, so that its
 * figures are what a user gets. The flags are written in three places (the bench's list, the
 * `sim` shebang, the npm scripts); this keeps them the same, and checks Node accepts them.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEAP_FLAGS } from '../../bench/ensembleThroughput.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const flags = HEAP_FLAGS.join(' ');

describe('heap flags', () => {
  it('are the ones the sim shebang starts Node with', () => {
    const firstLine = readFileSync(join(root, 'bin/sim.mjs'), 'utf8').split('\n')[0];
    expect(firstLine).toBe(`#!/usr/bin/env -S node ${flags}`);
  });

  it('are the ones the sim and scenarios npm scripts start Node with', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.sim).toBe(`node ${flags} bin/sim.mjs`);
    expect(scripts.scenarios).toBe(`node ${flags} --import tsx bench/scenarioSweep.ts`);
  });

  it('are accepted by this Node', () => {
    const r = spawnSync(process.execPath, [...HEAP_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
