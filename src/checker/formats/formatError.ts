/** A malformed input file: always reported as `file:line: what was expected`. */
export class FormatError extends Error {
  constructor(
    /** What was expected, or what is wrong, in one line. */
    readonly detail: string,
    /** 1-based line number. */
    readonly line: number,
    readonly file = '<input>',
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'FormatError';
  }

  /** The same error attributed to `file`. */
  withFile(file: string): FormatError {
    return new FormatError(this.detail, this.line, file);
  }
}
