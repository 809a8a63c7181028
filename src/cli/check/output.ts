/**
 * What `sim check` prints for each file and at the end, and the exit code. `--json` prints one
 * compact object per line per file and a summary line; text prints today's report for a single
 * file, and one line per file (the report indented under an illegal one) plus a summary for many.
 */
import { ExitCode } from '../exitCodes.ts';
import type { FileOutcome, FileVerdict } from './checkFile.ts';

/** Counts and times over all files checked. */
export class CheckTally {
  files = 0;
  ok = 0;
  illegal = 0;
  unknown = 0;
  badInput = 0;
  /** Sum of the files' search times. */
  checkMs = 0;

  add(o: FileOutcome): void {
    this.files++;
    if (o.verdict === 'bad-input') this.badInput++;
    else this[o.verdict]++;
    this.checkMs += o.checkMs ?? 0;
  }

  /** The worst verdict's code, in this order: 1 illegal, 2 bad input, 3 unknown, 0 ok. */
  exitCode(): number {
    if (this.illegal > 0) return ExitCode.violation;
    if (this.badInput > 0) return ExitCode.badInput;
    if (this.unknown > 0) return ExitCode.unknown;
    return ExitCode.ok;
  }

  /** The final `--json` line; `elapsedMs` is the wall time of the whole check. */
  summaryJson(elapsedMs: number): string {
    const { files, ok, illegal, unknown, badInput } = this;
    return JSON.stringify({ summary: true, files, ok, illegal, unknown, badInput, elapsedMs: ms(elapsedMs), checkMs: ms(this.checkMs) });
  }

  /** The final text line. */
  summaryLine(elapsedMs: number): string {
    const parts = [`${this.ok} ok`, `${this.illegal} illegal`, `${this.unknown} unknown`, `${this.badInput} bad input`];
    return `${this.files} files: ${parts.join(', ')}; ${elapsedMs.toFixed(1)} ms (search ${this.checkMs.toFixed(1)} ms)`;
  }
}

/** A file's `--json` line: file, verdict and timings first, then the checker's report. */
export function outcomeJson(o: FileOutcome): string {
  const head = { file: o.file, verdict: o.verdict as FileVerdict, elapsedMs: ms(o.elapsedMs), checkMs: o.checkMs === null ? null : ms(o.checkMs), witnessMs: o.witnessMs === null ? null : ms(o.witnessMs) };
  if (o.verdict === 'bad-input') return JSON.stringify({ ...head, error: o.error });
  // The report's own verdict and elapsedMs are the same values; head's keys keep their place.
  return JSON.stringify(Object.assign({ ...head }, o.report, head));
}

/** A file's text lines when several files are checked: a headline, and the report under an illegal one. */
export function outcomeLines(o: FileOutcome): string[] {
  if (o.verdict === 'bad-input') return [`${o.file}: bad input`];
  // The report's headline is `checker: verdict — details[, N ms]`; keep the details, time it ourselves.
  const details = (o.lines[0] ?? o.verdict).replace(/^[\w-]+: /, '').replace(/, [\d.]+ ms$/, '');
  const lines = [`${o.file}: ${details}, ${o.elapsedMs.toFixed(1)} ms`];
  if (o.verdict === 'illegal') for (const line of o.lines.slice(1)) lines.push(`  ${line}`);
  return lines;
}

/** Milliseconds to the microsecond, so JSON lines stay short. */
function ms(x: number): number {
  return Math.round(x * 1000) / 1000;
}
