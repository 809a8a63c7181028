/**
 * `sim check --model zab`: ZAB's properties on a trace of protocol events: a JSON Lines file of
 * ZAB events, or a run's own binary trace (`<run-dir>/trace.msgpack`), whose events are rebuilt
 * as the run built them live (with client acknowledgements from the history.jsonl beside it), so
 * a violation cites the event numbers `sim trace` prints.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readJsonlHistory } from '../../../checker/formats/index.ts';
import type { HistoryOp } from '../../../checker/history/op.ts';
import { checkZab, readZabEvents, zabReportJson, zabReportLines } from '../../../checker/zab/index.ts';
import type { ZabEvent } from '../../../checker/zab/events.ts';
import { zabEventsFromTrace } from '../../../run/systems/zabEventLog.ts';
import { readInputBytes, readInputText, UnreadableFileError } from '../../../scenario/inputFile.ts';
import { UsageError } from '../../exitCodes.ts';
import { timed, type Checker } from '../checkerRun.ts';

/** Servers are named n1, n2, … in every zabsim ensemble; clients c1, c2, …. */
const isServer = (node: string): boolean => /^n\d+$/.test(node);

function eventsOfRunTrace(file: string): ZabEvent[] {
  const historyFile = join(dirname(file), 'history.jsonl');
  let trace: Uint8Array;
  let history: HistoryOp[] = [];
  try {
    trace = readInputBytes(file);
    if (existsSync(historyFile)) history = readJsonlHistory(readInputText(historyFile)).ops;
  } catch (err) {
    throw err instanceof UnreadableFileError ? new UsageError(err.message) : err;
  }
  try {
    return zabEventsFromTrace(trace, isServer, history);
  } catch (err) {
    throw new UsageError(`${file}: not a zabsim trace (${(err as Error).message.split('\n')[0]}); expected a run's trace.msgpack or JSON Lines of ZAB events`);
  }
}

/** Checks a JSON Lines trace of ZAB events, or a run's trace.msgpack. */
export const checkZabFile: Checker = (file, text) => {
  const events = file.endsWith('.msgpack') ? eventsOfRunTrace(file) : readZabEvents(text);
  const [res, checkMs] = timed(() => checkZab(events));
  return { verdict: res.verdict, checkMs, render: () => ({ lines: zabReportLines(res), report: zabReportJson(res) }) };
};
