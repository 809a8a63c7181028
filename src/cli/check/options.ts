/**
 * Resolves `sim check`'s flags once, before any file is read, so a bad flag is one usage error
 * and not one error per file. What a file check needs travels to worker threads, so it is kept
 * to plain data (the initial value stays EDN text and each worker parses it).
 */
import { ednToPlain, HISTORY_FORMATS, readEdn, type HistoryFormat } from '../../checker/formats/index.ts';
// The models alone, not the linearizability barrel: --model zab or zookeeper needs no search code.
import { ModelInputError } from '../../checker/linearizability/model.ts';
import { createModel, MODEL_NAMES } from '../../checker/linearizability/models/index.ts';
import { didYouMean } from '../../scenario/closestMatch.ts';
import { UsageError } from '../exitCodes.ts';

/** Checkers `--model` accepts besides the linearizability models. */
export const EXTRA_CHECKERS: readonly string[] = ['zookeeper', 'zab'];

/** `sim check`'s options, as commander parses them. */
export interface CheckFlags {
  model: string;
  format?: string;
  initial?: string;
  timeoutMs: string;
  jobs: string;
  json?: boolean;
  /** Commander's negated `--no-witness`: false when given. */
  witness?: boolean;
}

/** What checking one file needs; plain data, so it can be posted to a worker. */
export interface FileCheckOptions {
  model: string;
  format: HistoryFormat | undefined;
  /** `--initial` as EDN text. */
  initial: string | undefined;
  timeoutMs: number;
  /** Shrink an illegal history to a witness (off with `--no-witness`). */
  witness: boolean;
}

/** Every option, validated. */
export interface CheckOptions {
  file: FileCheckOptions;
  jobs: number;
  json: boolean;
}

/** Validates the flags; throws {@link UsageError} for the first bad one. */
export function resolveCheckOptions(flags: CheckFlags): CheckOptions {
  const timeoutMs = Number(flags.timeoutMs);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout-ms expects a positive number, got ${flags.timeoutMs}`);
  if (!/^[1-9]\d*$/.test(flags.jobs)) throw new UsageError(`--jobs expects a positive integer, got ${flags.jobs}`);
  if (flags.format !== undefined && !HISTORY_FORMATS.includes(flags.format as HistoryFormat)) {
    throw new UsageError(`--format expects one of ${HISTORY_FORMATS.join(', ')}, got ${flags.format}${didYouMean(flags.format, HISTORY_FORMATS)}`);
  }
  const file: FileCheckOptions = { model: flags.model, format: flags.format as HistoryFormat | undefined, initial: flags.initial, timeoutMs, witness: flags.witness !== false };
  if (!EXTRA_CHECKERS.includes(flags.model)) checkedModel(file);
  return { file, jobs: Number(flags.jobs), json: flags.json === true };
}

/** A fresh linearizability model for `options`; throws {@link UsageError} for a bad name or initial value. */
export function checkedModel(options: FileCheckOptions): NonNullable<ReturnType<typeof createModel>> {
  const initial = parseInitial(options.initial);
  let model;
  try {
    model = createModel(options.model, { initial });
  } catch (err) {
    if (err instanceof ModelInputError) throw new UsageError(`--initial: ${err.message}`);
    throw err;
  }
  if (model === undefined) throw new UsageError(`--model expects one of ${[...MODEL_NAMES, ...EXTRA_CHECKERS].join(', ')}, got ${options.model}${didYouMean(options.model, [...MODEL_NAMES, ...EXTRA_CHECKERS])}`);
  return model;
}

function parseInitial(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    const forms = readEdn(text).forms;
    if (forms.length === 1) return ednToPlain(forms[0]!.value);
  } catch {
    // fall through to the usage error below
  }
  throw new UsageError(`--initial expects one EDN value (e.g. 0, nil, "x"), got ${text}`);
}
