/**
 * `npm run bench`: prints performance figures and their ratio to the targets. Nothing here is
 * asserted; numbers go in closing notes and the README.
 */
import { existsSync } from 'node:fs';
import { runKernelBench } from './kernel.ts';

runKernelBench();

// Later benches register here as their modules appear.
for (const [file, fn] of [
  ['./checker.ts', 'runCheckerBench'],
  ['./ensemble.ts', 'runEnsembleBench'],
  ['./ensembleThroughput.ts', 'runEnsembleThroughputBench'],
] as const) {
  if (!existsSync(new URL(file, import.meta.url))) continue;
  console.log('');
  const mod = (await import(file)) as Record<string, () => Promise<void> | void>;
  await mod[fn]!();
}
