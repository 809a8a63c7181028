/**
 * Goal: `sim` runs the compiled dist/ only when it is at least as new as every source, and the
 * TypeScript sources through tsx otherwise, so an edit to src/ is never silently ignored.
 * Method: the decision functions of bin/buildStamp.mjs on explicit mtimes, then the real
 * bin/sim.mjs copied into a scratch project whose dist/ and src/ entry points say which one ran
 * (its node_modules links to ours, for tsx). Nothing here measures time: mtimes are set with utimes.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chooseEntry, entryFor, newestMtimeMs, stampPath } from '../../bin/buildStamp.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const T0 = 1_700_000_000; // seconds

/** A scratch project: sources and a build whose entry points print which one ran. */
function scratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zabsim-startup-'));
  mkdirSync(join(dir, 'bin'));
  for (const f of ['sim.mjs', 'buildStamp.mjs']) copyFileSync(join(root, 'bin', f), join(dir, 'bin', f));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  mkdirSync(join(dir, 'src/cli/commands'), { recursive: true });
  // Type annotations: this file only runs through tsx.
  writeFileSync(join(dir, 'src/cli/main.ts'), "export async function main(argv: string[]): Promise<number> { process.stdout.write(`sources ${argv.join(' ')}\\n`); return 4; }\n");
  writeFileSync(join(dir, 'src/cli/commands/check.ts'), 'export {};\n');
  mkdirSync(join(dir, 'dist/cli'), { recursive: true });
  writeFileSync(join(dir, 'dist/cli/main.js'), "export async function main(argv) { process.stdout.write(`dist ${argv.join(' ')}\\n`); return 5; }\n");
  for (const p of ['src', 'src/cli', 'src/cli/main.ts', 'src/cli/commands', 'src/cli/commands/check.ts']) utimesSync(join(dir, p), T0, T0);
  return dir;
}

const stamp = (dir: string, seconds: number): void => {
  writeFileSync(stampPath(dir), 'test\n');
  utimesSync(stampPath(dir), seconds, seconds);
};

const runBin = (dir: string) => spawnSync(process.execPath, [join(dir, 'bin/sim.mjs'), 'check', 'x'], { cwd: dir, encoding: 'utf8' });

describe('sim start-up: dist or sources', () => {
  it('chooseEntry: dist only with a stamp no older than the newest source', () => {
    expect(chooseEntry(undefined, 0)).toBe('sources');
    expect(chooseEntry(1000, 999)).toBe('dist');
    expect(chooseEntry(1000, 1000)).toBe('dist');
    expect(chooseEntry(1000, 1000.5)).toBe('sources');
    expect(chooseEntry(1000, -Infinity)).toBe('dist'); // a build without sources
  });

  it('newestMtimeMs sees a nested file, a folder whose entries changed, and a missing tree', () => {
    const dir = scratchProject();
    expect(newestMtimeMs(join(dir, 'src'))).toBe(T0 * 1000);
    utimesSync(join(dir, 'src/cli/commands/check.ts'), T0 + 7, T0 + 7);
    expect(newestMtimeMs(join(dir, 'src'))).toBe((T0 + 7) * 1000);
    // A file removed: only its folder's mtime tells.
    utimesSync(join(dir, 'src/cli/commands'), T0 + 9, T0 + 9);
    expect(newestMtimeMs(join(dir, 'src'))).toBe((T0 + 9) * 1000);
    expect(newestMtimeMs(join(dir, 'nowhere'))).toBe(-Infinity);
  });

  it('entryFor: no build, a fresh build, an edited source, an unfinished build', () => {
    const dir = scratchProject();
    expect(entryFor(dir)).toBe('sources');
    stamp(dir, T0 + 1);
    expect(entryFor(dir)).toBe('dist');
    utimesSync(join(dir, 'src/cli/main.ts'), T0 + 2, T0 + 2);
    expect(entryFor(dir)).toBe('sources');
    stamp(dir, T0 + 3);
    expect(entryFor(dir)).toBe('dist');
    rmSync(stampPath(dir)); // the build script removes dist/ first and writes the stamp last
    expect(entryFor(dir)).toBe('sources');
  });

  it('bin/sim.mjs runs dist/ when it is fresh and the sources through tsx when it is stale or missing', () => {
    const dir = scratchProject();
    const missing = runBin(dir);
    expect(missing.stdout).toBe('sources check x\n');
    expect(missing.status).toBe(4);
    stamp(dir, T0 + 1);
    const fresh = runBin(dir);
    expect(fresh.stdout).toBe('dist check x\n');
    expect(fresh.status).toBe(5);
    utimesSync(join(dir, 'src/cli/commands/check.ts'), T0 + 2, T0 + 2);
    const stale = runBin(dir);
    expect(stale.stdout).toBe('sources check x\n');
    expect(stale.stderr).toBe('');
  });
});
