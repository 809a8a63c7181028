import type { Effect } from '../../../sim/host/process.ts';
import { US_PER_MS } from '../../../sim/clock/clock.ts';
import { makeZxid, zxidEpoch } from '../../zxid.ts';
import { serverAddress } from '../config.ts';
import type { QuorumPacket } from '../messages.ts';
import type { NodeContext } from './nodeContext.ts';

/** Where a learner is in its protocol with the leader. */
type LearnerPhase = 'connecting' | 'info-sent' | 'epoch-acked' | 'syncing' | 'newleader-acked' | 'serving';

export const LEARNER_TIMEOUT_TIMER = 'learner:timeout';
export const LEARNER_RETRY_TIMER = 'learner:retry';
export const QUORUM_TAG = 'quorum';
/** Learner.connectToLeader retries every leaderConnectDelayDuringRetryMs, for up to initLimit ticks. */
const CONNECT_RETRY_MS = 100;

/**
 * A follower's or observer's side of ZAB (Learner / Follower / Observer): register with the
 * leader (FOLLOWERINFO with acceptedEpoch), acknowledge the new epoch (persisting acceptedEpoch
 * first), receive the sync, persist currentEpoch on NEWLEADER **before** acking it (the fixed
 * order of ZOOKEEPER-4643), and serve after UPTODATE. Any silence longer than initLimit ticks
 * while syncing, or syncLimit ticks while serving, ends the role.
 */
export class LearnerRole {
  phase: LearnerPhase = 'connecting';
  private conn: number | undefined;
  private connectDeadlineMs = 0;
  private newEpoch = -1;

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

  /** A refused or failed connection attempt: retry after a short delay until initLimit runs out. */
  onConnectFailed(out: Effect[]): void {
    this.conn = undefined;
    this.phase = 'connecting';
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
        this.phase = 'syncing';
        this.node.trace({ ev: 'sync-start', mode: p.type, zxid: p.zxid }, out);
        return;
      case 'NEWLEADER':
        return this.onNewLeader(conn, p.zxid, out);
      case 'UPTODATE':
        this.phase = 'serving';
        this.node.trace({ ev: 'serving', leader: this.leaderSid, epoch: this.newEpoch }, out);
        out.push({ kind: 'send', conn, msg: { type: 'ACK', zxid: makeZxid(this.newEpoch, 0) } satisfies QuorumPacket });
        this.armTimeout(this.node.cfg.syncLimit, out);
        return;
      case 'PING':
        out.push({ kind: 'send', conn, msg: { type: 'PING', touches: [] } satisfies QuorumPacket });
        return;
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

  /** NEWLEADER: currentEpoch is written before the ACK that lets the leader count us. */
  private onNewLeader(conn: number, zxid: number, out: Effect[]): void {
    const epoch = zxidEpoch(zxid);
    this.node.persistCurrentEpoch(epoch, out, (o) => {
      if (this.conn !== conn) return;
      this.phase = 'newleader-acked';
      o.push({ kind: 'send', conn, msg: { type: 'ACK', zxid } satisfies QuorumPacket });
    });
  }

  private armTimeout(ticks: number, out: Effect[]): void {
    out.push({ kind: 'setTimer', id: LEARNER_TIMEOUT_TIMER, afterUs: ticks * this.node.cfg.tickTimeMs * US_PER_MS });
  }

  shutdown(out: Effect[]): void {
    if (this.conn !== undefined) out.push({ kind: 'close', conn: this.conn });
    this.conn = undefined;
    out.push({ kind: 'cancelTimer', id: LEARNER_TIMEOUT_TIMER }, { kind: 'cancelTimer', id: LEARNER_RETRY_TIMER });
  }
}
