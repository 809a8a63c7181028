import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { replayRunDir } from '../../run/runScenario.ts';
import { validateRunSpec } from '../../scenario/runSpecSchema.ts';
import { readInputText, UnreadableFileError, unreadableFileMessage } from '../../scenario/inputFile.ts';
import { InputError, YamlSource } from '../../scenario/yamlSource.ts';
import { decodeTape } from '../../sim/rng/tape.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';

/** What replay needs from result.json: the trace hash it compares against. */
const recordedResult = z.looseObject({ traceHash: z.string().regex(/^[0-9a-f]{64}$/, 'expected the 64-hex-digit trace hash `sim run` wrote') });

/**
 * `sim replay <run-dir>`: re-runs a recorded run from its tape; returns the exit code. The run
 * folder is input, so every file in it is checked first (bad input exits 2, naming the file and
 * line); once it is known to be good, a failure of the replay itself is a bug and is not
 * disguised as bad input.
 */
export async function replayCommand(dir: string, flags: { json?: boolean }): Promise<number> {
  checkRunFolder(dir);
  const r = await replayRunDir(dir);
  if (flags.json) console.log(JSON.stringify(r));
  else if (r.matches) console.log(`replay matches: ${r.events} events, trace ${r.replayedTraceHash.slice(0, 16)}…`);
  else console.log(`replay DIVERGED: recorded trace ${r.recordedTraceHash.slice(0, 16)}…, replayed ${r.replayedTraceHash.slice(0, 16)}…`);
  return r.matches ? ExitCode.ok : ExitCode.violation;
}

/** Throws a UsageError for the first problem with the run folder's spec, result or tape. */
function checkRunFolder(dir: string): void {
  if (!existsSync(dir)) throw new UsageError(unreadableFileMessage(dir, Object.assign(new Error(), { code: 'ENOENT' })));
  for (const f of ['spec.json', 'tape.msgpack', 'result.json']) {
    if (!existsSync(join(dir, f))) throw new UsageError(`${dir}: missing ${f} (expected a directory written by \`sim run\`)`);
  }
  try {
    const spec = validateRunSpec(YamlSource.parse(readText(join(dir, 'spec.json')), join(dir, 'spec.json')));
    YamlSource.parse(readText(join(dir, 'result.json')), join(dir, 'result.json')).validate(recordedResult);
    const tapePath = join(dir, 'tape.msgpack');
    let seed: string;
    try {
      seed = decodeTape(readFileSync(tapePath)).seed;
    } catch (err) {
      throw new UsageError(`${tapePath}: not a choice tape written by \`sim run\` (${(err as Error).message})`);
    }
    if (seed !== spec.seed) throw new UsageError(`${tapePath}: recorded for seed ${seed}, but spec.json has seed ${spec.seed}`);
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(err.message);
    throw err;
  }
}

function readText(path: string): string {
  try {
    return readInputText(path);
  } catch (err) {
    throw err instanceof UnreadableFileError ? new UsageError(err.message) : err;
  }
}
