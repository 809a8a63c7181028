import type { DiskImage } from '../disk/disk.ts';
import type { DisconnectReason } from '../network/connection.ts';
import type { ChoiceStream } from '../rng/choices.ts';

/** A process-chosen timer name; setting the same id again replaces the timer. */
export type TimerId = string | number;

/**
 * Everything that can happen to a simulated process. The process never performs I/O itself:
 * it reacts to one input at a time and answers with effects.
 */
export type ProcessInput =
  /** First input of every incarnation: the durable disk contents (empty on a fresh start). */
  | { kind: 'start'; disk: DiskImage; restart: boolean }
  /** A peer connected to us. */
  | { kind: 'accepted'; conn: number; peer: string }
  /** A connection we asked for (with `tag`) is open. */
  | { kind: 'connected'; conn: number; peer: string; tag: string }
  | { kind: 'connectFailed'; conn: number; peer: string; tag: string; reason: 'refused' | 'timeout' }
  | { kind: 'message'; conn: number; peer: string; msg: unknown }
  /** The connection broke (peer closed, reset, crash of the peer); what was in flight is lost. */
  | { kind: 'disconnected'; conn: number; peer: string; reason: DisconnectReason }
  | { kind: 'timer'; id: TimerId }
  /** An fsync we issued completed: the writes before it are durable. */
  | { kind: 'fsynced'; id: number | string; file: string }
  /** A request from the harness (a workload asking a client to do something, an admin command). */
  | { kind: 'command'; command: unknown };

/**
 * What a process asks the host to do, applied in order. Ordering rule: a process that must not
 * send before a write is durable waits for the `fsynced` input; writes themselves are instant
 * (they reach the OS) and only an fsync makes them survive a crash.
 */
export type Effect =
  | { kind: 'send'; conn: number; msg: unknown }
  | { kind: 'connect'; to: string; tag: string }
  | { kind: 'close'; conn: number }
  | { kind: 'setTimer'; id: TimerId; afterUs: number }
  | { kind: 'cancelTimer'; id: TimerId }
  | { kind: 'append'; file: string; bytes: Uint8Array }
  /** Atomic whole-file replacement (write temp, rename), durable after an fsync of that file. */
  | { kind: 'replace'; file: string; bytes: Uint8Array }
  | { kind: 'truncate'; file: string; length: number }
  | { kind: 'deleteFile'; file: string }
  | { kind: 'fsync'; file: string; id: number | string }
  /** A protocol event for the trace (role change, phase, message handled). */
  | { kind: 'trace'; event: unknown }
  /** A value for the harness (e.g. a client operation completing). */
  | { kind: 'output'; value: unknown };

/** Read-only context for one step: local time (skewed if the node's clock is), and the node's choices. */
export interface StepContext {
  readonly id: string;
  readonly nowUs: number;
  readonly rng: ChoiceStream;
  /**
   * False when nothing reads trace events (trace off, no listener): a process may then push
   * {@link UNTRACED} instead of building an event nobody sees. Absent means true.
   */
  readonly traced?: boolean;
  /**
   * An empty list the host lends for this step's effects: a process may push onto it and return
   * it rather than allocate its own (every event of a run is a step). Only valid during the
   * step; absent when the host has none to lend (a step inside another step of the same node).
   */
  readonly out?: Effect[];
}

/**
 * A trace effect standing for an event the process did not build because the run does not read
 * its trace (`StepContext.traced` false). The host only counts it, as it would have counted the
 * event, so event counts and indices are the same either way. Shared: it carries nothing.
 */
export const UNTRACED: Effect = Object.freeze({ kind: 'trace', event: null });

/** A simulated process: a state machine. Crashing it means dropping the object. */
export interface SimProcess {
  step(input: ProcessInput, ctx: StepContext): readonly Effect[];
}

/** Builds a fresh incarnation of a process (at first start and at every restart). */
export type ProcessFactory = (id: string) => SimProcess;
