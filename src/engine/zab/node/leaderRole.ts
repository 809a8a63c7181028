import type { Effect } from '../../../sim/host/process.ts';
import { US_PER_MS } from '../../../sim/clock/clock.ts';
import { makeZxid, zxidEpoch } from '../../zxid.ts';
import type { AckEpochPacket, LearnerInfoPacket, QuorumPacket } from '../messages.ts';
import { type BroadcastTarget, LeaderPipeline } from '../broadcast/leaderPipeline.ts';
import type { Txn } from '../../request/txn.ts';
import { planSync } from '../sync/syncPlan.ts';
import { assert } from '../../assert.ts';
import { isQuorum, type NodeContext } from './nodeContext.ts';

/** Where one learner is in the leader's protocol. */
type LearnerPhase = 'info' | 'epoch' | 'synced-wait-ack' | 'broadcast';

interface LearnerHandler {
  conn: number;
  sid: number;
  observer: boolean;
  phase: LearnerPhase;
  lastAcceptedEpoch: number;
  peerLastZxid: number;
  /** Leader tick by which this learner must have sent something (syncLimit). */
  ackDeadlineTick: number;
  /** Sync data queued: from now on it gets broadcast traffic (startForwarding). */
  forwarding: boolean;
}

export const LEADER_TICK_TIMER = 'leader:tick';
export const LEADER_STARTUP_TIMER = 'leader:startup';
/** The deadline of the wait Leader.lead is in before the epoch is established. */
export const LEADER_WAIT_TIMER = 'leader:wait';

/**
 * Leader.lead's three waits before the epoch is established, in order. Each is bounded by
 * initLimit·tickTime from the moment the leader starts it, and a timeout ends the leadership.
 */
type LeaderWait = 'epoch' | 'epoch-ack' | 'newleader-ack';

/**
 * The leader's side of discovery, synchronization and broadcast liveness (Leader.lead and
 * LearnerHandler). Discovery: the new epoch is one more than every accepted epoch seen from
 * the leader plus a quorum, written as acceptedEpoch before anyone hears it; epoch acks from a
 * quorum (with the "follower is ahead" check) make the leader write currentEpoch. Sync: each
 * learner gets DIFF/TRUNC/SNAP then NEWLEADER; a quorum of NEWLEADER acks establishes the
 * epoch, and each learner then gets UPTODATE. Until then the leader is in one of three waits
 * (getEpochToPropose, waitForEpochAck, waitForNewLeaderAck), each given initLimit·tickTime from
 * its own start. Liveness: a tick every tickTime/2 pings the learners and, once established,
 * every other tick checks that the leader still has a synced quorum.
 */
export class LeaderRole {
  private handlers = new Map<number, LearnerHandler>();
  /** forwardingLearners' answer, rebuilt after a handler comes, goes or starts forwarding. */
  private forwarding: LearnerHandler[] | undefined;
  private connectingFollowers = new Set<number>();
  private electingFollowers = new Set<number>();
  private newLeaderAcks = new Set<number>();
  private epoch: number;
  private epochFixed = false;
  private epochAcked = false;
  established = false;
  /** The write path; exists once the epoch is established. */
  pipeline: LeaderPipeline | undefined;
  /** The learner port opens after loadData's snapshot; earlier connections are refused. */
  accepting = false;
  private tick = 0;
  private readonly startedMs: number;
  /** The wait the leader is in (its deadline is LEADER_WAIT_TIMER); undefined once established. */
  private waiting: LeaderWait | undefined;

  constructor(private readonly node: NodeContext) {
    this.epoch = node.acceptedEpoch();
    this.startedMs = node.nowMs();
  }

  /** The epoch being led (final once a quorum connected). */
  get leadingEpoch(): number {
    return this.epoch;
  }

  start(out: Effect[]): void {
    this.node.trace({ ev: 'role', role: 'LEADING', phase: 'startup' }, out);
    const { min, max } = this.node.cfg.leaderStartupMs;
    out.push({ kind: 'setTimer', id: LEADER_STARTUP_TIMER, afterUs: this.node.randomInt(min, max) * US_PER_MS });
  }

  /** Start-up work is done: take loadData's snapshot, then open the learner port. */
  onStartupDone(out: Effect[]): void {
    this.node.takeSnapshot(out, (o) => {
      this.accepting = true;
      this.node.trace({ ev: 'role', role: 'LEADING', phase: 'discovery' }, o);
      this.getEpochToPropose(this.node.myid, this.node.acceptedEpoch(), o);
      // The leader's own getEpochToPropose waits unless it completed the quorum itself.
      if (!this.epochFixed) this.startWait('epoch', o);
      o.push({ kind: 'setTimer', id: LEADER_TICK_TIMER, afterUs: (this.node.cfg.tickTimeMs / 2) * US_PER_MS });
    });
  }

  /** Leader.lead enters its next wait: initLimit·tickTime from now, replacing the last deadline. */
  private startWait(wait: LeaderWait, out: Effect[]): void {
    assert(!this.established, 'a leader wait after the epoch was established');
    this.waiting = wait;
    out.push({ kind: 'setTimer', id: LEADER_WAIT_TIMER, afterUs: this.node.cfg.initLimit * this.node.cfg.tickTimeMs * US_PER_MS });
  }

  /** The current wait ran out: lead() throws (or, for NEWLEADER acks, shuts down) and the node looks again. */
  onWaitTimeout(out: Effect[]): void {
    if (this.waiting === undefined) return;
    const reason =
      this.waiting === 'epoch' ? 'Timeout while waiting for epoch from quorum'
      : this.waiting === 'epoch-ack' ? 'Timeout while waiting for epoch to be acked by quorum'
      : `Waiting for a quorum of followers, only synced with sids: [ ${[...this.newLeaderAcks].sort((a, b) => a - b).join(',')} ]`;
    this.node.abandon(reason, out);
  }

  /** Does this connection belong to one of our learners? */
  owns(conn: number): boolean {
    return this.handlers.has(conn) || this.pendingHello.has(conn);
  }

  private pendingHello = new Set<number>();

  onAccepted(conn: number): void {
    this.pendingHello.add(conn);
  }

  onMessage(conn: number, p: QuorumPacket, out: Effect[]): void {
    if (p.type === 'hello') return;
    if (p.type === 'FOLLOWERINFO' || p.type === 'OBSERVERINFO') return this.onLearnerInfo(conn, p, out);
    const h = this.handlers.get(conn);
    if (h === undefined) return;
    h.ackDeadlineTick = this.tick + this.node.cfg.syncLimit * 2;
    switch (p.type) {
      case 'ACKEPOCH':
        return this.onAckEpoch(h, p, out);
      case 'ACK':
        if (p.zxid === makeZxid(this.epoch, 0)) {
          if (h.phase === 'synced-wait-ack') this.onNewLeaderAck(h, out);
          return;
        }
        if (!h.observer) this.pipeline?.onAck(h.sid, p.zxid, out);
        return;
      case 'PING':
      case 'REQUEST':
      case 'REVALIDATE':
        if (this.pipeline !== undefined) this.node.onLearnerPacket(h.conn, p, out);
        return;
      default:
        return;
    }
  }

  onDisconnected(conn: number, out: Effect[]): void {
    this.pendingHello.delete(conn);
    const h = this.handlers.get(conn);
    if (h === undefined) return;
    this.handlers.delete(conn);
    this.forwarding = undefined;
    this.node.trace({ ev: 'learner-lost', sid: h.sid }, out);
  }

  private onLearnerInfo(conn: number, p: LearnerInfoPacket, out: Effect[]): void {
    this.pendingHello.delete(conn);
    for (const [c, other] of this.handlers) {
      // A learner reconnecting replaces its old handler.
      if (other.sid === p.sid && c !== conn) {
        this.handlers.delete(c);
        this.forwarding = undefined;
        out.push({ kind: 'close', conn: c });
      }
    }
    const h: LearnerHandler = {
      conn, sid: p.sid, observer: p.type === 'OBSERVERINFO', phase: 'info',
      lastAcceptedEpoch: zxidEpoch(p.zxid), peerLastZxid: 0, ackDeadlineTick: this.tick + this.node.cfg.initLimit * 2, forwarding: false,
    };
    this.handlers.set(conn, h);
    this.forwarding = undefined;
    this.getEpochToPropose(h.sid, h.lastAcceptedEpoch, out);
    if (this.epochFixed) this.sendLeaderInfo(h, out);
  }

  /** Leader.getEpochToPropose: the epoch is fixed once the leader and a quorum have connected. */
  private getEpochToPropose(sid: number, lastAcceptedEpoch: number, out: Effect[]): void {
    if (this.epochFixed) return;
    if (lastAcceptedEpoch >= this.epoch) this.epoch = lastAcceptedEpoch + 1;
    if (this.node.voters.includes(sid)) this.connectingFollowers.add(sid);
    if (!this.connectingFollowers.has(this.node.myid) || !isQuorum(this.node.voters, this.connectingFollowers)) return;
    this.epochFixed = true;
    const epoch = this.epoch;
    this.node.trace({ ev: 'epoch-proposed', epoch, quorum: [...this.connectingFollowers].sort() }, out);
    this.node.persistAcceptedEpoch(epoch, out, (o) => {
      // The leader thread leaves getEpochToPropose once acceptedEpoch is written, for waitForEpochAck.
      this.startWait('epoch-ack', o);
      for (const h of this.handlers.values()) this.sendLeaderInfo(h, o);
    });
  }

  private sendLeaderInfo(h: LearnerHandler, out: Effect[]): void {
    if (h.phase !== 'info' || this.node.acceptedEpoch() !== this.epoch) return;
    h.phase = 'epoch';
    out.push({ kind: 'send', conn: h.conn, msg: { type: 'LEADERINFO', zxid: makeZxid(this.epoch, 0) } satisfies QuorumPacket });
  }

  /** Leader.waitForEpochAck: refuse to lead a quorum member that is ahead of us. */
  private onAckEpoch(h: LearnerHandler, p: AckEpochPacket, out: Effect[]): void {
    if (h.phase !== 'epoch') return;
    h.peerLastZxid = p.lastLoggedZxid;
    if (p.currentEpoch !== -1) {
      const mine = [this.node.currentEpoch(), this.node.lastLoggedZxid()] as const;
      if (p.currentEpoch > mine[0] || (p.currentEpoch === mine[0] && p.lastLoggedZxid > mine[1])) {
        this.node.abandon(`Follower is ahead of the leader: sid ${h.sid} has (${p.currentEpoch}, ${p.lastLoggedZxid})`, out);
        return;
      }
      if (this.node.voters.includes(h.sid)) this.electingFollowers.add(h.sid);
    }
    h.phase = 'synced-wait-ack';
    if (this.epochAcked) {
      // Once currentEpoch is durable learners sync at once; until then the write's continuation syncs them.
      if (this.node.currentEpoch() === this.epoch) this.syncLearner(h, out);
      return;
    }
    this.electingFollowers.add(this.node.myid);
    if (!isQuorum(this.node.voters, this.electingFollowers)) return;
    this.epochAcked = true;
    this.node.persistCurrentEpoch(this.epoch, out, (o) => {
      this.node.trace({ ev: 'epoch-acked', epoch: this.epoch }, o);
      // setCurrentEpoch done, the leader thread goes on to waitForNewLeaderAck.
      this.startWait('newleader-ack', o);
      // The leader acks its own NEWLEADER; then every waiting learner is synced.
      this.newLeaderAcks.add(this.node.myid);
      for (const w of this.handlers.values()) if (w.phase === 'synced-wait-ack' && !w.forwarding) this.syncLearner(w, o);
    });
  }

  /** LearnerHandler.syncFollower, then startForwarding, then NEWLEADER. */
  private syncLearner(h: LearnerHandler, out: Effect[]): void {
    const replica = this.node.replica;
    let plan = planSync(
      { lastProcessedZxid: replica.lastProcessedZxid, committedLog: replica.committedLog, txnsFromLog: (after) => replica.loggedCommittedAfter(after, this.node.cfg.txnLogSyncLimit) },
      h.peerLastZxid,
    );
    // Mutation `skip-trunc`: the learner keeps txns the leader never committed.
    if (plan.mode === 'TRUNC' && this.node.cfg.mutations.includes('skip-trunc')) plan = { ...plan, mode: 'DIFF', packetZxid: replica.lastProcessedZxid };
    this.node.trace({ ev: 'sync', sid: h.sid, mode: plan.mode, zxid: plan.packetZxid, peerZxid: h.peerLastZxid, txns: plan.txns.length, reason: plan.reason }, out);
    const send = (msg: QuorumPacket) => out.push({ kind: 'send', conn: h.conn, msg });
    if (plan.mode === 'SNAP') send({ type: 'SNAP', zxid: plan.packetZxid, snapshot: replica.snapshotState() });
    else send({ type: plan.mode, zxid: plan.packetZxid });
    for (const txn of plan.txns) {
      send({ type: 'PROPOSAL', txn });
      send({ type: 'COMMIT', zxid: txn.zxid });
    }
    // startForwarding: proposals still in flight go to followers; observers will get INFORMs.
    if (!h.observer && this.pipeline !== undefined) for (const txn of this.pipeline.outstandingAfter(plan.lastQueuedZxid)) send({ type: 'PROPOSAL', txn });
    h.forwarding = true;
    this.forwarding = undefined;
    send({ type: 'NEWLEADER', zxid: makeZxid(this.epoch, 0) });
  }

  /**
   * Learners that get PROPOSAL/COMMIT/INFORM traffic, in connection order. Every proposal and
   * commit asks, and the set changes only when a learner connects, leaves or is synced: the list
   * is kept until then (a change builds a new one, so a caller part-way through is unaffected).
   */
  forwardingLearners(): readonly BroadcastTarget[] {
    if (this.forwarding !== undefined) return this.forwarding;
    const list: LearnerHandler[] = [];
    for (const h of this.handlers.values()) if (h.forwarding) list.push(h);
    this.forwarding = list;
    return list;
  }

  /** The leader's own log is durable through `zxid`. */
  onLocalDurable(zxid: number, out: Effect[]): void {
    this.pipeline?.onLocalDurable(zxid, out);
  }

  private onNewLeaderAck(h: LearnerHandler, out: Effect[]): void {
    h.phase = 'broadcast';
    if (!h.observer) this.newLeaderAcks.add(h.sid);
    if (!this.established && isQuorum(this.node.voters, this.newLeaderAcks)) {
      this.established = true;
      this.waiting = undefined;
      out.push({ kind: 'cancelTimer', id: LEADER_WAIT_TIMER });
      this.pipeline = new LeaderPipeline(
        {
          myid: this.node.myid,
          forwardingLearners: () => this.forwardingLearners(),
          logTxns: (txns: Txn[], o: Effect[]) => this.node.logTxns(txns, o),
          applyCommitted: (txn: Txn, o: Effect[]) => this.node.applyCommitted(txn, o),
          sessionActive: (sessionId: number) => this.node.sessionActive(sessionId),
          trace: (e, o) => this.node.trace(e, o),
          traced: () => this.node.traced,
        },
        this.epoch, this.node.voters, this.node.replica.db.tree, this.node.replica.lastProcessedZxid,
        this.node.cfg.mutations.includes('commit-after-one-ack'),
      );
      this.node.trace({ ev: 'established', epoch: this.epoch, quorum: [...this.newLeaderAcks].sort(), electionMs: this.node.nowMs() - this.startedMs }, out);
      for (const w of this.handlers.values()) if (w.phase === 'broadcast') out.push({ kind: 'send', conn: w.conn, msg: { type: 'UPTODATE' } satisfies QuorumPacket });
      this.node.startServing(out);
      return;
    }
    if (this.established) out.push({ kind: 'send', conn: h.conn, msg: { type: 'UPTODATE' } satisfies QuorumPacket });
  }

  /**
   * Every tickTime/2: ping learners; once established, every other tick, check for a synced
   * quorum (before that, the waits' own deadlines bound the leader).
   */
  onTick(out: Effect[]): void {
    this.tick++;
    out.push({ kind: 'setTimer', id: LEADER_TICK_TIMER, afterUs: (this.node.cfg.tickTimeMs / 2) * US_PER_MS });
    for (const h of this.handlers.values()) if (h.phase === 'broadcast') out.push({ kind: 'send', conn: h.conn, msg: { type: 'PING' } satisfies QuorumPacket });
    if (this.tick % 2 !== 0 || !this.established) return;
    const synced = new Set<number>([this.node.myid]);
    for (const h of this.handlers.values()) if (h.phase === 'broadcast' && h.ackDeadlineTick >= this.tick) synced.add(h.sid);
    if (!isQuorum(this.node.voters, synced)) this.node.abandon(`Not sufficient followers synced, only synced with sids: [${[...synced].sort()}]`, out);
  }

  /** Closes every learner connection (the role is ending). */
  shutdown(out: Effect[]): void {
    for (const conn of [...this.handlers.keys(), ...this.pendingHello]) out.push({ kind: 'close', conn });
    this.handlers.clear();
    this.forwarding = undefined;
    this.pendingHello.clear();
    out.push({ kind: 'cancelTimer', id: LEADER_TICK_TIMER }, { kind: 'cancelTimer', id: LEADER_STARTUP_TIMER }, { kind: 'cancelTimer', id: LEADER_WAIT_TIMER });
  }
}
