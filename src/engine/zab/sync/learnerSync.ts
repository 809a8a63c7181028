/**
 * What a learner collects between the first sync packet and UPTODATE (Learner.syncWithLeader):
 * the sync mode, the leader's snapshot for SNAP, the proposals in order and which of them the
 * leader said were committed. At NEWLEADER the learner makes all of it durable before it acks;
 * it applies the committed prefix only after UPTODATE.
 *
 * ZooKeeper applies the commits of a SNAP/TRUNC sync in memory and snapshots at NEWLEADER; we
 * log them like a DIFF's instead (docs/deviations.md): the same txns end up durable before the
 * ACK, and one code path covers all three modes.
 */
import type { DatabaseSnapshot } from '../../db/zkDatabase.ts';
import type { Txn } from '../../request/txn.ts';
import { formatZxid, zxidCounter } from '../../zxid.ts';
import type { SyncMode } from './syncPlan.ts';

export class LearnerSync {
  mode: SyncMode | undefined;
  snapshot: DatabaseSnapshot | undefined;
  readonly proposals: Txn[] = [];
  private readonly committed = new Set<number>();
  /** Problems that ZooKeeper only logs (a COMMIT for something never proposed, a gap). */
  readonly warnings: string[] = [];

  start(mode: SyncMode, snapshot?: DatabaseSnapshot): void {
    this.mode = mode;
    this.snapshot = snapshot;
  }

  /** A PROPOSAL during sync; enforceContinuousProposal only warns on a gap. */
  propose(txn: Txn): void {
    const last = this.proposals[this.proposals.length - 1];
    if (last !== undefined && txn.zxid !== last.zxid + 1 && zxidCounter(txn.zxid) !== 1) {
      this.warnings.push(`proposal ${formatZxid(txn.zxid)} does not follow ${formatZxid(last.zxid)}`);
    }
    this.proposals.push(txn);
  }

  /** A COMMIT during sync. */
  commit(zxid: number): void {
    if (!this.proposals.some((t) => t.zxid === zxid)) {
      this.warnings.push(`Committing ${formatZxid(zxid)}, but it was never proposed`);
      return;
    }
    this.committed.add(zxid);
  }

  /** Committed proposals, in zxid order: the prefix the learner applies after UPTODATE. */
  committedTxns(): Txn[] {
    return this.proposals.filter((t) => this.committed.has(t.zxid));
  }

  /** Proposals still waiting for their COMMIT after NEWLEADER. */
  uncommittedTxns(): Txn[] {
    return this.proposals.filter((t) => !this.committed.has(t.zxid));
  }
}
