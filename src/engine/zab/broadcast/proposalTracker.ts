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
 *
 * Proposals take consecutive zxids and commit oldest first, so the outstanding ones are always
 * a run of consecutive zxids: a queue indexed by distance from the oldest, not a Map keyed by
 * zxid (a zxid is a heap number, slow to hash, and the leader looks up several per ack).
 */
export class ProposalTracker<T extends Proposable> {
  /** Outstanding proposals, oldest (zxid `firstZxid`) at `head`; slots before `head` are spent. */
  private queue: Outstanding<T>[] = [];
  private head = 0;
  private firstZxid = 0;
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
    assert(this.pendingCount === 0 && this.lastProposedZxid === this.newLeaderZxid, 'NEWLEADER is registered before any proposal');
    this.enqueue(newLeader);
  }

  /** Registers a new proposal; zxids must be the next counter of this epoch. */
  propose(item: T): void {
    assert(zxidEpoch(item.zxid) === this.epoch, () => `leader of epoch ${this.epoch} proposed ${formatZxid(item.zxid)} outside its epoch`);
    assert(item.zxid === this.lastProposedZxid + 1, () => `proposal ${formatZxid(item.zxid)} does not follow ${formatZxid(this.lastProposedZxid)}`);
    this.lastProposedZxid = item.zxid;
    this.enqueue(item);
  }

  private enqueue(item: T): void {
    if (this.pendingCount === 0) {
      // Empty: start over at the front (the array keeps its room).
      this.queue.length = 0;
      this.head = 0;
      this.firstZxid = item.zxid;
    }
    this.queue.push({ item, acks: [] });
  }

  /** The outstanding proposal with `zxid`, if any. */
  private find(zxid: number): Outstanding<T> | undefined {
    const i = zxid - this.firstZxid;
    return i >= 0 && i < this.queue.length - this.head ? this.queue[this.head + i] : undefined;
  }

  /** The zxid the next proposal must have. */
  get nextZxid(): number {
    return this.lastProposedZxid + 1;
  }

  /**
   * Records `sid`'s ack of `zxid` and returns everything that commits as a result, in order.
   * Acks for committed or unknown zxids are ignored (ZooKeeper logs and drops them).
   */
  ack(sid: number, zxid: number): readonly T[] {
    if (zxid <= this.lastCommittedZxid && zxid !== this.newLeaderZxid) return NONE;
    const p = this.find(zxid);
    if (p === undefined) return NONE;
    if (this.voters.includes(sid) && !p.acks.includes(sid)) p.acks.push(sid);
    // Only the oldest outstanding proposal can commit; it takes every quorum-acked one after it.
    if (zxid !== this.firstZxid || !this.hasQuorum(p)) return NONE;
    const committed: T[] = [];
    while (this.pendingCount > 0 && this.hasQuorum(this.queue[this.head]!)) committed.push(this.commitOldest());
    return committed;
  }

  private hasQuorum(p: Outstanding<T>): boolean {
    return this.oneAckCommits ? p.acks.length > 0 : p.acks.length * 2 > this.voters.length;
  }

  private commitOldest(): T {
    const p = this.queue[this.head]!;
    this.queue[this.head] = undefined as unknown as Outstanding<T>;
    this.head++;
    // Under steady load the queue is never empty: drop the spent front now and then.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    const zxid = this.firstZxid++;
    if (zxid !== this.newLeaderZxid) {
      assert(zxid > this.lastCommittedZxid, () => `commit of ${formatZxid(zxid)} after ${formatZxid(this.lastCommittedZxid)}`);
      this.lastCommittedZxid = zxid;
    }
    return p.item;
  }

  /** True once NEWLEADER has its quorum (the epoch is established). */
  get established(): boolean {
    return this.pendingCount === 0 || this.firstZxid !== this.newLeaderZxid;
  }

  /** Uncommitted proposals after `zxid`, in order (startForwarding for a syncing learner). */
  outstandingAfter(zxid: number): T[] {
    const out: T[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const item = this.queue[i]!.item;
      if (item.zxid > zxid && item.zxid !== this.newLeaderZxid) out.push(item);
    }
    return out;
  }

  /** Number of proposals waiting for a quorum. */
  get pendingCount(): number {
    return this.queue.length - this.head;
  }

  /** The oldest uncommitted proposal (syncLimit checks learners against it). */
  oldestPending(): T | undefined {
    return this.pendingCount > 0 ? this.queue[this.head]!.item : undefined;
  }
}

/**
 * What an ack that commits nothing returns (shared: callers only read it). Not frozen: V8
 * iterates a frozen array through the generic iterator, allocating at every step.
 */
const NONE: readonly never[] = [];
