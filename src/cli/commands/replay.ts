import type { Command } from 'commander';

/** `sim replay <run-dir>`: re-run a recorded run from its choice tape and confirm the trace is identical. */
export function registerReplay(program: Command, result: { code: number }): void {
  program
    .command('replay')
    .description('re-run a recorded run (reports/<scenario>/<seed>/) from its choice tape and compare trace hashes')
    .argument('<run-dir>', 'directory written by `sim run`')
    .option('--json', 'print the comparison as JSON')
    .action(async (dir: string, flags: { json?: boolean }) => {
      const { replayCommand } = await import('../actions/replay.ts');
      result.code = await replayCommand(dir, flags);
    });
}
