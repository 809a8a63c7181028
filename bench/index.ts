/**
 * `npm run bench`: prints performance figures and their ratio to the targets. Nothing here is
 * asserted; numbers go in closing notes and the README.
 *
 * `npm run bench -- checker` (or `kernel`, `ensemble`, `throughput`, several at once) runs only
 * those sections; arguments that start with `--` are left to the sections themselves.
 */
import { existsSync } from 'node:fs';

// Sections run in this order; later benches register here as their modules appear.
const SECTIONS = [
  ['kernel', './kernel.ts', 'runKernelBench'],
  ['checker', './checker.ts', 'runCheckerBench'],
  ['ensemble', './ensemble.ts', 'runEnsembleBench'],
  ['throughput', './ensembleThroughput.ts', 'runEnsembleThroughputBench'],
] as const;

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((w) => !SECTIONS.some(([name]) => name === w));
if (unknown.length > 0) {
  console.error(`unknown bench section ${unknown.join(', ')}; sections: ${SECTIONS.map(([name]) => name).join(', ')}`);
  process.exit(2);
}

let first = true;
for (const [name, file, fn] of SECTIONS) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  if (!existsSync(new URL(file, import.meta.url))) continue;
  if (!first) console.log('');
  first = false;
  const mod = (await import(file)) as Record<string, () => Promise<void> | void>;
  await mod[fn]!();
}
