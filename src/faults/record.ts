/**
 * What a run reports about each fault: when it fired, in which protocol phase, what its target
 * resolved to, and when it was undone — or that its trigger never fired (the scenario then did
 * not test what it claims). One record per firing; a fault that never fired has one record with
 * `fired: false`.
 */
import type { FaultKind, TargetSpec } from './spec.ts';

export interface FaultRecord {
  /** The fault's name in the scenario (swarm faults: `<swarm>.<i>`). */
  name: string;
  kind: FaultKind;
  /** The target as written (role-relative names such as `leader`), if the kind has one. */
  target?: TargetSpec;
  fired: boolean;
  /** Server or client ids the target resolved to when it fired. */
  resolvedTo: string[];
  /** Virtual time of the firing (ms), and of its undoing when it had a duration. */
  atMs?: number;
  endMs?: number;
  /** The ensemble's phase when it fired: election, discovery, sync-DIFF, broadcast, ... */
  phase?: string;
  /** The event that fired a `when` trigger, in words. */
  cause?: string;
  /** Set when the firing did nothing, with the reason (no leader yet, keepQuorum, ...). */
  skipped?: string;
  /** For a fault that never fired: why, in words. */
  reason?: string;
  detail?: Record<string, unknown>;
}
