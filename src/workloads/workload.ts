/**
 * The contract between a system (which owns the servers and the client processes) and a
 * workload (which decides what the clients do and checks what only it can check, such as a
 * lock recipe's mutual exclusion). A workload never touches servers; it talks to clients by
 * commands and hears back through their outputs, all on the simulation's virtual clock and the
 * `workload` choice stream, so it is as deterministic as the rest of the run.
 */
import type { HistoryOp } from '../checker/history/op.ts';
import type { ClientCommand } from '../client/commands.ts';
import type { ClientOutput } from '../client/clientOutput.ts';
import type { ChoiceStream } from '../sim/rng/choices.ts';
import type { Violation } from '../checker/verdict.ts';

/** What a workload may use while it runs. */
export interface WorkloadContext {
  /** Client process ids (`c1`…), in Jepsen process order. */
  readonly clients: readonly string[];
  /** The workload's own seeded stream. */
  readonly rng: ChoiceStream;
  /** Current virtual time (µs). */
  nowUs(): number;
  /** Runs `action` at virtual time `atUs` (≥ now). */
  at(atUs: number, action: () => void): void;
  /** Sends a command to a client (ignored while that client's process is down). */
  send(client: string, command: ClientCommand): void;
  /** Every client output (history ops, watch events, state changes), stamped with global time. */
  onOutput(listener: (client: string, output: ClientOutput, timeUs: number) => void): void;
  /** Virtual time (µs) at which the workload should stop issuing new operations. */
  readonly stopAtUs: number;
}

/** One check a workload makes about its own recipe (besides the generic history checkers). */
export interface WorkloadCheck {
  name: string;
  verdict: 'ok' | 'illegal' | 'unknown';
  violations: Violation[];
}

/** A workload in progress. */
export interface RunningWorkload {
  /** Called once the run is over, with the whole client history. */
  finish(history: readonly HistoryOp[]): WorkloadCheck[];
  /** Which linearizability model (src/checker/linearizability/models) fits its history, if any. */
  readonly model?: string;
}

/** A named workload kind, selectable from a scenario's `workload.kind`. */
export interface WorkloadDefinition<P = unknown> {
  readonly name: string;
  /** Validates and defaults the scenario's `workload` parameters (throws a zod error when invalid). */
  parseParams(raw: unknown): P;
  start(ctx: WorkloadContext, params: P): RunningWorkload;
}
