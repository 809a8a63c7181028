import type { Effect } from '../../../sim/host/process.ts';
import type { EnsembleConfig } from '../config.ts';

/** What a role (leader, learner) may ask of the node that hosts it. */
export interface NodeContext {
  readonly myid: number;
  readonly cfg: EnsembleConfig;
  readonly voters: readonly number[];
  currentEpoch(): number;
  acceptedEpoch(): number;
  lastLoggedZxid(): number;
  lastProcessedZxid(): number;
  /** Writes acceptedEpoch durably, then updates it in memory, then runs `then` (ZK-2307 order). */
  persistAcceptedEpoch(epoch: number, out: Effect[], then: (out: Effect[]) => void): void;
  persistCurrentEpoch(epoch: number, out: Effect[], then: (out: Effect[]) => void): void;
  /**
   * Leader.lead starts with zk.loadData(), which takes a snapshot; the learner port opens only
   * after it. Runs `then` once the snapshot is durable.
   */
  takeSnapshot(out: Effect[], then: (out: Effect[]) => void): void;
  /** Records a protocol event in the trace. */
  trace(event: Record<string, unknown>, out: Effect[]): void;
  /** Ends the current role: the node goes LOOKING and starts a new election. */
  abandon(reason: string, out: Effect[]): void;
  /** The node's local time in ms. */
  nowMs(): number;
  /** A uniform integer in [min, max] from the node's own choice stream. */
  randomInt(min: number, max: number): number;
}

/** Quorum test over voters: more than half. */
export function isQuorum(voters: readonly number[], members: Iterable<number>): boolean {
  let n = 0;
  for (const sid of members) if (voters.includes(sid)) n++;
  return n * 2 > voters.length;
}
