import { EffectBoundary } from './host/effectBoundary.ts';
import { Scheduler, type StopReason } from './clock/scheduler.ts';
import { ProcessHost } from './host/host.ts';
import type { ProcessFactory } from './host/process.ts';
import { validateLatency, type LatencyModel } from './network/latency.ts';
import type { LinkConfig } from './network/links.ts';
import { Network } from './network/network.ts';
import { Choices } from './rng/choices.ts';
import type { Seed } from './rng/rng.ts';
import type { Tape } from './rng/tape.ts';
import { Trace, type TraceLevel, type TraceSink } from './trace/trace.ts';

/** Everything that shapes a simulation besides the processes it runs. */
export interface SimulationOptions {
  seed: Seed;
  /** Default for every directed link (per-link overrides via `sim.net.links.configure`). */
  link?: Partial<LinkConfig>;
  /** How long a connection attempt across a cut link waits before it fails. */
  connectTimeoutUs?: number;
  fsyncLatency?: LatencyModel;
  trace?: { level: TraceLevel; sink?: TraceSink };
  /** Record choices to a tape (default true) and/or replay a tape. */
  record?: boolean;
  replay?: Tape;
}

/**
 * Realistic defaults for a LAN ensemble: one-way latency 100–300 µs with little spread (a
 * heavy-tailed default makes the servers learn of a crash far apart, which real loopback/LAN
 * measurements do not show), ~1 ms fsync. Scenarios can pick any other latency model.
 */
export const DEFAULT_LINK: LinkConfig = {
  latency: { kind: 'uniform', minUs: 100, maxUs: 300 },
  lossPerMille: 0,
  duplicatePerMille: 0,
  reorderPerMille: 0,
};
export const DEFAULT_FSYNC_LATENCY: LatencyModel = { kind: 'uniform', minUs: 300, maxUs: 1500 };
export const DEFAULT_CONNECT_TIMEOUT_US = 5_000_000;

/** Receives `output` effects from processes. */
export type OutputListener = (node: string, value: unknown) => void;

/**
 * One deterministic world: a virtual clock, seeded choice streams, a trace, a network and a
 * set of process hosts. Everything observable is a function of the options and of the calls
 * made on it, in order.
 */
export class Simulation {
  readonly sched = new Scheduler();
  readonly choices: Choices;
  readonly trace: Trace;
  readonly net: Network;
  private readonly hosts = new Map<string, ProcessHost>();
  /** Fault actions triggered inside a process's effect run right after it. */
  readonly boundary = new EffectBoundary();
  private readonly fsyncLatency: LatencyModel;
  private outputListeners: OutputListener[] = [];
  /**
   * Per-simulation objects of higher layers (the client history collector), each under a key
   * of its owner's. They live here rather than in a module-level WeakMap: the young-generation
   * GC keeps a WeakMap entry's value alive until the next full GC, so every run registered
   * there would have its whole world copied by the scavenges of the runs after it.
   */
  private readonly extensions = new Map<symbol, unknown>();

  constructor(options: SimulationOptions) {
    this.choices = new Choices(options.seed, { record: options.record ?? true, ...(options.replay ? { replay: options.replay } : {}) });
    this.trace = new Trace(this.sched, options.trace?.level ?? 'hash', options.trace?.sink);
    this.net = new Network(this.sched, this.choices, this.trace, {
      defaultLink: { ...DEFAULT_LINK, ...options.link },
      connectTimeoutUs: options.connectTimeoutUs ?? DEFAULT_CONNECT_TIMEOUT_US,
    });
    this.fsyncLatency = validateLatency(options.fsyncLatency ?? DEFAULT_FSYNC_LATENCY);
  }

  /** Current virtual time in µs. */
  get nowUs(): number {
    return this.sched.nowUs();
  }

  /** Adds a process under `id` (not started: call `start` or `host(id).start()`). */
  addProcess(id: string, factory: ProcessFactory): ProcessHost {
    const host = new ProcessHost(id, factory, {
      sched: this.sched,
      net: this.net,
      trace: this.trace,
      nodeStream: this.choices.stream(`node/${id}`),
      diskStream: this.choices.stream(`disk/${id}`),
      fsyncLatency: this.fsyncLatency,
      boundary: this.boundary,
      onOutput: (node, value) => {
        for (const l of this.outputListeners) l(node, value);
      },
    });
    host.netIndex = this.net.register(id, host);
    this.hosts.set(id, host);
    return host;
  }

  host(id: string): ProcessHost {
    const h = this.hosts.get(id);
    if (h === undefined) throw new Error(`no process ${id}`);
    return h;
  }

  /** All hosts in the order they were added. */
  allHosts(): ProcessHost[] {
    return [...this.hosts.values()];
  }

  /** Subscribes to process outputs. */
  onOutput(listener: OutputListener): void {
    this.outputListeners.push(listener);
  }

  /** The object registered under `key` (see `extensions`), if any. */
  extension(key: symbol): unknown {
    return this.extensions.get(key);
  }

  /** Registers `value` under `key`; a key registers once. */
  setExtension(key: symbol, value: unknown): void {
    if (this.extensions.has(key)) throw new Error('extension already registered on this simulation');
    this.extensions.set(key, value);
  }

  /** Schedules a harness action at an absolute virtual time (faults, workload steps). */
  at(timeUs: number, action: () => void): void {
    this.sched.at(timeUs, action);
  }

  runUntil(timeUs: number, maxEvents?: number): StopReason {
    return this.sched.runUntil(timeUs, maxEvents);
  }

  runFor(durationUs: number, maxEvents?: number): StopReason {
    return this.sched.runUntil(this.sched.nowUs() + durationUs, maxEvents);
  }

  runUntilQuiescent(maxEvents?: number): StopReason {
    return this.sched.runUntilQuiescent(maxEvents);
  }

  step(): boolean {
    return this.sched.step();
  }

  /** Flushes and closes the trace; returns the run's identifying hashes. */
  finish(): { traceHash: string; historyHash: string; events: number; simTimeUs: number } {
    this.trace.close();
    return { traceHash: this.trace.traceHash(), historyHash: this.trace.historyHash(), events: this.trace.count, simTimeUs: this.sched.nowUs() };
  }
}
