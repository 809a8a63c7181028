/**
 * Checks, before anything is written, that a run folder (`<out>/<scenario>/<seed>`) can be made
 * where the user pointed `--out`: the nearest part of it that exists must be a writable folder
 * on an ordinary file system. Without this, `--out` at a file or under one fails half-way
 * through a run with a stack trace, `--out /dev/null` or `/sys` fails late, and a path in
 * /proc can block on a kernel file; after it, the run's own writes only fail for reasons the
 * user could not have seen coming (a full disk), which are reported as such.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './exitCodes.ts';

/** Kernel file systems: their files are not storage, and some of them block when written. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];
/** Exceptions below a pseudo root that are ordinary storage. */
const STORAGE_UNDER_PSEUDO = ['/dev/shm'];

/** Throws a UsageError naming `--out` when `runDir` (below `out`) cannot be created and written. */
export function checkRunDir(out: string, runDir: string): void {
  if (out === '') throw new UsageError('--out: expected a folder path, got ""');
  let path = resolve(runDir);
  for (;;) {
    const stats = statOrUndefined(path);
    if (stats !== undefined) {
      if (!stats.isDirectory()) throw new UsageError(`--out ${out}: ${path} is not a folder`);
      break;
    }
    const parent = dirname(path);
    if (parent === path) break;
    path = parent;
  }
  const real = realpathSync(path);
  const pseudo = PSEUDO_ROOTS.find((r) => within(real, r)) !== undefined && !STORAGE_UNDER_PSEUDO.some((r) => within(real, r));
  if (pseudo) throw new UsageError(`--out ${out}: ${real} is on a kernel file system (${PSEUDO_ROOTS.join(', ')}), not a folder for run files`);
  try {
    accessSync(path, constants.W_OK);
  } catch (err) {
    throw new UsageError(`--out ${out}: cannot write in ${path} (${(err as NodeJS.ErrnoException).code})`);
  }
}

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** The path's stats, or undefined when nothing is there (or a file sits where a folder should). */
function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`cannot inspect ${path}: ${code}`);
  }
}
