import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../exitCodes.ts';
import { HistoryError } from '../../checker/history/operations.ts';
import { FormatError, HISTORY_FORMATS, readEdn, readHistory, ednToPlain, type HistoryFormat, type ParsedHistory } from '../../checker/formats/index.ts';
import { checkHistory, createModel, MODEL_NAMES, minimalWitness, ModelInputError, reportJson, reportLines } from '../../checker/linearizability/index.ts';
import { checkZooKeeper, zkReportJson, zkReportLines, ZkOpError } from '../../checker/zookeeper/index.ts';
import { checkZab, readZabEvents, zabReportJson, zabReportLines } from '../../checker/zab/index.ts';
import type { CheckBudget, Verdict } from '../../checker/verdict.ts';

interface CheckFlags {
  model: string;
  format?: string;
  initial?: string;
  timeoutMs: string;
  json?: boolean;
}

const EXIT: Record<Verdict, number> = { ok: ExitCode.ok, illegal: ExitCode.violation, unknown: ExitCode.unknown };
const EXTRA_CHECKERS = ['zookeeper', 'zab'];

/** `sim check <file>`: checks a recorded history (or a ZAB event trace) and prints the verdict. */
export function registerCheck(program: Command, result: { code: number }): void {
  program
    .command('check')
    .description('check a history for linearizability (or ZooKeeper guarantees / ZAB properties)')
    .argument('<file>', 'history file (.edn, .jsonl, .log) or ZAB event trace (.jsonl)')
    .requiredOption('--model <model>', `one of ${[...MODEL_NAMES, ...EXTRA_CHECKERS].join(', ')}`)
    .option('--format <format>', `history format: ${HISTORY_FORMATS.join(', ')} (default: from extension/content)`)
    .option('--initial <value>', 'initial register/key value as EDN (e.g. 0, nil, "x")')
    .option('--timeout-ms <ms>', 'time limit; past it the verdict is unknown', '60000')
    .option('--json', 'print a machine-readable result')
    .action((file: string, flags: CheckFlags) => {
      result.code = runCheck(file, flags);
    });
}

function runCheck(file: string, flags: CheckFlags): number {
  const timeoutMs = Number(flags.timeoutMs);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout-ms expects a positive number, got ${flags.timeoutMs}`);
  if (flags.format !== undefined && !HISTORY_FORMATS.includes(flags.format as HistoryFormat)) {
    throw new UsageError(`--format expects one of ${HISTORY_FORMATS.join(', ')}, got ${flags.format}`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const start = performance.now();
  const budget: CheckBudget = { timeUp: () => performance.now() - start > timeoutMs };
  const print = (lines: string[], json: Record<string, unknown>): void => {
    process.stdout.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : `${lines.join('\n')}\n`);
  };
  if (flags.model === 'zab') {
    const events = guard(file, () => readZabEvents(text));
    const res = checkZab(events);
    print(zabReportLines(res), zabReportJson(res));
    return EXIT[res.verdict];
  }
  const history = guard(file, () => readHistory(file, text, flags.format as HistoryFormat | undefined));
  if (flags.model === 'zookeeper') {
    const res = guardOps(file, history, () => checkZooKeeper(history.ops, budget));
    print(zkReportLines(res), zkReportJson(res));
    return EXIT[res.verdict];
  }
  const model = createModel(flags.model, { initial: parseInitial(flags.initial) });
  if (model === undefined) throw new UsageError(`--model expects one of ${[...MODEL_NAMES, ...EXTRA_CHECKERS].join(', ')}, got ${flags.model}`);
  const res = guardOps(file, history, () => checkHistory(model, history.ops, budget));
  const witness = res.verdict === 'illegal' ? minimalWitness(model, res, budget) : undefined;
  const elapsed = performance.now() - start;
  print(reportLines(model, res, witness, elapsed), reportJson(model, res, witness, elapsed));
  return EXIT[res.verdict];
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

function guard<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof FormatError) throw new UsageError(err.withFile(file).message);
    throw err;
  }
}

/** Maps errors that point at an op back to the op's source line. */
function guardOps<T>(file: string, history: ParsedHistory, f: () => T): T {
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
