import { assert } from '../../assert.ts';
import { formatZxid, makeZxid, zxidEpoch } from '../../zxid.ts';

/** Anything proposable: the tracker only needs its zxid. */
export interface Proposable {
  zxid: number;
}

interface Outstanding<T extends Proposable> {
  item: T;
  /** Voters that acked, each once (a handful of sids: an array is cheaper than a Set per proposal). */
  acks: number[];
}

/**
 * The leader's view of its proposals (Leader.outstandingProposals + tryToCommit). A proposal
 * commits once a quorum of voters (the leader's own ack included, observers never) acked it
 * **and** the proposal before it has committed: commits are strictly in zxid order. The
 * epoch's NEWLEADER point (zxid epoch<<32) is tracked like a proposal, so nothing of the epoch
 * commits before a quorum acked NEWLEADER.
 */
export class ProposalTracker<T extends Proposable> {
  private readonly outstanding = new Map<number, Outstanding<T>>();
  private lastProposedZxid: number;
  /** The epoch's NEWLEADER point, zxid epoch<<32 (a zxid above 2^31 is a heap number: built once). */
  private readonly newLeaderZxid: number;
  /** Highest committed zxid (starts at the epoch's NEWLEADER point minus nothing committed). */
  lastCommittedZxid: number;

  constructor(
    readonly epoch: number,
    private readonly voters: readonly number[],
    lastCommittedZxid: number,
    /** Mutation `commit-after-one-ack`: any single ack commits. */
    private readonly oneAckCommits = false,
  ) {
    this.newLeaderZxid = makeZxid(epoch, 0);
    this.lastProposedZxid = this.newLeaderZxid;
    this.lastCommittedZxid = lastCommittedZxid;
  }

  /** Registers the NEWLEADER point itself, which must be acked by a quorum before any commit. */
  proposeNewLeader(newLeader: T): void {
    assert(newLeader.zxid === this.newLeaderZxid, () => `NEWLEADER zxid must be ${formatZxid(this.newLeaderZxid)}`);
    this.outstanding.set(newLeader.zxid, { item: newLeader, acks: [] });
  }

  /** Registers a new proposal; zxids must be the next counter of this epoch. */
  propose(item: T): void {
    assert(zxidEpoch(item.zxid) === this.epoch, () => `leader of epoch ${this.epoch} proposed ${formatZxid(item.zxid)} outside its epoch`);
    assert(item.zxid === this.lastProposedZxid + 1, () => `proposal ${formatZxid(item.zxid)} does not follow ${formatZxid(this.lastProposedZxid)}`);
    this.lastProposedZxid = item.zxid;
    this.outstanding.set(item.zxid, { item, acks: [] });
  }

  /** The zxid the next proposal must have. */
  get nextZxid(): number {
    return this.lastProposedZxid + 1;
  }

  /**
   * Records `sid`'s ack of `zxid` and returns everything that commits as a result, in order.
   * Acks for committed or unknown zxids are ignored (ZooKeeper logs and drops them).
   */
  ack(sid: number, zxid: number): T[] {
    if (zxid <= this.lastCommittedZxid && zxid !== this.newLeaderZxid) return [];
    const p = this.outstanding.get(zxid);
    if (p === undefined) return [];
    if (this.voters.includes(sid) && !p.acks.includes(sid)) p.acks.push(sid);
    const committed: T[] = [];
    let z = zxid;
    while (this.tryToCommit(z, committed)) z++;
    return committed;
  }

  private tryToCommit(zxid: number, out: T[]): boolean {
    const p = this.outstanding.get(zxid);
    if (p === undefined) return false;
    if (this.outstanding.has(zxid - 1)) return false;
    if (this.oneAckCommits ? p.acks.length === 0 : p.acks.length * 2 <= this.voters.length) return false;
    this.outstanding.delete(zxid);
    if (zxid !== this.newLeaderZxid) {
      assert(zxid > this.lastCommittedZxid, () => `commit of ${formatZxid(zxid)} after ${formatZxid(this.lastCommittedZxid)}`);
      this.lastCommittedZxid = zxid;
      out.push(p.item);
    } else {
      out.push(p.item);
    }
    return true;
  }

  /** True once NEWLEADER has its quorum (the epoch is established). */
  get established(): boolean {
    return !this.outstanding.has(this.newLeaderZxid);
  }

  /** Uncommitted proposals after `zxid`, in order (startForwarding for a syncing learner). */
  outstandingAfter(zxid: number): T[] {
    return [...this.outstanding.values()].map((p) => p.item).filter((i) => i.zxid > zxid && i.zxid !== this.newLeaderZxid).sort((a, b) => a.zxid - b.zxid);
  }

  /** Number of proposals waiting for a quorum. */
  get pendingCount(): number {
    return this.outstanding.size;
  }

  /** The oldest uncommitted proposal (syncLimit checks learners against it). */
  oldestPending(): T | undefined {
    let oldest: T | undefined;
    for (const p of this.outstanding.values()) if (oldest === undefined || p.item.zxid < oldest.zxid) oldest = p.item;
    return oldest;
  }
}
