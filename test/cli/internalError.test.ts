/**
 * A harness failure — an exception that is a bug in zabsim, not bad input — exits 4 with one
 * `sim: internal error …, details in <file>` line, and the file holds the stack. Method: every
 * function of the run module is replaced by one that throws, and the CLI runs in-process.
 */
import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

vi.mock('../../src/run/runScenario.ts', async (importOriginal) => {
  const actual = await importOriginal<Record<string, unknown>>();
  const broken = Object.fromEntries(
    Object.entries(actual).map(([k, v]) => [k, typeof v === 'function' ? () => { throw new TypeError('harness bug on purpose'); } : v]),
  );
  return broken;
});

describe('a bug in zabsim', () => {
  it('exits 4 with one line pointing at a file that holds the stack', async () => {
    const { main } = await import('../../src/cli/main.ts');
    const dir = mkdtempSync(join(tmpdir(), 'zabsim-internal-'));
    const scn = join(dir, 'scn.yaml');
    writeFileSync(scn, 'system: gossip\ndurationMs: 10\nnodes: 2\n');
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    let code: number;
    try {
      code = await main(['run', scn, '--out', join(dir, 'out')]);
    } finally {
      spy.mockRestore();
    }
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
});
