import { jsonErrorOffset } from './jsonPosition.ts';

/**
 * A malformed input file: always reported as `file:line:col: what was expected`, on one line,
 * so an editor can jump to it and the CLI can print it without a stack trace.
 */
export class FormatError extends Error {
  constructor(
    /** What was expected, or what is wrong, in one line. */
    readonly detail: string,
    /** 1-based line number. */
    readonly line: number,
    /** 1-based column of the offending character (1 when only the line is known). */
    readonly column = 1,
    readonly file = '<input>',
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = 'FormatError';
  }

  /** The same error attributed to `file`. */
  withFile(file: string): FormatError {
    return new FormatError(this.detail, this.line, this.column, file);
  }
}

/** 1-based column of the first non-blank character of `row` (1 for a blank row). */
export function firstColumn(row: string): number {
  const m = /\S/.exec(row);
  return m === null ? 1 : m.index + 1;
}

/**
 * 1-based column of the value of `"field"` in one JSON object row, or of the row's first
 * character when the field is absent. A plain text search is enough: field names are identifiers
 * and JSON string values escape their quotes.
 */
export function jsonFieldColumn(row: string, field: string | undefined): number {
  if (field !== undefined) {
    const m = new RegExp(`"${field.replace(/[^\w]/g, '\\$&')}"\\s*:\\s*`).exec(row);
    if (m !== null) return m.index + m[0].length + 1;
  }
  return firstColumn(row);
}

/** 1-based column of a `JSON.parse` error in `row` (found by re-scanning the row). */
export function jsonErrorColumn(row: string): number {
  return jsonErrorOffset(row) + 1;
}

/** V8's parse error without its position details (the `file:line:col` prefix gives them). */
export function jsonErrorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*(in JSON )?at position \d+( \(line \d+ column \d+\))?/, '').replace(/, ".*" is not valid JSON$/, '');
}
