import type { Command } from 'commander';
import type { RunFlags } from '../actions/run.ts';

/**
 * `sim run <scenario>`: run seeds of a scenario, write reports, print verdicts. The action loads
 * the simulator only when the command runs, so other commands start without it.
 */
export function registerRun(program: Command, result: { code: number }): void {
  program
    .command('run')
    .description('run a scenario for one seed or a range of seeds and write reports/<scenario>/<seed>/')
    .argument('<scenario>', 'scenario YAML file')
    .option('--seed <seed>', 'seed to run (default: the scenario\'s seed)')
    .option('--seeds <A..B>', 'run every integer seed from A to B inclusive')
    .option('--json', 'print result.json instead of the summary (one JSON document per line for several seeds)')
    .option('--out <dir>', 'root directory for run files', 'reports')
    .option('--check-determinism', 'also re-run each seed in a child process and compare traces event by event')
    .action(async (scenarioPath: string, flags: RunFlags) => {
      const { runCommand } = await import('../actions/run.ts');
      result.code = await runCommand(scenarioPath, flags);
    });
}
