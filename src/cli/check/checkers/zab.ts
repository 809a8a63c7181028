/**
 * `sim check --model zab`: ZAB's properties on a trace of protocol events: a JSON Lines file of
 * ZAB events, or a run's own binary trace (`<run-dir>/trace.msgpack`), whose events are rebuilt
 * as the run built them live (with client acknowledgements from the history.jsonl beside it), so
 * a violation cites the event numbers `sim trace` prints.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readJsonlHistory } from '../../../checker/formats/index.ts';
import { checkZab, readZabEvents, zabReportJson, zabReportLines } from '../../../checker/zab/index.ts';
import type { ZabEvent } from '../../../checker/zab/events.ts';
import { zabEventsFromTrace } from '../../../run/systems/zabEventLog.ts';
import { UsageError } from '../../exitCodes.ts';
import { timed, type Checker } from '../checkerRun.ts';

/** Servers are named n1, n2, … in every zabsim ensemble; clients c1, c2, …. */
const isServer = (node: string): boolean => /^n\d+$/.test(node);

function eventsOfRunTrace(file: string): ZabEvent[] {
  const historyFile = join(dirname(file), 'history.jsonl');
  const history = existsSync(historyFile) ? readJsonlHistory(readFileSync(historyFile, 'utf8')).ops : [];
  try {
    return zabEventsFromTrace(readFileSync(file), isServer, history);
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
