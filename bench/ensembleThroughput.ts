/**
 * Ensemble throughput: a 5-node ZAB ensemble with 20 client sessions writing setData for 60 s
 * of virtual time, at three paces: each client writing once a second, every 100 ms, and as fast
 * as it can (closed loop: the next write goes out when the last completes). Prints kernel
 * events per wall second, acknowledged writes per wall second, and how much faster than real
 * time the simulation ran. Targets (issue "ZAB ensemble"): ≥ 1,000,000 events/s and sim:real
 * ≥ 2,000×. sim:real is a property of the load as much as of the code: at a given events/s it
 * falls in proportion to the events per virtual second, so each pace gets its own line.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ZkClient } from '../src/client/zkClient.ts';
import { ClientHistory } from '../src/client/history.ts';
import type { ClientCommand } from '../src/client/commands.ts';
import { DEFAULT_ENSEMBLE, type EnsembleConfig } from '../src/engine/zab/config.ts';
import { ZabNode } from '../src/engine/zab/node/zabNode.ts';
import { Simulation } from '../src/sim/simulation.ts';
import type { TraceLevel } from '../src/sim/trace/trace.ts';
import { probeMachine } from './machineProbe.ts';

export interface ThroughputFigures {
  events: number;
  ackedWrites: number;
  wallMs: number;
  simMs: number;
}

/** `thinkMs` 0: closed loop (next write as soon as the last completes); otherwise a pause between writes. */
export function ensembleThroughput(servers: number, clients: number, simSeconds: number, level: TraceLevel, thinkMs = 0): ThroughputFigures {
  const cfg: EnsembleConfig = { ...DEFAULT_ENSEMBLE, servers: Array.from({ length: servers }, (_, i) => ({ sid: i + 1, role: 'participant' as const })) };
  const sim = new Simulation({ seed: 7, trace: { level }, record: false });
  const history = new ClientHistory(sim);
  const serverIds = cfg.servers.map((s) => `n${s.sid}`);
  for (const s of cfg.servers) sim.addProcess(`n${s.sid}`, () => new ZabNode(s.sid, cfg));
  const clientIds = Array.from({ length: clients }, (_, i) => `c${i + 1}`);
  clientIds.forEach((id, i) =>
    sim.addProcess(id, () => new ZkClient({ servers: serverIds, sessionTimeoutMs: 10_000, requestTimeoutMs: 5_000, process: i, processStride: clients })),
  );
  let acked = 0;
  const next = new Map<string, number>();
  const issue = (client: string) => {
    const n = (next.get(client) ?? 0) + 1;
    next.set(client, n);
    const cmd: ClientCommand = n === 1 ? { f: 'create', value: { path: `/${client}`, data: '0' } } : { f: 'setData', value: { path: `/${client}`, data: String(n) } };
    sim.host(client).command(cmd);
  };
  history.listen((node, out) => {
    if (out.type === 'ok' && (out.f === 'setData' || out.f === 'create')) acked++;
    if (out.type !== 'ok' && out.type !== 'fail' && out.type !== 'info') return;
    if (thinkMs === 0) issue(node);
    else sim.at(sim.nowUs + thinkMs * 1000, () => issue(node));
  });
  for (const id of serverIds) sim.host(id).start();
  for (const id of clientIds) sim.host(id).start();
  // Start writing once the ensemble has had time to elect (~0.4 s).
  sim.at(1_000_000, () => clientIds.forEach(issue));
  const t0 = performance.now();
  sim.runUntil(simSeconds * 1_000_000);
  const wallMs = performance.now() - t0;
  return { events: sim.sched.firedCount, ackedWrites: acked, wallMs, simMs: simSeconds * 1000 };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The heap flags the `sim` command runs with (bin/sim.mjs, package.json), so the figures are what
 * a user gets. Node's default young generation (16 MiB semi-spaces) is small for a simulation
 * that allocates a little per event and keeps a little per txn (history, disk, logs): scavenges
 * copy the kept part again and again, hence 64 MiB. V8's allocation-site pretenuring, seeing the
 * containers a run keeps (logs, history) survive, allocates them straight in the old generation;
 * the young objects put in them are then found through the remembered set, which is probably why
 * scavenges got slower with it: at the 1 s pace a scavenge paused 4.2–7.6 ms with pretenuring
 * (19 scavenges) and 2.0–3.2 ms without (14 of 15; one 5.5 ms). `--default-heap` measures with
 * neither flag.
 */
export const HEAP_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--no-allocation-site-pretenuring'];

/** One line of the table: a workload, its warm-up runs and its timed runs. */
interface Workload {
  label: string;
  thinkMs: number;
  level: TraceLevel;
  warmups: number;
  runs: number;
  /** Virtual seconds of each warm-up run (the timed runs are 60 s). */
  warmupSeconds: number;
}

const WORKLOADS: readonly Workload[] = [
  // A run at this pace takes only ~30 ms, and the JIT is still improving it for about ten runs.
  { label: 'each client writes every 1 s', thinkMs: 1000, level: 'off', warmups: 12, runs: 15, warmupSeconds: 60 },
  { label: 'each client writes every 100 ms', thinkMs: 100, level: 'off', warmups: 2, runs: 5, warmupSeconds: 60 },
  { label: 'every 100 ms, trace hashed', thinkMs: 100, level: 'hash', warmups: 1, runs: 3, warmupSeconds: 60 },
  { label: 'closed loop (next write on reply)', thinkMs: 0, level: 'off', warmups: 1, runs: 1, warmupSeconds: 10 },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Runs every workload in this process: shared warm-up, each workload's own, then the median of its timed runs. */
function measureAll(): string[] {
  const lines: string[] = [];
  // The JIT first: a short run at 1 s compiles little, so everything warms up on the busier pace.
  for (let i = 0; i < 3; i++) ensembleThroughput(5, 20, 60, 'off', 100);
  for (let i = 0; i < 3; i++) probeMachine();
  for (const w of WORKLOADS) {
    for (let i = 0; i < w.warmups; i++) ensembleThroughput(5, 20, w.warmupSeconds, w.level, w.thinkMs);
    // The machine's state around the timed runs (not between them: a probe evicts the caches).
    const probes = [probeMachine(), probeMachine(), probeMachine()].map((p) => p.memoryMs);
    const runs = Array.from({ length: w.runs }, () => ensembleThroughput(5, 20, 60, w.level, w.thinkMs));
    for (let i = 0; i < 3; i++) probes.push(probeMachine().memoryMs);
    const wallMs = median(runs.map((r) => r.wallMs));
    const best = Math.min(...runs.map((r) => r.wallMs));
    const f = runs[0]!;
    const perSec = f.events / (wallMs / 1000);
    const ratio = f.simMs / wallMs;
    lines.push(
      `${w.label.padEnd(34)}: ${fmt(f.events)} events in ${fmt(wallMs)} ms (best ${fmt(best)}) → ${fmt(perSec)} events/s (target 1,000,000: ${(perSec / 1e6).toFixed(2)}×); ` +
        `${fmt(f.ackedWrites / (wallMs / 1000))} acked writes/s wall (${fmt(f.ackedWrites / 60)}/s virtual); sim:real ${fmt(ratio)}× (target 2,000: ${(ratio / 2000).toFixed(2)}×); ` +
        `memory probe ${median(probes).toFixed(1)} ms`,
    );
  }
  return lines;
}

/** Prints the table, measured in a child process started with HEAP_FLAGS (unless `defaultHeap`). */
export function runEnsembleThroughputBench(defaultHeap = process.argv.includes('--default-heap')): void {
  const heap = defaultHeap ? "Node's default heap" : `node ${HEAP_FLAGS.join(' ')}`;
  console.log(`## ensemble throughput: 5 servers, 20 writers, 60 s virtual, trace off unless noted; ${heap}; median of the timed runs after warm-up runs`);
  const flags = defaultHeap ? [] : [...HEAP_FLAGS];
  const child = spawnSync(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(import.meta.url), '--measure-child'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) {
    console.log(`measurement child failed (exit ${child.status}): ${child.stderr.split('\n').slice(0, 3).join(' ')}`);
    return;
  }
  process.stdout.write(child.stdout);
}

if (process.argv[2] === '--measure-child') {
  for (const line of measureAll()) console.log(line);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runEnsembleThroughputBench();
}
