import type { Effect } from '../../../sim/host/process.ts';
import { US_PER_MS } from '../../../sim/clock/clock.ts';
import { assert } from '../../assert.ts';
import type { Txn } from '../../request/txn.ts';
import { formatZxid, makeZxid, zxidEpoch } from '../../zxid.ts';
import { serverAddress } from '../config.ts';
import type { QuorumPacket, RequestPacket } from '../messages.ts';
import { LearnerSync } from '../sync/learnerSync.ts';
import type { NodeContext } from './nodeContext.ts';
import { emptyInPlace } from '../../../sim/emptyInPlace.ts';

/** Where a learner is in its protocol with the leader. */
type LearnerPhase = 'connecting' | 'info-sent' | 'epoch-acked' | 'syncing' | 'newleader' | 'newleader-acked' | 'serving';

export const LEARNER_TIMEOUT_TIMER = 'learner:timeout';
export const LEARNER_RETRY_TIMER = 'learner:retry';
export const QUORUM_TAG = 'quorum';
/**
 * Learner.LeaderConnector.connectToLeader: at most 5 attempts, leaderConnectDelayDuringRetryMs
 * apart, all within initLimit ticks; then the learner goes back to LOOKING. The cap matters when
 * the server we voted for is not leading (it stepped down, or follows someone else): its learner
 * port refuses us, and only a new election finds the real leader.
 */
const CONNECT_RETRY_MS = 100;
const CONNECT_TRIES = 5;

/**
 * A follower's or observer's side of ZAB (Learner / Follower / Observer): register with the
 * leader (FOLLOWERINFO with acceptedEpoch), acknowledge the new epoch (persisting acceptedEpoch
 * first), receive the sync, make it durable and persist currentEpoch on NEWLEADER **before**
 * acking it (the fixed order of ZOOKEEPER-4643/4646), and apply the synced commits and serve only
 * after UPTODATE. In broadcast a follower logs each PROPOSAL and ACKs it once durable, and applies
 * COMMITs in order; an observer logs and applies each INFORM. Silence longer than initLimit
 * ticks while syncing, or syncLimit ticks while serving, ends the role.
 */
export class LearnerRole {
  phase: LearnerPhase = 'connecting';
  private conn: number | undefined;
  private connectDeadlineMs = 0;
  /** Connection attempts that failed or were refused so far (`tries` in connectToLeader). */
  private failedTries = 0;
  private newEpoch = -1;
  private sync = new LearnerSync();
  /** Logged proposals waiting for their COMMIT (FollowerZooKeeperServer.pendingTxns). */
  private pending: Txn[] = [];
  private ended = false;
  /** Proposals logged but not yet durable, to ACK in order (see ackWhenDurable); spent up to ackHead. */
  private readonly ackZxids: number[] = [];
  private readonly ackConns: number[] = [];
  private ackHead = 0;
  /** The last timeout effect built (see armTimeout). */
  private timeoutEffect: Readonly<{ kind: 'setTimer'; id: string; afterUs: number }> | undefined;

  constructor(
    private readonly node: NodeContext,
    readonly leaderSid: number,
    readonly observer: boolean,
  ) {}

  start(out: Effect[]): void {
    this.node.trace({ ev: 'role', role: this.observer ? 'OBSERVING' : 'FOLLOWING', leader: this.leaderSid }, out);
    this.connectDeadlineMs = this.node.nowMs() + this.node.cfg.initLimit * this.node.cfg.tickTimeMs;
    this.dial(out);
  }

  owns(conn: number): boolean {
    return conn === this.conn;
  }

  /** Can the front end hand requests to the leader? */
  get serving(): boolean {
    return this.phase === 'serving' && this.conn !== undefined;
  }

  /** Forwards a client request (write, session op, sync) or a revalidation to the leader. */
  sendToLeader(p: RequestPacket | QuorumPacket, out: Effect[]): void {
    if (this.conn !== undefined) out.push({ kind: 'send', conn: this.conn, msg: p });
  }

  private dial(out: Effect[]): void {
    out.push({ kind: 'connect', to: serverAddress(this.leaderSid), tag: QUORUM_TAG });
  }

  onConnected(conn: number, out: Effect[]): void {
    this.conn = conn;
    this.phase = 'info-sent';
    out.push({ kind: 'send', conn, msg: { type: 'hello', channel: 'quorum', sid: this.node.myid } satisfies QuorumPacket });
    out.push({
      kind: 'send', conn,
      msg: { type: this.observer ? 'OBSERVERINFO' : 'FOLLOWERINFO', sid: this.node.myid, zxid: makeZxid(this.node.acceptedEpoch(), 0) } satisfies QuorumPacket,
    });
    this.armTimeout(this.node.cfg.initLimit, out);
  }

  /** A refused or failed connection attempt: retry after a short delay, up to 5 tries within initLimit. */
  onConnectFailed(out: Effect[]): void {
    this.conn = undefined;
    this.phase = 'connecting';
    this.failedTries++;
    if (this.failedTries >= CONNECT_TRIES) {
      this.node.abandon(`could not connect to leader ${this.leaderSid}: retries exceeded (tries=${this.failedTries})`, out);
      return;
    }
    if (this.node.nowMs() + CONNECT_RETRY_MS > this.connectDeadlineMs) {
      this.node.abandon(`could not connect to leader ${this.leaderSid} within initLimit`, out);
      return;
    }
    out.push({ kind: 'cancelTimer', id: LEARNER_TIMEOUT_TIMER });
    out.push({ kind: 'setTimer', id: LEARNER_RETRY_TIMER, afterUs: CONNECT_RETRY_MS * US_PER_MS });
  }

  onTimer(id: string, out: Effect[]): void {
    if (id === LEARNER_RETRY_TIMER) this.dial(out);
    else if (id === LEARNER_TIMEOUT_TIMER) this.node.abandon(`no packet from leader ${this.leaderSid} within the ${this.phase === 'serving' ? 'syncLimit' : 'initLimit'}`, out);
  }

  onDisconnected(out: Effect[]): void {
    // Closed before the leader said anything: its learner port was not open yet (refused).
    if (this.phase === 'info-sent') return this.onConnectFailed(out);
    this.conn = undefined;
    this.node.abandon(`connection to leader ${this.leaderSid} broken`, out);
  }

  onMessage(p: QuorumPacket, out: Effect[]): void {
    const conn = this.conn!;
    // Any packet from the leader proves it alive (the socket read timeout restarts).
    this.armTimeout(this.phase === 'serving' ? this.node.cfg.syncLimit : this.node.cfg.initLimit, out);
    switch (p.type) {
      case 'LEADERINFO':
        return this.onLeaderInfo(conn, zxidEpoch(p.zxid), out);
      case 'DIFF':
      case 'TRUNC':
      case 'SNAP':
        return this.onSyncStart(p, out);
      case 'PROPOSAL':
        if (this.collecting) return this.sync.propose(p.txn);
        return this.onProposal(p.txn, out);
      case 'COMMIT':
        if (this.collecting) return this.sync.commit(p.zxid);
        return this.onCommit(p.zxid, out);
      case 'INFORM':
        if (this.collecting) {
          this.sync.propose(p.txn);
          return this.sync.commit(p.txn.zxid);
        }
        return this.onInform(p.txn, out);
      case 'NEWLEADER':
        return this.onNewLeader(conn, p.zxid, out);
      case 'UPTODATE':
        return this.onUpToDate(conn, out);
      case 'PING':
        out.push({ kind: 'send', conn, msg: { type: 'PING', touches: this.node.drainTouches() } satisfies QuorumPacket });
        return;
      case 'SYNC':
      case 'REVALIDATE_REPLY':
        return this.node.deliverToFrontEnd(p, out);
      default:
        return;
    }
  }

  /** Learner.registerWithLeader's epoch cases. */
  private onLeaderInfo(conn: number, newEpoch: number, out: Effect[]): void {
    if (this.phase !== 'info-sent') return;
    this.newEpoch = newEpoch;
    const accepted = this.node.acceptedEpoch();
    if (newEpoch < accepted) {
      this.node.abandon(`Leaders epoch, ${newEpoch} is less than accepted epoch, ${accepted}`, out);
      return;
    }
    this.phase = 'epoch-acked';
    if (newEpoch === accepted) {
      // Not an ack: we already accepted this epoch; just report where our log ends.
      out.push({ kind: 'send', conn, msg: { type: 'ACKEPOCH', currentEpoch: -1, lastLoggedZxid: this.node.lastLoggedZxid() } satisfies QuorumPacket });
      return;
    }
    const currentEpoch = this.node.currentEpoch();
    this.node.persistAcceptedEpoch(newEpoch, out, (o) => {
      if (this.conn !== conn) return;
      o.push({ kind: 'send', conn, msg: { type: 'ACKEPOCH', currentEpoch, lastLoggedZxid: this.node.lastLoggedZxid() } satisfies QuorumPacket });
    });
  }

  private onSyncStart(p: QuorumPacket & { type: 'DIFF' | 'TRUNC' | 'SNAP' }, out: Effect[]): void {
    if (this.phase !== 'epoch-acked') return;
    this.phase = 'syncing';
    this.node.trace({ ev: 'sync-start', mode: p.type, zxid: p.zxid }, out);
    if (p.type === 'SNAP') {
      this.sync.start('SNAP', p.snapshot);
      this.node.trace({ ev: 'zab', kind: 'syncSnap', zxid: p.snapshot.lastProcessedZxid }, out);
      out.push(...this.node.replica.installSnapshot(p.snapshot));
    } else if (p.type === 'TRUNC') {
      this.sync.start('TRUNC');
      this.node.trace({ ev: 'truncate', zxid: p.zxid, from: this.node.lastLoggedZxid() }, out);
      out.push(...this.node.replica.truncateTo(p.zxid));
      // The tree is rebuilt from what is left on disk when it had gone past the cut.
      this.node.trace({ ev: 'zab', kind: 'truncate', toZxid: p.zxid }, out);
      this.node.trace({ ev: 'zab', kind: 'snapshotLoad', zxid: this.node.lastProcessedZxid() }, out);
    } else {
      this.sync.start('DIFF');
    }
  }

  /**
   * NEWLEADER: the SNAP's snapshot durable (then the old log dropped), every synced proposal
   * logged and durable, currentEpoch durable — and only then the ACK that lets the leader count
   * us. Packets arriving meanwhile keep being collected; `finishSync` takes them over.
   */
  private onNewLeader(conn: number, zxid: number, out: Effect[]): void {
    if (this.phase !== 'syncing') return;
    this.phase = 'newleader';
    const epoch = zxidEpoch(zxid);
    const logSynced = (o: Effect[]) => {
      this.node.logTxns(this.sync.proposals.filter((t) => t.zxid > this.node.lastLoggedZxid()), o);
      this.node.whenLogDurable(this.node.lastLoggedZxid(), o, (o2) => {
        if (this.conn !== conn) return;
        this.node.persistCurrentEpoch(epoch, o2, (o3) => {
          if (this.conn !== conn) return;
          this.phase = 'newleader-acked';
          o3.push({ kind: 'send', conn, msg: { type: 'ACK', zxid } satisfies QuorumPacket });
        });
      });
    };
    if (this.sync.mode === 'SNAP') {
      const snapZxid = this.sync.snapshot!.lastProcessedZxid;
      this.node.whenSnapshotDurable(snapZxid, (o) => {
        if (this.conn !== conn) return;
        o.push(...this.node.replica.resetLogTo(snapZxid));
        logSynced(o);
      });
    } else {
      logSynced(out);
    }
  }

  /**
   * UPTODATE: the leader has a quorum of NEWLEADER ACKs, so its initial history is committed.
   * Only now are the synced commits applied, as 3.8.0's syncWithLeader does after its loop
   * (fzk.commit of packetsCommitted): a DIFF carries the new leader's whole log as PROPOSAL +
   * COMMIT pairs, including txns that no quorum acked in their own epoch (the leader's
   * committedLog also holds what it fast-forwarded from its log), and those are committed only
   * by this leader's establishment. Applying them at our own NEWLEADER ACK would deliver txns
   * that are still discarded if the leader never gets its quorum (swarm seed 2).
   */
  private onUpToDate(conn: number, out: Effect[]): void {
    // The leader sends UPTODATE only after our NEWLEADER ACK; anything else is not for this sync.
    if (this.phase !== 'newleader-acked') return;
    this.phase = 'serving';
    this.node.trace({ ev: 'serving', leader: this.leaderSid, epoch: this.newEpoch }, out);
    out.push({ kind: 'send', conn, msg: { type: 'ACK', zxid: makeZxid(this.newEpoch, 0) } satisfies QuorumPacket });
    this.armTimeout(this.node.cfg.syncLimit, out);
    this.finishSync(out);
    this.node.startServing(out);
  }

  /** After UPTODATE: apply the committed prefix; the rest waits as broadcast proposals. */
  private finishSync(out: Effect[]): void {
    const committed = new Set(this.sync.committedTxns().map((t) => t.zxid));
    const late = this.sync.proposals.filter((t) => t.zxid > this.node.lastLoggedZxid());
    this.node.logTxns(late, out);
    let prefix = true;
    for (const txn of this.sync.proposals) {
      prefix &&= committed.has(txn.zxid);
      if (prefix) {
        if (txn.zxid > this.node.lastProcessedZxid()) this.node.applyCommitted(txn, out);
      } else {
        this.pending.push(txn);
        if (!this.observer) this.ackWhenDurable(txn.zxid, out);
      }
    }
    this.sync = new LearnerSync();
  }

  /** Broadcast PROPOSAL: log it; ACK once durable (followers only). */
  private onProposal(txn: Txn, out: Effect[]): void {
    if (this.observer) return;
    if (txn.zxid <= this.node.lastLoggedZxid()) return;
    this.pending.push(txn);
    this.node.logTxns([txn], out);
    this.ackWhenDurable(txn.zxid, out);
  }

  /**
   * SendAckRequestProcessor: ACK a proposal only once it is durable in our log. The ACKs wait
   * in order in two number lists (zxid, and the connection it came on), and `onLogDurable`
   * sends them: one wait per proposal, so no continuation closure each.
   */
  private ackWhenDurable(zxid: number, out: Effect[]): void {
    const conn = this.conn;
    if (this.node.cfg.mutations.includes('ack-before-fsync')) {
      if (conn !== undefined) out.push({ kind: 'send', conn, msg: { type: 'ACK', zxid } satisfies QuorumPacket });
      return;
    }
    // Without a connection there is nobody to ACK, now or later.
    if (conn === undefined) return;
    if (zxid <= this.node.replica.durableZxid) return this.ack(conn, zxid, out);
    this.ackZxids.push(zxid);
    this.ackConns.push(conn);
  }

  /**
   * The log is durable through `upTo`: ACK what waited for it, in order. The node calls this
   * right after its own log waits, where these waits used to run among them (while a follower
   * has proposals to ACK, it has no other log wait: NEWLEADER's was met before UPTODATE).
   */
  onLogDurable(upTo: number, out: Effect[]): void {
    const zxids = this.ackZxids;
    let i = this.ackHead;
    while (i < zxids.length && zxids[i]! <= upTo) {
      this.ack(this.ackConns[i]!, zxids[i]!, out);
      i++;
    }
    this.ackHead = i;
    if (i === zxids.length) {
      // All sent: start over at the front.
      emptyInPlace(zxids);
      emptyInPlace(this.ackConns);
      this.ackHead = 0;
    }
  }

  private ack(conn: number, zxid: number, out: Effect[]): void {
    if (this.conn !== conn || this.ended) return;
    assert(zxid <= this.node.replica.durableZxid, () => `follower ${this.node.myid} about to ACK ${formatZxid(zxid)} before it is durable`);
    out.push({ kind: 'send', conn, msg: { type: 'ACK', zxid } satisfies QuorumPacket });
  }

  /**
   * Between the first sync packet and UPTODATE, packets are collected, not applied (3.8.0 keeps
   * them in packetsNotCommitted / packetsCommitted until after UPTODATE).
   */
  private get collecting(): boolean {
    return this.phase === 'syncing' || this.phase === 'newleader' || this.phase === 'newleader-acked';
  }

  /** FollowerZooKeeperServer.commit: the head of the pending queue must be the committed zxid. */
  private onCommit(zxid: number, out: Effect[]): void {
    const head = this.pending[0];
    if (head === undefined) {
      this.node.trace({ ev: 'warn', msg: `Committing ${formatZxid(zxid)} without seeing txn` }, out);
      return;
    }
    assert(head.zxid === zxid, () => `UNMATCHED_TXN_COMMIT: committing ${formatZxid(zxid)}, but the next pending txn is ${formatZxid(head.zxid)}`);
    this.pending.shift();
    this.node.applyCommitted(head, out);
  }

  /** Observer: INFORM carries the committed txn; log it and apply it. */
  private onInform(txn: Txn, out: Effect[]): void {
    if (txn.zxid <= this.node.lastProcessedZxid()) return;
    if (txn.zxid > this.node.lastLoggedZxid()) this.node.logTxns([txn], out);
    this.node.applyCommitted(txn, out);
  }

  /**
   * Every packet from the leader re-arms the timeout (once or twice per txn per follower), so the
   * effect for the limit in use is kept and shared: the host reads effects and never changes them.
   */
  private armTimeout(ticks: number, out: Effect[]): void {
    const afterUs = ticks * this.node.cfg.tickTimeMs * US_PER_MS;
    let e = this.timeoutEffect;
    if (e === undefined || e.afterUs !== afterUs) e = this.timeoutEffect = Object.freeze({ kind: 'setTimer', id: LEARNER_TIMEOUT_TIMER, afterUs } as const);
    out.push(e);
  }

  shutdown(out: Effect[]): void {
    this.ended = true;
    if (this.conn !== undefined) out.push({ kind: 'close', conn: this.conn });
    this.conn = undefined;
    out.push({ kind: 'cancelTimer', id: LEARNER_TIMEOUT_TIMER }, { kind: 'cancelTimer', id: LEARNER_RETRY_TIMER });
  }
}
