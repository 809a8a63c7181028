/**
 * What each checker module under checkers/ returns to checkFile.ts, and the helpers they share.
 * The modules are loaded only for the model asked for, so `sim check --model register` does
 * not load the ZooKeeper or ZAB checkers.
 */
import { HistoryError } from '../../checker/history/operations.ts';
import type { HistoryOp } from '../../checker/history/op.ts';
import type { ParsedHistory } from '../../checker/formats/index.ts';
import type { CheckBudget, Verdict } from '../../checker/verdict.ts';
import { UsageError } from '../exitCodes.ts';
import type { FileCheckOptions } from './options.ts';

/** One checker's result on one file. */
export interface CheckerRun {
  verdict: Verdict;
  /** The check proper (the search), in ms. */
  checkMs: number;
  /** Shrinking the witness, in ms; null when none was built. */
  witnessMs?: number | null;
  /** The text report and the JSON report, given the file's whole elapsed time. */
  render(elapsedMs: number): { lines: string[]; report: Record<string, unknown> };
}

/** A checker module's entry: checks `text` (read from `file`); throws FormatError or UsageError for bad input. */
export type Checker = (file: string, text: string, options: FileCheckOptions, budget: CheckBudget) => CheckerRun;

/** Runs `f`, returning its value and how long it took in ms. */
export function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const value = f();
  return [value, performance.now() - t];
}

/**
 * Runs `f`, turning an error that names an op (a pairing error, or one `opOf` recognises) into
 * a {@link UsageError} at that op's source line and column.
 */
export function atOps<T>(file: string, history: ParsedHistory, f: () => T, opOf: (err: unknown) => HistoryOp | undefined): T {
  try {
    return f();
  } catch (err) {
    const at = (position: number, msg: string): UsageError => new UsageError(`${file}:${history.lines[position] ?? 1}:${history.columns[position] ?? 1}: ${msg}`);
    if (err instanceof HistoryError) throw at(err.position, err.message);
    const op = opOf(err);
    if (op !== undefined) throw at(history.ops.indexOf(op), (err as Error).message);
    throw err;
  }
}
