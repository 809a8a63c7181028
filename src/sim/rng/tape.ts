import { encode, decode } from '@msgpack/msgpack';

/**
 * The record of every nondeterministic choice a run made, per stream, in order. Replaying a
 * tape reproduces the run exactly; editing it (shorter, smaller values) is how runs are shrunk.
 */
export interface Tape {
  readonly version: 1;
  readonly seed: string;
  /** Stream name → the values its choices returned, in draw order. */
  readonly streams: Record<string, number[]>;
}

/** Serialises a tape with streams in name order, so equal tapes give equal bytes. */
export function encodeTape(tape: Tape): Uint8Array {
  const names = Object.keys(tape.streams).sort();
  const streams: Record<string, number[]> = {};
  for (const name of names) streams[name] = tape.streams[name]!;
  return encode({ version: tape.version, seed: tape.seed, streams });
}

/** Parses a tape; throws a plain Error describing what is wrong with malformed bytes. */
export function decodeTape(bytes: Uint8Array): Tape {
  const raw = decode(bytes) as Partial<Tape> | null;
  if (raw === null || typeof raw !== 'object') throw new Error('tape: not a msgpack map');
  if (raw.version !== 1) throw new Error(`tape: unsupported version ${String(raw.version)}`);
  if (typeof raw.seed !== 'string') throw new Error('tape: missing seed');
  if (raw.streams === null || typeof raw.streams !== 'object') throw new Error('tape: missing streams');
  for (const [name, values] of Object.entries(raw.streams)) {
    if (!Array.isArray(values) || values.some((v) => !Number.isSafeInteger(v) || v < 0)) {
      throw new Error(`tape: stream "${name}" must be a list of non-negative integers`);
    }
  }
  return { version: 1, seed: raw.seed, streams: raw.streams };
}

/** Total number of recorded choices. */
export function tapeLength(tape: Tape): number {
  let n = 0;
  for (const values of Object.values(tape.streams)) n += values.length;
  return n;
}
