import { statSync } from 'node:fs';
import { join } from 'node:path';
import { bytesAsLength, describeEvent, readTrace } from '../../run/traceDiff.ts';
import { readInputBytes, UnreadableFileError } from '../../scenario/inputFile.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';

/** What `sim trace` accepts, as commander parses it. */
export interface TraceFlags {
  from?: string;
  to?: string;
  kind?: string[];
  node?: string[];
  jsonl?: boolean;
}

/** A non-negative integer flag, or undefined when absent. */
function eventNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) throw new UsageError(`--${name} expects an event number (a non-negative integer), got ${JSON.stringify(text)}`);
  return Number(text);
}

/** The bytes of a run directory's trace, or of a trace file named directly. */
function traceBytes(path: string): Uint8Array {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, 'trace.msgpack');
  } catch {
    // Not there: readInputBytes words it as for every other input.
  }
  try {
    return readInputBytes(file);
  } catch (err) {
    throw err instanceof UnreadableFileError ? new UsageError(err.message) : err;
  }
}

/** `sim trace`: prints the selected events, one a line; returns the exit code. */
export async function traceCommand(path: string, flags: TraceFlags): Promise<number> {
  const from = eventNumber('from', flags.from) ?? 0;
  const to = eventNumber('to', flags.to) ?? Infinity;
  const kinds = flags.kind === undefined ? undefined : new Set(flags.kind);
  const nodes = flags.node === undefined ? undefined : new Set(flags.node);
  const bytes = traceBytes(path);
  const lines: string[] = [];
  try {
    for (const e of readTrace(bytes)) {
      if (e.index < from) continue;
      if (e.index > to) break;
      if (kinds !== undefined && !kinds.has(e.kind)) continue;
      if (nodes !== undefined && !nodes.has(e.node)) continue;
      lines.push(flags.jsonl ? JSON.stringify(e, bytesAsLength) : describeEvent(e));
      if (lines.length >= 4096) {
        process.stdout.write(lines.join('\n') + '\n');
        lines.length = 0;
      }
    }
  } catch (err) {
    throw new UsageError(`${path}: not a zabsim trace (${(err as Error).message.split('\n')[0]})`);
  }
  if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
  return ExitCode.ok;
}
