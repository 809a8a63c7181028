/**
 * Reading an input file (a scenario, a history, a trace, a run folder's records) with one
 * wording for every way it can fail, whichever command reads it: `<path>: no such file or
 * directory`, `<path>: is a directory, expected a file`, `<path>: cannot read (EACCES)`. A
 * position (`:1:1`) would point into a file that is not there. Only regular files are read: a
 * device or a pipe (`/dev/zero`, `/dev/stdin`) would be read forever.
 */
import { readFileSync, statSync } from 'node:fs';

/** What to tell the user about `path`, given the error reading it raised. */
export function unreadableFileMessage(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file or directory`;
  if (code === 'EISDIR') return `${path}: is a directory, expected a file`;
  return `${path}: cannot read (${code ?? (err as Error).message})`;
}

/** An input file could not be read; the message says why, in the wording above. */
export class UnreadableFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

/** The text of the regular file at `path`, at most `maxBytes` long; throws {@link UnreadableFileError}. */
export function readInputText(path: string, maxBytes = Infinity): string {
  return readInputBytes(path, maxBytes).toString('utf8');
}

/** The bytes of the regular file at `path` (a trace, a tape), at most `maxBytes`; throws {@link UnreadableFileError}. */
export function readInputBytes(path: string, maxBytes = Infinity): Buffer {
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
    if (!stats.isFile()) throw new UnreadableFileError(`${path}: not a regular file (expected a file, not a device, pipe or socket)`);
    size = stats.size;
  } catch (err) {
    throw err instanceof UnreadableFileError ? err : new UnreadableFileError(unreadableFileMessage(path, err));
  }
  if (size > maxBytes) throw new UnreadableFileError(`${path}: ${size} bytes, expected at most ${maxBytes}`);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UnreadableFileError(unreadableFileMessage(path, err));
  }
}
