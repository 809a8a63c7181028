/**
 * Collects the client history of a run. Clients report invokes and completions as `output`
 * effects without a time (their local clocks may be skewed); this collector stamps each with
 * global simulated time, numbers it, keeps it as a Jepsen {@link HistoryOp}, and records it in
 * the trace as an `invoke` / `complete` event so the run's `historyHash` covers it:
 * invoke data `[process, f, value]`, complete data `[process, type, f, value, error]`.
 *
 * A system that runs clients creates one collector right after creating its simulation (before
 * any process runs), and reads `ops` when the run is over.
 */
import type { HistoryOp } from '../checker/history/op.ts';
import type { Simulation } from '../sim/simulation.ts';
import { type ClientOutput, isHistoryOutput } from './clientOutput.ts';

/** Receives every client output, history or not, with the node and global time. */
export type ClientOutputListener = (node: string, output: ClientOutput, timeUs: number) => void;

/** The history of every client in one simulation. */
export class ClientHistory {
  readonly ops: HistoryOp[] = [];
  private listeners: ClientOutputListener[] = [];

  constructor(private readonly sim: Simulation) {
    sim.onOutput((node, value) => this.onOutput(node, value));
  }

  /** Subscribes to client outputs (history ops after they are recorded, events, states). */
  listen(listener: ClientOutputListener): void {
    this.listeners.push(listener);
  }

  private onOutput(node: string, value: unknown): void {
    if (typeof value !== 'object' || value === null || !('type' in value)) return;
    const out = value as ClientOutput;
    const timeUs = this.sim.nowUs;
    if (isHistoryOutput(out)) {
      const { type, process, f, value: v, ...extra } = out;
      const op: HistoryOp = { index: this.ops.length, type, process, f, value: v, time: timeUs };
      for (const [k, x] of Object.entries(extra)) if (x !== undefined) op[k] = x;
      this.ops.push(op);
      if (type === 'invoke') this.sim.trace.recordHistory('invoke', node, [process, f, v]);
      else this.sim.trace.recordHistory('complete', node, [process, type, f, v, 'error' in out ? (out.error ?? null) : null]);
    }
    for (const l of this.listeners) l(node, out, timeUs);
  }
}
