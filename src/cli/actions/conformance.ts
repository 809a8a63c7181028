import { readInputText, UnreadableFileError } from '../../scenario/inputFile.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';
import { TraceFormatError, parseTrace, type Trace } from '../../conformance/traceFormat.ts';
import { MAX_RUN_MS } from '../../scenario/limits.ts';
import { formatReport, replayTrace } from '../../conformance/replay.ts';

/**
 * `sim conformance <trace.jsonl> [--json]`: replays a recorded ZooKeeper trace against the
 * simulated standalone server. Exit 0 when every record matches, 1 otherwise, 2 for a
 * malformed or unreadable trace.
 */
export function conformanceCommand(file: string, options: { json?: boolean }): number {
  let text: string;
  try {
    text = readInputText(file);
  } catch (err) {
    throw err instanceof UnreadableFileError ? new UsageError(err.message) : err;
  }
  let report;
  try {
    report = replayTrace(withinLimits(parseTrace(file, text)));
  } catch (err) {
    if (err instanceof TraceFormatError) throw new UsageError(err.message);
    throw err;
  }
  process.stdout.write((options.json ? JSON.stringify(report, null, 2) : formatReport(report)) + '\n');
  return report.mismatches.length === 0 ? ExitCode.ok : ExitCode.violation;
}

/**
 * Refuses a `sleep` longer than the longest run: the replay advances virtual time through every
 * millisecond of it, so `{"kind":"sleep","ms":1e15}` would never finish. (The trace format's
 * schema in src/conformance/traceFormat.ts is the better home for this limit.)
 */
function withinLimits(trace: Trace): Trace {
  for (const r of trace.records) {
    if (r.kind === 'sleep' && r.ms > MAX_RUN_MS) throw new UsageError(`${trace.file}:${r.line}:1: sleep: expected at most ${MAX_RUN_MS} ms (1 h of virtual time), got ${r.ms}`);
  }
  return trace;
}
