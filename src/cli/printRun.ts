import type { RunResult } from '../run/runScenario.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

/** Prints the short human summary of one run. */
export function printRunSummary(r: RunResult, determinism?: string[]): void {
  const checks = Object.entries(r.checks).map(([name, c]) => `${name}: ${c.verdict}`).join(', ');
  console.log(`scenario  ${r.scenario}   seed ${r.seed}`);
  console.log(`verdict   ${r.verdict.toUpperCase()}   (${checks})`);
  for (const c of Object.values(r.checks)) for (const v of c.violations.slice(0, 10)) console.log(`  - [${v.property}] ${v.message}`);
  console.log(`events    ${fmt(r.stats.events)} traced, ${fmt(r.stats.firedEvents)} fired`);
  console.log(`time      sim ${fmt(r.stats.simTimeMs)} ms, wall ${fmt(r.stats.wallMs)} ms, sim:real ${r.stats.simRealRatio}x`);
  console.log(`hashes    trace ${r.traceHash.slice(0, 16)}…  history ${r.historyHash.slice(0, 16)}…`);
  console.log(`files     ${r.outDir}/ (result.json, trace.msgpack, tape.msgpack, spec.json)`);
  for (const line of determinism ?? []) console.log(line);
  if (!r.ok) console.log(`replay    ${r.replay}`);
}
