/**
 * A harness failure: an exception that is a bug in zabsim, not bad input and not a finding
 * about the simulated protocol. The user gets one line and exit 4; the stack, the command
 * line and the versions go to a file a bug report can attach, since a stack trace on the
 * terminal reads as if the input were at fault.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `err`'s details to a fresh file in the OS temp folder and returns the line to print. */
export function reportInternalError(err: unknown, argv: readonly string[]): string {
  const stack = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  const summary = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n')[0]!.slice(0, 200);
  const details = [`command: sim ${argv.map((a) => JSON.stringify(a)).join(' ')}`, `node: ${process.version} ${process.platform}-${process.arch}`, `cwd: ${process.cwd()}`, '', stack, ''].join('\n');
  const file = join(tmpdir(), `zabsim-internal-error-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.txt`);
  try {
    writeFileSync(file, details, { flag: 'wx' });
  } catch {
    // Nowhere to save it: the stack is all there is, so it goes to stderr after the summary.
    return `sim: internal error (a bug in zabsim, not in the input): ${summary}; could not save details to ${file}\n${stack}\n`;
  }
  return `sim: internal error (a bug in zabsim, not in the input): ${summary}, details in ${file}\n`;
}
