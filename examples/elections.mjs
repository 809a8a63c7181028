// How long does ZooKeeper's election take after the leader crashes mid-broadcast? Runs a
// scenario over many seeds in memory and prints the distribution of election times.
// Usage: node elections.mjs [scenario.yaml] [seeds]
import { loadScenario, runScenario } from 'zabsim';

const path = process.argv[2] ?? 'node_modules/zabsim/scenarios/leader-crash-before-commit.yaml';
const seeds = Number(process.argv[3] ?? 100);
const scenario = loadScenario(path);
const times = [];
let violations = 0;
for (let seed = 1; seed <= seeds; seed++) {
  const run = await runScenario(scenario, { seed });
  if (run.verdict !== 'ok') violations++;
  // The first election forms the ensemble; the later ones follow a crash.
  for (const e of run.stats.elections.slice(1)) times.push(Math.round(e.servingAtMs - e.startedAtMs));
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(`${seeds} seeds, ${violations} with a violation, ${times.length} elections after a crash`);
console.log(`election ms: min ${times[0]}, median ${at(0.5)}, p90 ${at(0.9)}, max ${times.at(-1)}`);
