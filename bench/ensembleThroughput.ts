/**
 * Ensemble throughput: a 5-node ZAB ensemble with 20 client sessions writing as fast as they
 * can (closed loop: each client sends its next setData when the previous one completes) for
 * 60 s of virtual time. Prints kernel events per wall second, committed (acknowledged) writes
 * per wall second, and how much faster than real time the simulation ran.
 * Targets (issue "ZAB ensemble"): ≥ 1,000,000 events/s and sim:real ≥ 2,000×.
 */
import { pathToFileURL } from 'node:url';
import { ZkClient } from '../src/client/zkClient.ts';
import { ClientHistory } from '../src/client/history.ts';
import type { ClientCommand } from '../src/client/commands.ts';
import { DEFAULT_ENSEMBLE, type EnsembleConfig } from '../src/engine/zab/config.ts';
import { ZabNode } from '../src/engine/zab/node/zabNode.ts';
import { Simulation } from '../src/sim/simulation.ts';
import type { TraceLevel } from '../src/sim/trace/trace.ts';

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

export function runEnsembleThroughputBench(): void {
  console.log('## ensemble throughput: 5 servers, 20 writers, 60 s virtual (paced: 100 ms between a client\'s writes; closed loop: none)');
  for (const [label, level, thinkMs] of [['paced', 'off', 100], ['paced', 'hash', 100], ['closed', 'off', 0]] as const) {
    const f = ensembleThroughput(5, 20, 60, level, thinkMs);
    const perSec = f.events / (f.wallMs / 1000);
    const ratio = f.simMs / f.wallMs;
    console.log(
      `${label} loop, trace ${level.padEnd(4)}: ${fmt(f.events)} events in ${fmt(f.wallMs)} ms wall → ${fmt(perSec)} events/s (target 1,000,000: ${(perSec / 1e6).toFixed(2)}×); ` +
        `${fmt(f.ackedWrites)} acked writes → ${fmt(f.ackedWrites / (f.wallMs / 1000))}/s wall, ${fmt(f.ackedWrites / 60)}/s virtual; sim:real ${fmt(ratio)}× (target 2,000: ${(ratio / 2000).toFixed(2)}×)`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runEnsembleThroughputBench();
