import type { Command } from 'commander';
import type { TraceFlags } from '../actions/trace.ts';

/** `sim trace <run-dir>`: print a recorded run's trace events (what a witness's event numbers point at). */
export function registerTrace(program: Command, result: { code: number }): void {
  program
    .command('trace')
    .description('print the events of a recorded run (reports/<scenario>/<seed>/trace.msgpack), numbered as checkers cite them')
    .argument('<run-dir>', 'directory written by `sim run`, or its trace.msgpack')
    .option('--from <n>', 'first event number to print')
    .option('--to <n>', 'last event number to print')
    .option('--kind <kind...>', 'only these event kinds (e.g. proto crash send deliver)')
    .option('--node <node...>', 'only events of these nodes (e.g. n2 c1)')
    .option('--jsonl', 'print one JSON object per event')
    .action(async (path: string, flags: TraceFlags) => {
      const { traceCommand } = await import('../actions/trace.ts');
      result.code = await traceCommand(path, flags);
    });
}
