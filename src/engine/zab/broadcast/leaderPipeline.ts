/**
 * The leader's write path (PrepRequestProcessor → ProposalRequestProcessor → Leader.propose /
 * processAck / tryToCommit): every write, failed ones included, is prepped into a txn with the
 * next zxid of the epoch, sent as PROPOSAL to every forwarding follower, logged locally (the
 * leader's own ACK comes only once its log is durable), and committed on a quorum strictly in
 * zxid order — COMMIT to followers, INFORM (the whole txn) to observers, then applied locally.
 */
import { UNTRACED, type Effect } from '../../../sim/host/process.ts';
import { ChangeRecords } from '../../request/changeRecords.ts';
import { type PrepContext, prepCloseSession, prepCreateSession, prepDeleteContainer, prepWrite } from '../../request/prep.ts';
import type { Txn } from '../../request/txn.ts';
import type { WriteRequest } from '../../request/types.ts';
import type { DataTree } from '../../tree/dataTree.ts';
import { ErrorCode } from '../../tree/errors.ts';
import { makeZxid } from '../../zxid.ts';
import type { QuorumPacket } from '../messages.ts';
import { txnDigest } from '../replica/txnDigest.ts';
import { ProposalTracker } from './proposalTracker.ts';
import type { ZabProtoEvent } from '../protoEvent.ts';

/** What the leader asks to have written into the log. */
export type LeaderRequest =
  | { op: 'write'; request: WriteRequest }
  | { op: 'createSession'; timeoutMs: number }
  | { op: 'closeSession' }
  | { op: 'deleteContainer'; path: string };

/** A learner as the broadcast sees it. */
export interface BroadcastTarget {
  conn: number;
  sid: number;
  observer: boolean;
}

/** What the pipeline needs from the leader that hosts it. */
export interface PipelineHost {
  readonly myid: number;
  /** Learners receiving broadcast traffic (synced, or syncing after startForwarding); iterate at once. */
  forwardingLearners(): readonly BroadcastTarget[];
  /** Logs txns locally; the host reports durability through `onLocalDurable`. */
  logTxns(txns: Txn[], out: Effect[]): void;
  /** Applies a committed txn locally (FinalRequestProcessor: tree, watches, replies). */
  applyCommitted(txn: Txn, out: Effect[]): void;
  /** Is this session alive and not closing (the leader's session tracker)? */
  sessionActive(sessionId: number): boolean;
  trace(event: ZabProtoEvent, out: Effect[]): void;
  /** Whether trace events are read this step; per-txn events are skipped (UNTRACED) when not. */
  traced(): boolean;
}

/** A sync waiting for every proposal before it to commit (Leader.processSync). */
interface PendingSync {
  afterZxid: number;
  done: (out: Effect[]) => void;
}

export class LeaderPipeline {
  readonly tracker: ProposalTracker<Txn>;
  private readonly changes: ChangeRecords;
  private selfAckedUpTo: number;
  private proposed: Txn[] = [];
  private syncs: PendingSync[] = [];

  constructor(
    private readonly host: PipelineHost,
    readonly epoch: number,
    voters: readonly number[],
    tree: DataTree,
    lastCommittedZxid: number,
    oneAckCommits = false,
  ) {
    this.tracker = new ProposalTracker<Txn>(epoch, voters, lastCommittedZxid, oneAckCommits);
    this.changes = new ChangeRecords(tree);
    this.selfAckedUpTo = makeZxid(epoch, 0);
  }

  /** Preps and proposes one request; returns the txn (its zxid identifies it). */
  submit(sessionId: number, cxid: number, req: LeaderRequest, timeMs: number, out: Effect[]): Txn {
    const ctx: PrepContext = { changes: this.changes, sessionId, cxid, zxid: this.tracker.nextZxid, timeMs };
    let txn: Txn;
    if (req.op === 'createSession') txn = prepCreateSession(req.timeoutMs, ctx);
    else if (req.op === 'deleteContainer') txn = prepDeleteContainer(req.path, ctx);
    else if (req.op === 'closeSession') txn = prepCloseSession(ctx);
    else if (!this.host.sessionActive(sessionId)) txn = { zxid: ctx.zxid, timeMs, sessionId, cxid, body: { type: 'error', err: ErrorCode.SESSIONEXPIRED } };
    else txn = prepWrite(req.request, ctx);
    this.propose(txn, out);
    return txn;
  }

  private propose(txn: Txn, out: Effect[]): void {
    this.tracker.propose(txn);
    this.proposed.push(txn);
    if (this.host.traced()) this.host.trace({ ev: 'propose', epoch: this.epoch, zxid: txn.zxid, type: txn.body.type, digest: txnDigest(txn) }, out);
    else out.push(UNTRACED);
    const packet: QuorumPacket = { type: 'PROPOSAL', txn };
    const learners = this.host.forwardingLearners();
    for (let i = 0; i < learners.length; i++) if (!learners[i]!.observer) out.push({ kind: 'send', conn: learners[i]!.conn, msg: packet });
    this.host.logTxns([txn], out);
  }

  /** The leader's own log is durable through `zxid`: that is its ACK. */
  onLocalDurable(zxid: number, out: Effect[]): void {
    while (this.proposed.length > 0 && this.proposed[0]!.zxid <= zxid) {
      const txn = this.proposed.shift()!;
      if (txn.zxid <= this.selfAckedUpTo) continue;
      this.selfAckedUpTo = txn.zxid;
      this.onAck(this.host.myid, txn.zxid, out);
    }
  }

  /** An ACK from a learner (or ourselves). */
  onAck(sid: number, zxid: number, out: Effect[]): void {
    const committed = this.tracker.ack(sid, zxid);
    for (let i = 0; i < committed.length; i++) this.commit(committed[i]!, out);
  }

  private commit(txn: Txn, out: Effect[]): void {
    if (this.host.traced()) this.host.trace({ ev: 'zab', kind: 'commit', zxid: txn.zxid }, out);
    else out.push(UNTRACED);
    // One packet object per kind, shared by every learner (packets are never mutated).
    let commit: QuorumPacket | undefined;
    let inform: QuorumPacket | undefined;
    const learners = this.host.forwardingLearners();
    for (let i = 0; i < learners.length; i++) {
      const l = learners[i]!;
      const msg = l.observer ? (inform ??= { type: 'INFORM', txn }) : (commit ??= { type: 'COMMIT', zxid: txn.zxid });
      out.push({ kind: 'send', conn: l.conn, msg });
    }
    this.host.applyCommitted(txn, out);
    this.changes.retireThrough(txn.zxid);
    while (this.syncs.length > 0 && this.syncs[0]!.afterZxid <= txn.zxid) this.syncs.shift()!.done(out);
  }

  /**
   * Leader.processSync: answer once every proposal made so far has committed. `done` runs
   * after the COMMITs it waited for were queued, so a learner gets them before the answer.
   */
  sync(out: Effect[], done: (out: Effect[]) => void): void {
    const last = this.tracker.nextZxid - 1;
    if (last <= this.tracker.lastCommittedZxid) done(out);
    else this.syncs.push({ afterZxid: last, done });
  }

  /** Uncommitted proposals after `zxid` (startForwarding for a learner that just synced). */
  outstandingAfter(zxid: number): Txn[] {
    return this.tracker.outstandingAfter(zxid);
  }
}
