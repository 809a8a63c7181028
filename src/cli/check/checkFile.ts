/**
 * Checks one history file and returns what happened as plain data: the verdict, both renderings
 * of the report, and timings. It never throws for bad input: a file that cannot be read or
 * parsed, or whose ops a checker rejects, comes back as `bad-input` with a one-line
 * `file:line:col: what was expected` message, so one bad file among many does not stop the rest.
 * It runs in the CLI's own thread or in a worker (see pool.ts), so its result is structured-cloneable.
 */
import { readFileSync } from 'node:fs';
import { HistoryError } from '../../checker/history/operations.ts';
import { FormatError, readHistory, type ParsedHistory } from '../../checker/formats/index.ts';
import { checkHistory, minimalWitness, ModelInputError, reportJson, reportLines } from '../../checker/linearizability/index.ts';
import { checkZooKeeper, zkReportJson, zkReportLines, ZkOpError } from '../../checker/zookeeper/index.ts';
import { checkZab, readZabEvents, zabReportJson, zabReportLines } from '../../checker/zab/index.ts';
import type { CheckBudget, Verdict } from '../../checker/verdict.ts';
import { UsageError } from '../exitCodes.ts';
import { checkedModel, type FileCheckOptions } from './options.ts';

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
  /** The checker's text report (the first line is its headline); empty for bad input. */
  lines: string[];
  /** The checker's JSON report; empty for bad input. */
  report: Record<string, unknown>;
  /** For bad input: `file:line:col: what was expected` (or why the file could not be read). */
  error?: string;
}

/** Checks `file` as `options` say. Throws only for bugs (and for an unknown model: validate first). */
export function checkFile(file: string, options: FileCheckOptions): FileOutcome {
  const startMs = performance.now();
  const budget: CheckBudget = { timeUp: () => performance.now() - startMs > options.timeoutMs };
  let checkMs: number | null = null;
  /** Runs the check proper, timing it. */
  const timed = <T>(f: () => T): T => {
    const t = performance.now();
    try {
      return f();
    } finally {
      checkMs = performance.now() - t;
    }
  };
  const done = (verdict: Verdict, lines: (elapsedMs: number) => string[], report: (elapsedMs: number) => Record<string, unknown>): FileOutcome => {
    const elapsedMs = performance.now() - startMs;
    return { file, verdict, elapsedMs, checkMs, lines: lines(elapsedMs), report: report(elapsedMs) };
  };
  try {
    const text = readText(file);
    if (options.model === 'zab') {
      const events = readZabEvents(text);
      const res = timed(() => checkZab(events));
      return done(res.verdict, () => zabReportLines(res), () => zabReportJson(res));
    }
    const history = readHistory(file, text, options.format);
    if (options.model === 'zookeeper') {
      const res = atOps(file, history, () => timed(() => checkZooKeeper(history.ops, budget)));
      return done(res.verdict, () => zkReportLines(res), () => zkReportJson(res));
    }
    const model = checkedModel(options);
    const res = atOps(file, history, () => timed(() => checkHistory(model, history.ops, budget)));
    const witness = res.verdict === 'illegal' ? minimalWitness(model, res, budget) : undefined;
    return done(res.verdict, (ms) => reportLines(model, res, witness, ms), (ms) => reportJson(model, res, witness, ms));
  } catch (err) {
    let error: string;
    if (err instanceof FormatError) error = err.withFile(file).message;
    else if (err instanceof UsageError) error = err.message;
    else throw err;
    return { file, verdict: 'bad-input', elapsedMs: performance.now() - startMs, checkMs: null, lines: [], report: {}, error };
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Maps errors that point at an op back to the op's source line and column. */
function atOps<T>(file: string, history: ParsedHistory, f: () => T): T {
  try {
    return f();
  } catch (err) {
    const at = (position: number, msg: string): UsageError => new UsageError(`${file}:${history.lines[position] ?? 1}:${history.columns[position] ?? 1}: ${msg}`);
    if (err instanceof HistoryError) throw at(err.position, err.message);
    if (err instanceof ModelInputError || err instanceof ZkOpError) {
      const op = err instanceof ModelInputError ? err.op : err.event;
      throw at(history.ops.indexOf(op), err.message);
    }
    throw err;
  }
}
