/**
 * A small world for client tests: one standalone server process (`zk`), client processes
 * speaking to it over the simulated network, every output collected per node, and helpers to
 * send commands and run virtual time.
 */
import type { HistoryOp } from '../../src/checker/history/op.ts';
import type { ClientOutput, CompletionOutput, EventOutput, StateOutput } from '../../src/client/clientOutput.ts';
import type { ClientCommand } from '../../src/client/commands.ts';
import { ClientHistory } from '../../src/client/history.ts';
import { ZkClient, type ZkClientOptions } from '../../src/client/zkClient.ts';
import { StandaloneProcess } from '../../src/engine/server/standaloneProcess.ts';
import type { StandaloneServer } from '../../src/engine/server/standaloneServer.ts';
import type { SimProcess } from '../../src/sim/host/process.ts';
import { Simulation } from '../../src/sim/simulation.ts';

export const MS = 1000;
export const SECOND = 1_000_000;

/** A world with one standalone server `zk` (tickTime 2000 ms unless given). */
export class World {
  readonly sim: Simulation;
  readonly history: ClientHistory;
  readonly outputs = new Map<string, ClientOutput[]>();
  /** Every output with its node and global time, in order. */
  readonly timed: { node: string; out: ClientOutput; timeUs: number }[] = [];
  private nextProcess = 0;

  constructor(seed: number | string = 1, options: { tickTimeMs?: number; serverIds?: string[] } = {}) {
    this.sim = new Simulation({ seed });
    this.history = ClientHistory.of(this.sim);
    this.history.listen((node, out, timeUs) => {
      this.timed.push({ node, out, timeUs });
      const list = this.outputs.get(node) ?? [];
      list.push(out);
      this.outputs.set(node, list);
    });
    for (const id of options.serverIds ?? ['zk']) {
      this.sim.addProcess(id, () => new StandaloneProcess({ tickTimeMs: options.tickTimeMs ?? 2000 }));
      this.sim.host(id).start();
    }
  }

  /** Adds and starts a client (servers default to `zk`). */
  client(id: string, options: Partial<ZkClientOptions> = {}): string {
    const full: ZkClientOptions = { servers: 'zk', sessionTimeoutMs: 10_000, process: this.nextProcess++, processStride: 100, ...options };
    this.sim.addProcess(id, () => new ZkClient(full));
    this.sim.host(id).start();
    return id;
  }

  /** Adds and starts an arbitrary process (a scripted fake server). */
  process(id: string, make: () => SimProcess): void {
    this.sim.addProcess(id, make);
    this.sim.host(id).start();
  }

  /** The standalone core behind `zk`. */
  server(id = 'zk'): StandaloneServer {
    const core = (this.sim.host(id).instance as StandaloneProcess | undefined)?.core;
    if (core === undefined) throw new Error(`${id} is not running`);
    return core;
  }

  /** The running client object. */
  clientObject(id: string): ZkClient {
    return this.sim.host(id).instance as ZkClient;
  }

  cmd(client: string, command: ClientCommand): void {
    this.sim.host(client).command(command);
  }

  /** Runs virtual time forward. */
  run(us: number): void {
    this.sim.runFor(us);
  }

  all(client: string): ClientOutput[] {
    return this.outputs.get(client) ?? [];
  }

  completions(client: string): CompletionOutput[] {
    return this.all(client).filter((o): o is CompletionOutput => o.type === 'ok' || o.type === 'fail' || o.type === 'info');
  }

  /** The last completion of `client`. */
  last(client: string): CompletionOutput {
    const list = this.completions(client);
    const c = list[list.length - 1];
    if (c === undefined) throw new Error(`${client} completed nothing`);
    return c;
  }

  events(client: string): EventOutput['event'][] {
    return this.all(client).flatMap((o) => (o.type === 'event' ? [o.event] : []));
  }

  states(client: string): Pick<StateOutput, 'state' | 'session' | 'reason'>[] {
    return this.all(client).flatMap((o) => (o.type === 'state' ? [{ state: o.state, session: o.session, ...(o.reason ? { reason: o.reason } : {}) }] : []));
  }

  /** Sends a command and runs until it completes (or `limitUs` passes); returns the completion. */
  call(client: string, command: ClientCommand, limitUs = 30 * SECOND): CompletionOutput {
    const before = this.completions(client).length;
    this.cmd(client, command);
    const end = this.sim.nowUs + limitUs;
    while (this.completions(client).length === before && this.sim.nowUs < end) this.sim.runFor(MS);
    const done = this.completions(client)[before];
    if (done === undefined) throw new Error(`${client}: ${command.f} did not complete within ${limitUs} µs`);
    return done;
  }

  ops(): HistoryOp[] {
    return this.history.ops;
  }
}
