/**
 * The one wording for an input file that cannot be read, whichever command reads it:
 * `<path>: no such file or directory`, or `<path>: cannot read (EACCES)`. A position
 * (`:1:1`) would point into a file that is not there.
 */

/** What to tell the user about `path`, given the error reading it raised. */
export function unreadableFileMessage(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file or directory`;
  if (code === 'EISDIR') return `${path}: is a directory, expected a file`;
  return `${path}: cannot read (${code ?? (err as Error).message})`;
}

/** An input file could not be read; its message is {@link unreadableFileMessage}'s. */
export class UnreadableFileError extends Error {
  constructor(path: string, err: unknown) {
    super(unreadableFileMessage(path, err));
    this.name = 'UnreadableFileError';
  }
}
