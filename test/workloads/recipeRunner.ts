/**
 * Runs a recipe workload on the `zab` system (3 servers) for the recipe tests, with optional
 * hand-scheduled faults on the simulation (crashes, partitions), and returns the recipe checks.
 * The generic ZooKeeper and ZAB checks are off: these tests are about the recipe checks.
 */
import { ClientHistory } from '../../src/client/history.ts';
import type { CheckOutcome, SystemOutcome } from '../../src/run/system.ts';
import { zabSystem } from '../../src/run/systems/zabSystem.ts';
import { Simulation } from '../../src/sim/simulation.ts';

export interface RecipeRunOptions {
  kind: string;
  params?: Record<string, unknown>;
  seed: number | string;
  clients?: number;
  sessionTimeoutMs?: number;
  stopMs?: number;
  durationMs?: number;
  /** Schedules faults on the simulation before it runs (`sim.at(...)`). */
  faults?: (sim: Simulation) => void;
}

export interface RecipeRun {
  checks: Record<string, CheckOutcome>;
  outcome: SystemOutcome;
  /** Client state changes, as `<client> <state>` in time order. */
  states: string[];
}

export function runRecipe(o: RecipeRunOptions): RecipeRun {
  const sim = new Simulation({ seed: String(o.seed), record: false });
  const params = {
    cluster: { servers: 3, observers: [], tickTimeMs: 2000, initLimit: 10, syncLimit: 5, snapCount: 100000 },
    clients: { count: o.clients ?? 3, sessionTimeoutMs: o.sessionTimeoutMs ?? 10_000, requestTimeoutMs: 5000 },
    workload: { kind: o.kind, params: o.params ?? {} },
    workloadStopMs: o.stopMs ?? 6000,
    checks: { zookeeper: false, zab: false, recipe: true, maxSteps: 1_000_000 },
    mutations: [],
    faults: [],
    groups: {},
    keepQuorum: true,
  };
  const handle = zabSystem.setup(sim, params);
  const states: string[] = [];
  ClientHistory.of(sim).listen((client, out) => {
    if (out.type === 'state') states.push(`${client} ${out.state}`);
  });
  o.faults?.(sim);
  sim.runUntil((o.durationMs ?? 8000) * 1000);
  const outcome = handle.finish();
  const checks: Record<string, CheckOutcome> = {};
  for (const [name, c] of Object.entries(outcome.checks ?? {})) if (name.startsWith('recipe:')) checks[name.slice('recipe:'.length)] = c;
  return { checks, outcome, states };
}

/** Verdicts by check name, for compact assertions. */
export function verdicts(run: RecipeRun): Record<string, string> {
  return Object.fromEntries(Object.entries(run.checks).map(([k, v]) => [k, v.verdict]));
}

const MS = 1000;

/** Crashes `node` at `atMs` and restarts it at `upMs`. */
export function crash(node: string, atMs: number, upMs: number): (sim: Simulation) => void {
  return (sim) => {
    sim.at(atMs * MS, () => sim.host(node).crash());
    sim.at(upMs * MS, () => sim.host(node).isUp() || sim.host(node).start());
  };
}

/** Cuts `client` off from every server from `atMs` to `healMs`. */
export function isolate(client: string, atMs: number, healMs: number): (sim: Simulation) => void {
  return (sim) => {
    sim.at(atMs * MS, () => sim.net.partition([[client], sim.net.endpointIds().filter((id) => id !== client)]));
    sim.at(healMs * MS, () => sim.net.heal());
  };
}

/** Several fault schedules in one. */
export function all(...fs: ((sim: Simulation) => void)[]): (sim: Simulation) => void {
  return (sim) => fs.forEach((f) => f(sim));
}

/** Holds every server's replies to `client` from `atMs` to `untilMs`: its in-flight writes end `info`. */
export function holdReplies(client: string, atMs: number, untilMs: number): (sim: Simulation) => void {
  const servers = ['n1', 'n2', 'n3'];
  return (sim) => {
    sim.at(atMs * MS, () => servers.forEach((n) => sim.net.clog(n, client)));
    sim.at(untilMs * MS, () => servers.forEach((n) => sim.net.unclog(n, client)));
  };
}
