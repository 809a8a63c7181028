import type { Command } from 'commander';
import { ExitCode } from '../exitCodes.ts';

/** Placeholder until its issue lands: says so plainly and exits 2. */
export function registerCheck(program: Command, result: { code: number }): void {
  program
    .command('check')
    .description('not available yet: arrives with its own issue')
    .argument('[args...]')
    .action(() => {
      process.stderr.write('sim check: not implemented yet\n');
      result.code = ExitCode.badInput;
    });
}
