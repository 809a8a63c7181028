import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { replayRunDir } from '../../run/runScenario.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';

/** `sim replay <run-dir>`: re-run a recorded run from its tape and confirm the trace is identical. */
export function registerReplay(program: Command, result: { code: number }): void {
  program
    .command('replay')
    .description('re-run a recorded run (reports/<scenario>/<seed>/) from its choice tape and compare trace hashes')
    .argument('<run-dir>', 'directory written by `sim run`')
    .option('--json', 'print the comparison as JSON')
    .action(async (dir: string, flags: { json?: boolean }) => {
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
      result.code = r.matches ? ExitCode.ok : ExitCode.violation;
    });
}
