import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { replayRunDir } from '../../run/runScenario.ts';
import { unreadableFileMessage } from '../../scenario/unreadableFile.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';

/** `sim replay <run-dir>`: re-runs a recorded run from its tape; returns the exit code. */
export async function replayCommand(dir: string, flags: { json?: boolean }): Promise<number> {
  if (!existsSync(dir)) throw new UsageError(unreadableFileMessage(dir, Object.assign(new Error(), { code: 'ENOENT' })));
  for (const f of ['spec.json', 'tape.msgpack', 'result.json']) {
    if (!existsSync(join(dir, f))) throw new UsageError(`${dir}: missing ${f} (expected a directory written by \`sim run\`)`);
  }
  let r;
  try {
    r = await replayRunDir(dir);
  } catch (err) {
    throw new UsageError(`${dir}: ${(err as Error).message}`);
  }
  if (flags.json) console.log(JSON.stringify(r));
  else if (r.matches) console.log(`replay matches: ${r.events} events, trace ${r.replayedTraceHash.slice(0, 16)}…`);
  else console.log(`replay DIVERGED: recorded trace ${r.recordedTraceHash.slice(0, 16)}…, replayed ${r.replayedTraceHash.slice(0, 16)}…`);
  return r.matches ? ExitCode.ok : ExitCode.violation;
}
