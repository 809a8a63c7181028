import { replayRunDir } from '../../run/runScenario.ts';
import { checkRecordedRun, RecordedRunError } from '../../scenario/recordedRun.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';

/**
 * `sim replay <run-dir>`: re-runs a recorded run from its tape; returns the exit code. The run
 * folder is input, so every file in it is checked first (bad input exits 2, naming the file and
 * line); once it is known to be good, a failure of the replay itself is a bug and is not
 * disguised as bad input.
 */
export async function replayCommand(dir: string, flags: { json?: boolean }): Promise<number> {
  try {
    checkRecordedRun(dir);
  } catch (err) {
    if (err instanceof RecordedRunError) throw new UsageError(err.message);
    throw err;
  }
  const r = await replayRunDir(dir);
  if (flags.json) console.log(JSON.stringify(r));
  else if (r.matches) console.log(`replay matches: ${r.events} events, trace ${r.replayedTraceHash.slice(0, 16)}…`);
  else console.log(`replay DIVERGED: recorded trace ${r.recordedTraceHash.slice(0, 16)}…, replayed ${r.replayedTraceHash.slice(0, 16)}…`);
  return r.matches ? ExitCode.ok : ExitCode.violation;
}
