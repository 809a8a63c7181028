import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { loadScenarioFile } from '../../scenario/loadScenario.ts';
import { UnreadableFileError } from '../../scenario/inputFile.ts';
import { InputError } from '../../scenario/yamlSource.ts';
import { renderReport } from '../../report/index.ts';
import { checkDeterminism } from '../../run/determinism.ts';
import { runScenarioSeed, type RunResult } from '../../run/runScenario.ts';
import { ExitCode, UsageError } from '../exitCodes.ts';
import { checkRunDir } from '../outDir.ts';
import { parseSeedFlag, parseSeeds } from '../parseSeeds.ts';
import { printRunSummary } from '../printRun.ts';

/** The options of `sim run`, as commander parses them. */
export interface RunFlags {
  seed?: string;
  seeds?: string;
  json?: boolean;
  out: string;
  checkDeterminism?: boolean;
}

/** `sim run <scenario>`: runs the seeds, writes reports, prints verdicts; returns the exit code. */
export async function runCommand(scenarioPath: string, flags: RunFlags): Promise<number> {
  if (flags.seed !== undefined && flags.seeds !== undefined) throw new UsageError('use either --seed or --seeds, not both');
  let scn;
  try {
    scn = loadScenarioFile(scenarioPath);
  } catch (err) {
    if (err instanceof InputError || err instanceof UnreadableFileError) throw new UsageError(err.message);
    throw err;
  }
  const seeds = flags.seeds !== undefined ? parseSeeds(flags.seeds) : [flags.seed !== undefined ? parseSeedFlag(flags.seed) : scn.defaultSeed];
  // Checked before the first run writes anything; the seeds' folders differ only in a digits-only last part.
  checkRunDir(flags.out, join(flags.out, scn.name, seeds[0]!));
  const bar = seeds.length > 1 && process.stderr.isTTY && !flags.json ? new cliProgress.SingleBar({ stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(seeds.length, 0);
  let code: number = ExitCode.ok;
  const failures: RunResult[] = [];
  for (const seed of seeds) {
    const r = await runScenarioSeed(scn, seed, { scenarioPath, outRoot: flags.out, wallClockMs: () => performance.now(), renderReport });
    let determinism: string[] | undefined;
    if (flags.checkDeterminism) {
      const rep = await checkDeterminism(scn.spec(seed));
      determinism = rep.deterministic ? [`determinism: ok (${rep.inProcess.events} events identical in-process and in a child process)`] : ['determinism: BROKEN', ...rep.lines];
      if (!rep.deterministic) code = ExitCode.violation;
    }
    if (r.verdict === 'violation') code = ExitCode.violation;
    else if (r.verdict === 'unknown' && code === ExitCode.ok) code = ExitCode.unknown;
    if (!r.ok) failures.push(r);
    bar?.increment();
    if (flags.json) process.stdout.write(JSON.stringify(determinism ? { ...r, determinism } : r) + '\n');
    else if (bar === undefined) printRunSummary(r, determinism);
  }
  bar?.stop();
  if (bar !== undefined) {
    console.log(`${seeds.length} seeds: ${seeds.length - failures.length} ok, ${failures.length} failed`);
    for (const f of failures) console.log(`  seed ${f.seed}: ${f.verdict} — replay: ${f.replay}`);
  }
  return code;
}
