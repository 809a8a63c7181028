/**
 * Ensemble figures: election time on the virtual clock (kill the leader of a healthy 3-node
 * ensemble, measure until the new leader is established and serving) over many seeds, next to
 * what a real ZooKeeper 3.8.0 ensemble showed (306–403 ms, mean 368 ms; §2 of the reference).
 */
import { pathToFileURL } from 'node:url';
import { Simulation } from '../src/sim/simulation.ts';
import { ZabNode } from '../src/engine/zab/node/zabNode.ts';
import { DEFAULT_ENSEMBLE, type EnsembleConfig } from '../src/engine/zab/config.ts';

/** Kill-to-serving time (ms) for one seed: the first leader is killed at 2 s. */
export function killToServingMs(seed: number): number | undefined {
  const cfg: EnsembleConfig = { ...DEFAULT_ENSEMBLE, servers: [1, 2, 3].map((sid) => ({ sid, role: 'participant' as const })) };
  const sim = new Simulation({ seed, record: false, trace: { level: 'off' } });
  let servingAtUs: number | undefined;
  const killAtUs = 2_000_000;
  sim.trace.listen((t, kind, _node, data) => {
    if (kind === 'proto' && t > killAtUs && servingAtUs === undefined && (data as { ev: string }).ev === 'established') servingAtUs = t;
  });
  for (const s of cfg.servers) sim.addProcess(`n${s.sid}`, () => new ZabNode(s.sid, cfg));
  for (const s of cfg.servers) sim.host(`n${s.sid}`).start();
  sim.runUntil(killAtUs);
  sim.host('n3').crash();
  sim.runUntil(killAtUs + 10_000_000);
  return servingAtUs === undefined ? undefined : (servingAtUs - killAtUs) / 1000;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Prints the election-time distribution over `seeds` seeds. */
export function runEnsembleBench(seeds = 200): void {
  console.log(`## election time: kill the leader of a 3-node ensemble (tickTime 2000), ${seeds} seeds`);
  const times: number[] = [];
  let failed = 0;
  for (let s = 1; s <= seeds; s++) {
    const t = killToServingMs(s);
    if (t === undefined) failed++;
    else times.push(t);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `kill→serving ms: min ${pct(times, 0).toFixed(0)}  p10 ${pct(times, 10).toFixed(0)}  median ${pct(times, 50).toFixed(0)}  mean ${mean.toFixed(0)}  p90 ${pct(times, 90).toFixed(0)}  max ${pct(times, 100).toFixed(0)}  (no leader: ${failed})`,
  );
  const within = times.filter((t) => t >= 300 && t <= 410).length;
  console.log(`real ZooKeeper 3.8.0: 306–403 ms (mean 368); ${((within / times.length) * 100).toFixed(0)} % of seeds fall in 300–410 ms`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runEnsembleBench();
