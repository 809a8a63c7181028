/**
 * `sim check PATH...`: checks every history file named (directories expanded), possibly in
 * parallel, printing each file's result as soon as it and all before it are done.
 */
import { checkFiles } from '../check/pool.ts';
import { resolveCheckOptions, type CheckFlags } from '../check/options.ts';
import { CheckTally, outcomeJson, outcomeLines } from '../check/output.ts';
import { expandPaths } from '../check/paths.ts';

/** Runs `sim check`; returns the exit code (1 illegal, else 2 bad input, else 3 unknown, else 0). */
export async function checkCommand(paths: readonly string[], flags: CheckFlags): Promise<number> {
  const options = resolveCheckOptions(flags);
  const files = expandPaths(paths);
  const single = files.length === 1;
  const startMs = performance.now();
  const tally = new CheckTally();
  await checkFiles(files, options.file, options.jobs, (o) => {
    tally.add(o);
    if (o.error !== undefined) process.stderr.write(`sim: ${o.error}\n`);
    if (options.json) process.stdout.write(`${outcomeJson(o)}\n`);
    else if (!single) process.stdout.write(`${outcomeLines(o).join('\n')}\n`);
    else if (o.verdict !== 'bad-input') process.stdout.write(`${o.lines.join('\n')}\n`);
  });
  const elapsedMs = performance.now() - startMs;
  if (options.json) process.stdout.write(`${tally.summaryJson(elapsedMs)}\n`);
  else if (!single) process.stdout.write(`${tally.summaryLine(elapsedMs)}\n`);
  return tally.exitCode();
}
