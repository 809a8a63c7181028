/**
 * Checks one history file and returns what happened as plain data: the verdict, both renderings
 * of the report, and timings. It never throws for bad input: a file that cannot be read or
 * parsed, or whose ops a checker rejects, comes back as `bad-input` with a one-line
 * `file:line:col: what was expected` message, so one bad file among many does not stop the rest.
 * It runs in the CLI's own thread or in a worker (see pool.ts), so its result is structured-cloneable.
 */
import { FormatError } from '../../checker/formats/formatError.ts';
import type { CheckBudget, Verdict } from '../../checker/verdict.ts';
import { readInputText, UnreadableFileError } from '../../scenario/inputFile.ts';
import { UsageError } from '../exitCodes.ts';
import type { Checker } from './checkerRun.ts';
import type { FileCheckOptions } from './options.ts';

/** A file's verdict: a checker's, or `bad-input` when the file could not be checked. */
export type FileVerdict = Verdict | 'bad-input';

/** The result of checking one file. */
export interface FileOutcome {
  file: string;
  verdict: FileVerdict;
  /** Reading, parsing, checking and building the witness, in ms. */
  elapsedMs: number;
  /** The check (search) alone, in ms, as Porcupine's CheckEvents counts; null for bad input. */
  checkMs: number | null;
  /** Shrinking the witness, in ms; null when no witness was built. */
  witnessMs: number | null;
  /** The checker's text report (the first line is its headline); empty for bad input. */
  lines: string[];
  /** The checker's JSON report; empty for bad input. */
  report: Record<string, unknown>;
  /** For bad input: `file:line:col: what was expected` (or why the file could not be read). */
  error?: string;
}

/** The checker module for `model`, loaded on first use (each pulls in only its own checker). */
async function loadChecker(model: string): Promise<Checker> {
  if (model === 'zab') return (await import('./checkers/zab.ts')).checkZabFile;
  if (model === 'zookeeper') return (await import('./checkers/zookeeper.ts')).checkZooKeeperFile;
  return (await import('./checkers/linearizable.ts')).checkLinearizable;
}

/** Checks `file` as `options` say. Throws only for bugs (validate the options first). */
export async function checkFile(file: string, options: FileCheckOptions): Promise<FileOutcome> {
  const check = await loadChecker(options.model);
  const startMs = performance.now();
  const budget: CheckBudget = { timeUp: () => performance.now() - startMs > options.timeoutMs };
  try {
    const run = check(file, readText(file), options, budget);
    const elapsedMs = performance.now() - startMs;
    return { file, verdict: run.verdict, elapsedMs, checkMs: run.checkMs, witnessMs: run.witnessMs ?? null, ...run.render(elapsedMs) };
  } catch (err) {
    let error: string;
    if (err instanceof FormatError) error = err.withFile(file).message;
    else if (err instanceof UsageError) error = err.message;
    else throw err;
    return { file, verdict: 'bad-input', elapsedMs: performance.now() - startMs, checkMs: null, witnessMs: null, lines: [], report: {}, error };
  }
}

function readText(file: string): string {
  try {
    return readInputText(file);
  } catch (err) {
    throw err instanceof UnreadableFileError ? new UsageError(err.message) : err;
  }
}
