/** `sim check --model zab`: ZAB's properties on a trace of protocol events. */
import { checkZab, readZabEvents, zabReportJson, zabReportLines } from '../../../checker/zab/index.ts';
import { timed, type Checker } from '../checkerRun.ts';

/** Checks a JSON Lines trace of ZAB events. */
export const checkZabFile: Checker = (_file, text) => {
  const events = readZabEvents(text);
  const [res, checkMs] = timed(() => checkZab(events));
  return { verdict: res.verdict, checkMs, render: () => ({ lines: zabReportLines(res), report: zabReportJson(res) }) };
};
