/**
 * Checks a recorded run folder (what `sim run` wrote) before it is replayed: spec.json within the
 * scenario limits, result.json with its trace hash, and a tape recorded for the spec's seed.
 * The folder is input, so each problem is a {@link RecordedRunError} naming the file (and line);
 * once the folder is known to be good, a failure of the replay itself is a bug in zabsim.
 * `sim replay` and the library's `replay` both call it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { decodeTape } from '../sim/rng/tape.ts';
import { readInputText, UnreadableFileError, unreadableFileMessage } from './inputFile.ts';
import { validateRunSpec } from './runSpecSchema.ts';
import { InputError, YamlSource } from './yamlSource.ts';

/** A problem with a recorded run folder; the message names the file. */
export class RecordedRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordedRunError';
  }
}

/** What replay needs from result.json: the trace hash it compares against. */
const recordedResult = z.looseObject({ traceHash: z.string().regex(/^[0-9a-f]{64}$/, 'expected the 64-hex-digit trace hash `sim run` wrote') });

/** Throws a {@link RecordedRunError} for the first problem with the folder's spec, result or tape. */
export function checkRecordedRun(dir: string): void {
  if (!existsSync(dir)) throw new RecordedRunError(unreadableFileMessage(dir, Object.assign(new Error(), { code: 'ENOENT' })));
  for (const f of ['spec.json', 'tape.msgpack', 'result.json']) {
    if (!existsSync(join(dir, f))) throw new RecordedRunError(`${dir}: missing ${f} (expected a directory written by \`sim run\`)`);
  }
  try {
    const spec = validateRunSpec(YamlSource.parse(readText(join(dir, 'spec.json')), join(dir, 'spec.json')));
    YamlSource.parse(readText(join(dir, 'result.json')), join(dir, 'result.json')).validate(recordedResult);
    const tapePath = join(dir, 'tape.msgpack');
    let seed: string;
    try {
      seed = decodeTape(readFileSync(tapePath)).seed;
    } catch (err) {
      throw new RecordedRunError(`${tapePath}: not a choice tape written by \`sim run\` (${(err as Error).message})`);
    }
    if (seed !== spec.seed) throw new RecordedRunError(`${tapePath}: recorded for seed ${seed}, but spec.json has seed ${spec.seed}`);
  } catch (err) {
    if (err instanceof InputError) throw new RecordedRunError(err.message);
    throw err;
  }
}

function readText(path: string): string {
  try {
    return readInputText(path);
  } catch (err) {
    throw err instanceof UnreadableFileError ? new RecordedRunError(err.message) : err;
  }
}
