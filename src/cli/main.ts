import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode, UsageError } from './exitCodes.ts';
import { reportInternalError } from './internalError.ts';
import { registerRun } from './commands/run.ts';
import { registerCheck } from './commands/check.ts';
import { registerConformance } from './commands/conformance.ts';
import { registerReplay } from './commands/replay.ts';
import { registerTrace } from './commands/trace.ts';

/** Builds the `sim` program. Each command sets `result.code` through its action. */
export function buildProgram(result: { code: number }): Command {
  const program = new Command('sim')
    .description('zabsim: deterministic simulator and test harness for ZooKeeper ZAB')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ outputError: (text, write) => write(commanderErrorLine(text)) });
  registerRun(program, result);
  registerCheck(program, result);
  registerConformance(program, result);
  registerReplay(program, result);
  registerTrace(program, result);
  return program;
}

/** The version in package.json, two folders up from src/cli/ and from dist/cli/ alike. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * Commander's error as one `sim:` line: `error: unknown option '--sed'` and its suggestion line
 * `(Did you mean --seed?)` become `sim: unknown option '--sed' (did you mean --seed?)`.
 */
function commanderErrorLine(text: string): string {
  const [first = '', ...rest] = text.trim().split('\n');
  const hint = rest.map((l) => l.trim()).find((l) => /^\(Did you mean/.test(l));
  return `sim: ${first.replace(/^error: /, '')}${hint !== undefined ? ` ${hint.replace('(Did', '(did')}` : ''}\n`;
}

/** Runs the CLI and returns the process exit code; never throws (a bug in zabsim is exit 4, see internalError.ts). */
export async function main(argv: string[]): Promise<number> {
  const result = { code: ExitCode.ok as number };
  const program = buildProgram(result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`sim: ${err.message}\n`);
      return ExitCode.badInput;
    }
    process.stderr.write(reportInternalError(err, argv));
    return ExitCode.internalError;
  }
}
