/**
 * What a fault action may touch when it fires, and what it reports back. Actions are small
 * functions, one module per family; the injector decides when they run and records them.
 */
import type { Simulation } from '../sim/simulation.ts';
import type { TargetMemory, TargetWorld } from './targets.ts';
import { quorumSize } from './targets.ts';

/** The world of a firing fault: the simulation plus everything targets resolve against. */
export interface FaultWorld extends TargetWorld {
  sim: Simulation;
  /** Refuse faults that would leave fewer than a quorum of participants running and reachable. */
  keepQuorum: boolean;
}

/** The outcome of one firing. */
export interface Applied {
  /** Nodes the fault acted on. */
  resolvedTo: string[];
  /** Set when the fault did nothing, saying why (no leader yet, quorum would be lost, ...). */
  skipped?: string;
  /** Extra facts for the trace and report (partition groups, a drawn down time, ...). */
  detail?: Record<string, unknown>;
  /** Undoes the fault (run by the injector `durationUs` later). */
  revert?: () => void;
}

/** An action implementation. */
export type ActionFn<A> = (w: FaultWorld, action: A, mem: TargetMemory) => Applied;

/** A firing that did nothing. */
export function skipped(reason: string, resolvedTo: string[] = []): Applied {
  return { resolvedTo, skipped: reason };
}

/**
 * With keepQuorum, whether taking `removing` out still leaves a quorum of participants running
 * and unpaused; returns the reason to skip, or undefined when the fault may go ahead.
 */
export function quorumGuard(w: FaultWorld, removing: readonly string[]): string | undefined {
  if (!w.keepQuorum) return undefined;
  const p = w.roles.participants();
  const left = p.filter((s) => w.isUp(s) && !w.isPaused(s) && !removing.includes(s)).length;
  const need = quorumSize(p.length);
  return left < need ? `keepQuorum: only ${left} of ${p.length} participants would remain (a quorum is ${need})` : undefined;
}
