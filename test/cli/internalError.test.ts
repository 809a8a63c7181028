/**
 * A harness failure — an exception that is a bug in zabsim, not bad input — exits 4 with one
 * `sim: internal error …, details in <file>` line, and the file holds the stack; in a replay it
 * is not mistaken for a bad run folder. Method: every function of the run module is replaced by
 * one that throws, and the CLI runs in-process.
 */
import { describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

vi.mock('../../src/run/runScenario.ts', async (importOriginal) => {
  const actual = await importOriginal<Record<string, unknown>>();
  const broken = Object.fromEntries(
    Object.entries(actual).map(([k, v]) => [k, typeof v === 'function' ? () => { throw new TypeError('harness bug on purpose'); } : v]),
  );
  return broken;
});

/** Runs the CLI in-process with the broken run module; returns the exit code and stderr. */
async function simInProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  const { main } = await import('../../src/cli/main.ts');
  let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
  try {
    return { code: await main(args), stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('a bug in zabsim', () => {
  it('exits 4 with one line pointing at a file that holds the stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zabsim-internal-'));
    const scn = join(dir, 'scn.yaml');
    writeFileSync(scn, 'system: gossip\ndurationMs: 10\nnodes: 2\n');
    const { code, stderr } = await simInProcess(['run', scn, '--out', join(dir, 'out')]);
    expect(code).toBe(4);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const m = /^sim: internal error \(a bug in zabsim, not in the input\): TypeError: harness bug on purpose, details in (.+)$/.exec(lines[0]!);
    expect(m, stderr).not.toBeNull();
    expect(existsSync(m![1]!)).toBe(true);
    const details = readFileSync(m![1]!, 'utf8');
    expect(details).toContain('harness bug on purpose');
    expect(details).toMatch(/at .*runScenario|at .*run\.ts/);
    expect(details).toContain(`command: sim "run"`);
    rmSync(m![1]!);
  });

  it('during a replay of a good run folder is exit 4, not bad input', async () => {
    // The folder is recorded by a real `sim run` in a child process (the module is broken only here).
    const dir = mkdtempSync(join(tmpdir(), 'zabsim-internal-'));
    writeFileSync(join(dir, 'scn.yaml'), 'name: tiny\nsystem: gossip\ndurationMs: 10\nnodes: 2\n');
    const rec = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/sim.mjs', import.meta.url)), 'run', 'scn.yaml', '--out', 'out'], { cwd: dir, encoding: 'utf8' });
    expect(rec.status, rec.stderr).toBe(0);
    const { code, stderr } = await simInProcess(['replay', join(dir, 'out', 'scn', '1')]);
    expect(code).toBe(4);
    expect(stderr).toMatch(/^sim: internal error .*harness bug on purpose, details in \S+\n$/);
    rmSync(/details in (\S+)/.exec(stderr)![1]!);
  });
});
