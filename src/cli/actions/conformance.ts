import { readFileSync } from 'node:fs';
import { unreadableFileMessage } from '../../scenario/unreadableFile.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';
import { TraceFormatError, parseTrace } from '../../conformance/traceFormat.ts';
import { formatReport, replayTrace } from '../../conformance/replay.ts';

/**
 * `sim conformance <trace.jsonl> [--json]`: replays a recorded ZooKeeper trace against the
 * simulated standalone server. Exit 0 when every record matches, 1 otherwise, 2 for a
 * malformed or unreadable trace.
 */
export function conformanceCommand(file: string, options: { json?: boolean }): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(unreadableFileMessage(file, err));
  }
  let report;
  try {
    report = replayTrace(parseTrace(file, text));
  } catch (err) {
    if (err instanceof TraceFormatError) throw new UsageError(err.message);
    throw err;
  }
  process.stdout.write((options.json ? JSON.stringify(report, null, 2) : formatReport(report)) + '\n');
  return report.mismatches.length === 0 ? ExitCode.ok : ExitCode.violation;
}
