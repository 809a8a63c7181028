/**
 * Kernel throughput: N nodes bounce messages over the simulated network with random latencies.
 * The process does almost nothing, so the figure is the kernel's own cost per event (event
 * queue, network pipes, latency draws, host dispatch, tracing).
 */
import { pathToFileURL } from 'node:url';
import type { Effect, ProcessInput, SimProcess, StepContext } from '../src/sim/host/process.ts';
import { Simulation } from '../src/sim/simulation.ts';
import type { TraceLevel } from '../src/sim/trace/trace.ts';

/** Every node connects to all others, then forwards each message it gets to a random peer. */
class Bouncer implements SimProcess {
  private conns: number[] = [];
  constructor(private readonly peers: readonly string[], private readonly inFlight: number) {}
  step(input: ProcessInput, ctx: StepContext): readonly Effect[] {
    switch (input.kind) {
      case 'start':
        return this.peers.filter((p) => p > ctx.id).map((p) => ({ kind: 'connect', to: p, tag: p }) as Effect);
      case 'accepted':
      case 'connected': {
        this.conns.push(input.conn);
        const out: Effect[] = [];
        for (let i = 0; i < this.inFlight; i++) out.push({ kind: 'send', conn: input.conn, msg: i });
        return out;
      }
      case 'message':
        return [{ kind: 'send', conn: this.conns[ctx.rng.int(this.conns.length)]!, msg: input.msg }];
      default:
        return [];
    }
  }
}

/** Runs the kernel bench for one trace level; returns events per wall second. */
export function kernelThroughput(nodes: number, simSeconds: number, level: TraceLevel): { events: number; wallMs: number; perSec: number } {
  const peers = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const sim = new Simulation({ seed: 42, trace: { level }, record: false });
  for (const p of peers) sim.addProcess(p, () => new Bouncer(peers, 4));
  for (const p of peers) sim.host(p).start();
  const t0 = performance.now();
  sim.runUntil(simSeconds * 1_000_000);
  const wallMs = performance.now() - t0;
  const events = sim.sched.firedCount;
  return { events, wallMs, perSec: (events / wallMs) * 1000 };
}

/** Prints the kernel figures. */
export function runKernelBench(): void {
  console.log('## kernel throughput (5 nodes, random latencies, 4 messages in flight per connection)');
  for (const level of ['off', 'hash'] as const) {
    kernelThroughput(5, 2, level); // warm-up
    const r = kernelThroughput(5, 20, level);
    const target = 2_000_000;
    console.log(
      `trace=${level.padEnd(4)} events=${r.events} wall=${r.wallMs.toFixed(0)} ms  ${Math.round(r.perSec).toLocaleString('en-US')} events/s  (target ${target.toLocaleString('en-US')}: ${(r.perSec / target).toFixed(2)}x)`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runKernelBench();
