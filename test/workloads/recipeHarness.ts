/**
 * Test harness for the recipe workloads: a `zab` system run on a simulation the test owns, so
 * it can crash, restart and partition nodes at chosen times (and watch client outputs), then
 * read the recipe checks. Clean runs go through `executeRun` like any scenario.
 */
import type { HistoryOp } from '../../src/checker/history/op.ts';
import type { ClientOutput } from '../../src/client/clientOutput.ts';
import { ClientHistory } from '../../src/client/history.ts';
import { executeRun } from '../../src/run/execute.ts';
import type { CheckOutcome } from '../../src/run/system.ts';
import { zabSystem } from '../../src/run/systems/zabSystem.ts';
import { Simulation } from '../../src/sim/simulation.ts';

export interface RecipeRunOptions {
  kind: string;
  params?: Record<string, unknown>;
  seed: number;
  clients?: number;
  sessionTimeoutMs?: number;
  stopMs: number;
  durationMs: number;
  /** Also run the ZooKeeper and ZAB checkers (slower). */
  allChecks?: boolean;
}

export interface RecipeRun {
  checks: Record<string, CheckOutcome>;
  history: readonly HistoryOp[];
  stats: Record<string, number>;
  /** Every client output with its time (states and events included). */
  outputs: { t: number; client: string; out: ClientOutput }[];
}

const SERVERS = ['n1', 'n2', 'n3'];

function systemParams(o: RecipeRunOptions) {
  return {
    cluster: { servers: 3, observers: [], tickTimeMs: 1000, initLimit: 10, syncLimit: 5, snapCount: 100000 },
    clients: { count: o.clients ?? 4, sessionTimeoutMs: o.sessionTimeoutMs ?? 4000, requestTimeoutMs: 2000 },
    workload: { kind: o.kind, params: o.params ?? {} },
    workloadStopMs: o.stopMs,
    checks: { zookeeper: o.allChecks ?? false, zab: o.allChecks ?? false, recipe: true, maxSteps: 1_000_000 },
    mutations: [],
    faults: [],
    groups: {},
    keepQuorum: true,
  };
}

/** A fault-free run through `executeRun`, as a scenario would do it. */
export async function cleanRun(o: RecipeRunOptions): Promise<RecipeRun> {
  const r = await executeRun({ system: { builtin: 'zab' }, params: systemParams(o), seed: String(o.seed), durationUs: o.durationMs * 1000 });
  return { checks: r.outcome.checks ?? {}, history: r.outcome.history ?? [], stats: r.outcome.stats, outputs: [] };
}

/** A run with faults: `faults(sim, outputs)` schedules them (sim.at) before the run starts. */
export function faultyRun(o: RecipeRunOptions, faults: (sim: Simulation, outputs: RecipeRun['outputs']) => void): RecipeRun {
  const sim = new Simulation({ seed: String(o.seed), trace: { level: 'hash' }, record: false });
  const outputs: RecipeRun['outputs'] = [];
  ClientHistory.of(sim).listen((client, out, t) => outputs.push({ t, client, out }));
  const handle = zabSystem.setup(sim, systemParams(o));
  faults(sim, outputs);
  sim.runUntil(o.durationMs * 1000);
  const outcome = handle.finish();
  return { checks: outcome.checks ?? {}, history: outcome.history ?? [], stats: outcome.stats, outputs };
}

/** Cuts `client` off from every server from `fromMs` for `forMs`. */
export function isolate(sim: Simulation, client: string, fromMs: number, forMs: number): void {
  sim.at(fromMs * 1000, () => sim.net.partition([[client], SERVERS]));
  sim.at((fromMs + forMs) * 1000, () => sim.net.heal());
}

/**
 * A seeded mix of faults between `fromMs` and `untilMs`: client isolations (some past the
 * session timeout), client crash/restart, server crash/restart and server isolation. The
 * schedule comes from a small seeded generator, so it is as reproducible as the run.
 */
export function randomFaults(sim: Simulation, seed: number, clients: readonly string[], fromMs: number, untilMs: number): void {
  let x = (seed * 0x9e3779b9) | 0;
  const rnd = (n: number) => {
    // mulberry32: small, seeded, good enough for a fault schedule.
    x = (x + 0x6d2b79f5) | 0;
    let z = Math.imul(x ^ (x >>> 15), 1 | x);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    return ((z ^ (z >>> 14)) >>> 0) % n;
  };
  const us = (ms: number) => ms * 1000;
  for (let t = fromMs; t < untilMs; t += 1500 + rnd(1000)) {
    const c = clients[rnd(clients.length)]!;
    const n = SERVERS[rnd(SERVERS.length)]!;
    switch (rnd(4)) {
      case 0:
        isolate(sim, c, t, 2000 + rnd(5000));
        break;
      case 1:
        sim.at(us(t), () => sim.host(c).crash());
        sim.at(us(t + 500 + rnd(2000)), () => sim.host(c).isUp() || sim.host(c).start());
        break;
      case 2:
        sim.at(us(t), () => sim.host(n).crash());
        sim.at(us(t + 500 + rnd(3000)), () => sim.host(n).isUp() || sim.host(n).start());
        break;
      default:
        sim.at(us(t), () => sim.net.partition([[n], [...SERVERS.filter((m) => m !== n), ...clients]]));
        sim.at(us(t + 1000 + rnd(3000)), () => sim.net.heal());
    }
  }
}

/** Verdicts of the recipe checks only, by check name (without the `recipe:` prefix). */
export function recipeVerdicts(run: RecipeRun): Record<string, string> {
  return Object.fromEntries(
    Object.entries(run.checks)
      .filter(([k]) => k.startsWith('recipe:'))
      .map(([k, v]) => [k.slice('recipe:'.length), v.verdict]),
  );
}

/** The invokes of `f` on `path` (the history's completions carry results, not arguments). */
export function invokes(run: RecipeRun, f: string, path: string): HistoryOp[] {
  return run.history.filter((op) => op.type === 'invoke' && op.f === f && (op.value as { path?: string } | null)?.path === path);
}

/** When `client` reported `state` (times in µs). */
export function stateTimes(run: RecipeRun, client: string, state: string): number[] {
  return run.outputs.filter((o) => o.client === client && o.out.type === 'state' && o.out.state === state).map((o) => o.t);
}
