/**
 * Collects the client history of a run. Clients report invokes and completions as `output`
 * effects without a time (their local clocks may be skewed); this collector stamps each with
 * global simulated time, numbers it, keeps it as a Jepsen {@link HistoryOp}, and records it in
 * the trace as an `invoke` / `complete` event so the run's `historyHash` covers it:
 * invoke data `[process, f, value]`, complete data `[process, type, f, value, error]`.
 *
 * There is one collector per simulation (`ClientHistory.of(sim)`), so a system and a test
 * watching the same run share it and each op is recorded once. Get it before any client runs.
 */
import type { HistoryOp } from '../checker/history/op.ts';
import type { Simulation } from '../sim/simulation.ts';
import { type ClientOutput, type CompletionOutput, type InvokeOutput, isHistoryOutput } from './clientOutput.ts';

/** Receives every client output, history or not, with the node and global time. */
export type ClientOutputListener = (node: string, output: ClientOutput, timeUs: number) => void;

/** The key of a simulation's collector (Simulation.extension). */
const COLLECTOR = Symbol('ClientHistory');

/** The history of every client in one simulation. */
export class ClientHistory {
  readonly ops: HistoryOp[] = [];
  private listeners: ClientOutputListener[] = [];
  /** Only the first collector of a simulation writes to its trace. */
  private readonly recordsTrace: boolean;

  /** The collector of `sim`, created on first use. */
  static of(sim: Simulation): ClientHistory {
    return (sim.extension(COLLECTOR) as ClientHistory | undefined) ?? new ClientHistory(sim);
  }

  /** Prefer `of`; a second collector on one simulation sees the same ops but does not trace them again. */
  constructor(private readonly sim: Simulation) {
    this.recordsTrace = sim.extension(COLLECTOR) === undefined;
    if (this.recordsTrace) sim.setExtension(COLLECTOR, this);
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
      const op: HistoryOp = { index: this.ops.length, type: out.type, process: out.process, f: out.f, value: out.value, time: timeUs };
      // The extra fields, in the output's own key order (history files list them so). A for-in
      // rather than rest destructuring plus Object.entries: this runs for every op, and those
      // built two throwaway objects and an array of pairs each time.
      for (const k in out) {
        if (k === 'type' || k === 'process' || k === 'f' || k === 'value') continue;
        const x = (out as unknown as Record<string, unknown>)[k];
        if (x === undefined) continue;
        // The client's own fields by name: a store under a key that changes from one iteration
        // to the next is a slow generic store, and every op has two to five of these.
        if (k === 'client') op.client = x;
        else if (k === 'session') op.session = x;
        else if (k === 'error') op.error = x;
        else if (k === 'zxid') op.zxid = x;
        else if (k === 'server') op.server = x;
        else op[k] = x;
      }
      this.ops.push(op);
      if (this.recordsTrace) this.trace(node, out);
    }
    for (const l of this.listeners) l(node, out, timeUs);
  }

  private trace(node: string, out: InvokeOutput | CompletionOutput): void {
    // Two events per op: with the trace off and nobody listening, only count them.
    if (!this.sim.trace.wanted) return this.sim.trace.skip();
    if (out.type === 'invoke') this.sim.trace.recordHistory('invoke', node, [out.process, out.f, out.value]);
    else this.sim.trace.recordHistory('complete', node, [out.process, out.type, out.f, out.value, out.error ?? null]);
  }
}
