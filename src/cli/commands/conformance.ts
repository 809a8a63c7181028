import type { Command } from 'commander';

/** `sim conformance <trace.jsonl>`: replay a recorded ZooKeeper trace against the simulated server. */
export function registerConformance(program: Command, result: { code: number }): void {
  program
    .command('conformance')
    .description('replay a ZooKeeper conformance trace (JSONL) against the simulated server')
    .argument('<trace>', 'trace file in the conformance JSONL format')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const { conformanceCommand } = await import('../actions/conformance.ts');
      result.code = conformanceCommand(file, options);
    });
}
