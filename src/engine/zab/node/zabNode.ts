import { UNTRACED, type Effect, type ProcessInput, type SimProcess, type StepContext } from '../../../sim/host/process.ts';
import { US_PER_MS } from '../../../sim/clock/clock.ts';
import { assert } from '../../assert.ts';
import type { Txn } from '../../request/txn.ts';
import { isClientToServer } from '../../server/clientWire.ts';
import { writeAcceptedEpoch, writeCurrentEpoch, epochFsyncId } from '../../persistence/epochFiles.ts';
import { ACCEPTED_EPOCH_FILE, CURRENT_EPOCH_FILE } from '../../persistence/fileNames.ts';
import { canonicalEnsemble, sidOfAddress, voters, type EnsembleConfig } from '../config.ts';
import type { ElectionWireMsg, ChannelHello } from '../election/electionChannels.ts';
import type { PeerState } from '../election/vote.ts';
import type { QuorumPacket, RevalidatePacket, SyncReplyPacket } from '../messages.ts';
import { ClientFrontEnd } from '../frontend/clientFrontEnd.ts';
import { LeaderSessions, LearnerUpstream } from '../frontend/upstreams.ts';
import { Replica } from '../replica/replica.ts';
import { txnDigest } from '../replica/txnDigest.ts';
import { ELECTION_TIMER, ElectionDriver, type ElectionDecision } from './electionDriver.ts';
import { DurabilityWaits } from './durability.ts';
import { LEADER_STARTUP_TIMER, LEADER_TICK_TIMER, LEADER_WAIT_TIMER, LeaderRole } from './leaderRole.ts';
import { LearnerRole, QUORUM_TAG } from './learnerRole.ts';
import type { NodeContext } from './nodeContext.ts';
import type { ZabProtoEvent } from '../protoEvent.ts';

/** Which protocol an inbound connection turned out to carry. */
type Channel = 'election' | 'quorum' | 'client' | 'unknown';
type Then = (out: Effect[]) => void;

const SESSION_EXPIRY_TIMER = 'sessions:expiry';

/**
 * One ZooKeeper server of an ensemble as a pure state machine: Fast Leader Election while
 * LOOKING, then the leader or learner role it decided on, back to LOOKING whenever the role
 * ends. Inbound server connections announce their channel in a hello, clients start with a
 * ConnectRequest; outbound ones are recognised by their tag. The replica (database, txn log,
 * snapshots) and the epochs live across roles and are rebuilt from disk on restart.
 */
export class ZabNode implements SimProcess, NodeContext {
  readonly voters: readonly number[];
  replica: Replica;
  private state: PeerState = 'LOOKING';
  private epochs = { current: 0, accepted: 0 };
  private election: ElectionDriver;
  private leader: LeaderRole | undefined;
  private learner: LearnerRole | undefined;
  private leaderSessions: LeaderSessions | undefined;
  private learnerUpstream: LearnerUpstream | undefined;
  private readonly frontEnd: ClientFrontEnd;
  private inbound = new Map<number, Channel>();
  private waits = new DurabilityWaits();
  /** Bumped whenever a role ends, so continuations of the old role do not run. */
  private generation = 0;
  private now = 0;
  private rng: StepContext['rng'] | undefined;
  /** This step's StepContext.traced (true when the context does not say). */
  private tracing = true;
  private down = false;

  readonly cfg: EnsembleConfig;

  constructor(
    readonly myid: number,
    cfg: EnsembleConfig,
  ) {
    this.cfg = canonicalEnsemble(cfg);
    this.voters = voters(this.cfg);
    this.election = new ElectionDriver(myid, this.voters, this.cfg.servers.map((s) => s.sid));
    this.replica = Replica.fresh(this.cfg.commitLogCount);
    this.frontEnd = new ClientFrontEnd(myid, this.cfg.tickTimeMs, () => this.replica);
  }

  // --- NodeContext -------------------------------------------------------------------------
  currentEpoch = () => this.epochs.current;
  acceptedEpoch = () => this.epochs.accepted;
  lastLoggedZxid = () => this.replica.lastLoggedZxid;
  lastProcessedZxid = () => this.replica.lastProcessedZxid;
  nowMs = () => this.now;
  randomInt = (min: number, max: number) => this.rng!.range(min, max);

  /** The role's continuation, dropped if the role has ended by the time it would run. */
  private guarded(then: Then): Then {
    const generation = this.generation;
    return (o) => {
      if (this.generation === generation) then(o);
    };
  }

  persistAcceptedEpoch(epoch: number, out: Effect[], then: Then): void {
    out.push(...writeAcceptedEpoch(epoch));
    const guarded = this.guarded(then);
    this.waits.onFsync(epochFsyncId(ACCEPTED_EPOCH_FILE, epoch), (o) => {
      this.epochs.accepted = epoch;
      this.trace({ ev: 'acceptedEpoch', epoch }, o);
      guarded(o);
    });
  }

  persistCurrentEpoch(epoch: number, out: Effect[], then: Then): void {
    // ZOOKEEPER-2307: currentEpoch may never pass acceptedEpoch.
    assert(epoch <= this.epochs.accepted, () => `currentEpoch ${epoch} would pass acceptedEpoch ${this.epochs.accepted}`);
    out.push(...writeCurrentEpoch(epoch));
    const guarded = this.guarded(then);
    this.waits.onFsync(epochFsyncId(CURRENT_EPOCH_FILE, epoch), (o) => {
      this.epochs.current = epoch;
      this.trace({ ev: 'currentEpoch', epoch }, o);
      guarded(o);
    });
  }

  takeSnapshot(out: Effect[], then: Then): void {
    const effects = this.replica.takeSnapshot();
    if (effects.length === 0) return then(out);
    out.push(...effects);
    this.waits.whenSnapshot(this.replica.lastProcessedZxid, this.guarded(then));
  }

  /** ZooKeeper's randRoll for the next snapshot point (one closure for every logTxns call). */
  private readonly snapshotRoll = () => this.rng!.range(0, Math.floor(this.cfg.snapCount / 2));

  logTxns(txns: Txn[], out: Effect[]): void {
    this.replica.logTxns(txns, this.snapshotRoll, this.cfg.snapCount, out);
  }

  whenLogDurable(zxid: number, out: Effect[], then: Then): void {
    this.waits.whenLog(zxid, this.replica.durableZxid, out, this.guarded(then));
  }

  whenSnapshotDurable(zxid: number, then: Then): void {
    this.waits.whenSnapshot(zxid, this.guarded(then));
  }

  applyCommitted(txn: Txn, out: Effect[]): void {
    const outcome = this.replica.applyCommitted(txn);
    this.traceTxn('apply', txn, out);
    if (txn.body.type === 'closeSession') this.leaderSessions?.onSessionClosed(txn.sessionId);
    this.frontEnd.onApplied(txn, outcome, out);
  }

  sessionActive = (sessionId: number) => this.leaderSessions?.isActive(sessionId) ?? false;

  startServing(out: Effect[]): void {
    if (this.leader?.pipeline !== undefined) {
      this.leaderSessions = new LeaderSessions(this.cfg.tickTimeMs, this.replica.db.sessions, this.now, this.leader.pipeline, this.nowMs);
      this.frontEnd.start(this.leaderSessions.localUpstream(this.frontEnd), this.now);
      this.armExpiry(out);
    } else if (this.learner !== undefined) {
      const learner = this.learner;
      this.learnerUpstream = new LearnerUpstream((p, o) => learner.sendToLeader(p, o));
      this.frontEnd.start(this.learnerUpstream, this.now);
    }
  }

  onLearnerPacket(conn: number, p: QuorumPacket, out: Effect[]): void {
    this.leaderSessions?.onLearnerPacket(conn, p, out);
  }

  deliverToFrontEnd(p: SyncReplyPacket | RevalidatePacket, out: Effect[]): void {
    if (p.type === 'SYNC') this.frontEnd.markSynced(p.sessionId, p.cxid, out);
    else if (p.type === 'REVALIDATE_REPLY') this.frontEnd.onRevalidated(p.sessionId, p.probe, p.valid, out);
  }

  drainTouches = () => this.learnerUpstream?.drain() ?? [];

  trace(event: ZabProtoEvent, out: Effect[]): void {
    out.push({ kind: 'trace', event });
  }

  /** Whether this step's trace events are read (StepContext.traced); per-txn events are skipped when not. */
  get traced(): boolean {
    return this.tracing;
  }

  /** A per-txn `zab` event (every replica logs and applies every txn): built only when the trace is read. */
  private traceTxn(kind: 'apply' | 'log', txn: Txn, out: Effect[]): void {
    if (this.tracing) this.trace({ ev: 'zab', kind, zxid: txn.zxid, digest: txnDigest(txn) }, out);
    else out.push(UNTRACED);
  }

  abandon(reason: string, out: Effect[]): void {
    this.trace({ ev: 'abandon', role: this.state, reason }, out);
    this.generation++;
    this.frontEnd.stop(out);
    this.leader?.shutdown(out);
    this.learner?.shutdown(out);
    this.leader = undefined;
    this.learner = undefined;
    this.leaderSessions = undefined;
    this.learnerUpstream = undefined;
    out.push({ kind: 'cancelTimer', id: SESSION_EXPIRY_TIMER });
    // ZKDatabase.fastForwardDataBase: the tree catches up with the whole log, as a reload would.
    if (this.replica.fastForward().length > 0) this.trace({ ev: 'zab', kind: 'snapshotLoad', zxid: this.replica.lastProcessedZxid, fastForward: true }, out);
    this.lookForLeader(out);
  }

  // --- SimProcess ----------------------------------------------------------------------------
  step(input: ProcessInput, ctx: StepContext): readonly Effect[] {
    this.now = Math.floor(ctx.nowUs / US_PER_MS);
    this.rng = ctx.rng;
    this.tracing = ctx.traced !== false;
    const out: Effect[] = ctx.out ?? [];
    if (this.down && input.kind !== 'start') return out;
    switch (input.kind) {
      case 'start':
        this.recover(input.disk, out);
        break;
      case 'accepted':
        this.inbound.set(input.conn, 'unknown');
        break;
      case 'connected':
        this.onConnected(input.conn, input.peer, input.tag, out);
        break;
      case 'connectFailed':
        if (input.tag.startsWith('election:')) this.election.channels.onConnectFailed(sidOfAddress(input.peer)!);
        else if (input.tag === QUORUM_TAG) this.learner?.onConnectFailed(out);
        break;
      case 'message':
        this.onMessage(input.conn, input.msg as { type: string }, out);
        break;
      case 'disconnected':
        this.onDisconnected(input.conn, out);
        break;
      case 'timer':
        this.onTimer(String(input.id), out);
        break;
      case 'fsynced':
        this.onFsynced(input.id, out);
        break;
      case 'command':
        break;
    }
    return out;
  }

  /** Startup: recover the replica and epochs from disk (or refuse to start, as ZooKeeper does). */
  private recover(disk: ReadonlyMap<string, Uint8Array>, out: Effect[]): void {
    const recovered = Replica.recover(disk);
    if (recovered.startupError !== undefined) {
      this.down = true;
      this.trace({ ev: 'startup-failed', error: recovered.startupError }, out);
      return;
    }
    out.push(...recovered.repairs);
    this.replica = Replica.fromRecovered(recovered, this.cfg.commitLogCount);
    this.epochs = { current: recovered.currentEpoch, accepted: recovered.acceptedEpoch };
    // What survived on disk is this incarnation's durable history, including writes the crash
    // kept without an fsync (a process kill leaves them to the OS): the ZAB checker learns it here.
    this.trace({ ev: 'zab', kind: 'recover', zxid: recovered.baseZxid }, out);
    for (const txn of recovered.txns) this.trace({ ev: 'zab', kind: 'log', zxid: txn.zxid, digest: txnDigest(txn) }, out);
    this.trace({ ev: 'zab', kind: 'snapshotLoad', zxid: this.replica.lastProcessedZxid, problems: recovered.problems.length }, out);
    this.lookForLeader(out);
  }

  private onFsynced(id: string | number, out: Effect[]): void {
    if (this.waits.fsynced(id, out)) return;
    const r = this.replica.onFsynced(id, out);
    if (r === undefined) return;
    if (r.logDurableUpTo !== undefined) {
      for (const txn of this.replica.takeNewlyDurable(r.logDurableUpTo)) this.traceTxn('log', txn, out);
      this.waits.logDurable(r.logDurableUpTo, out);
      this.learner?.onLogDurable(r.logDurableUpTo, out);
      this.leader?.onLocalDurable(r.logDurableUpTo, out);
    }
    if (r.snapshotZxid !== undefined) this.waits.snapshotDurable(r.snapshotZxid, out);
  }

  private lookForLeader(out: Effect[]): void {
    this.state = 'LOOKING';
    const zxid = this.replica.lastLoggedZxid;
    this.trace({ ev: 'state', state: 'LOOKING', currentEpoch: this.epochs.current, zxid }, out);
    this.election.startLooking({ sid: this.myid, lastLoggedZxid: zxid, currentEpoch: this.epochs.current }, out);
  }

  private onDecision(d: ElectionDecision | undefined, out: Effect[]): void {
    if (d === undefined) return;
    this.state = d.state;
    this.election.settle(d);
    this.trace({ ev: 'decided', state: d.state, leader: d.vote.leader, round: d.electionEpoch, how: d.how }, out);
    if (d.state === 'LEADING') {
      this.leader = new LeaderRole(this);
      this.leader.start(out);
    } else {
      this.learner = new LearnerRole(this, d.vote.leader, d.state === 'OBSERVING');
      this.learner.start(out);
    }
  }

  private onConnected(conn: number, peer: string, tag: string, out: Effect[]): void {
    if (tag.startsWith('election:')) {
      this.election.channels.onConnected(conn, sidOfAddress(peer)!, out);
    } else if (tag === QUORUM_TAG && this.learner !== undefined && sidOfAddress(peer) === this.learner.leaderSid) {
      this.learner.onConnected(conn, out);
    } else {
      out.push({ kind: 'close', conn });
    }
  }

  private onMessage(conn: number, msg: { type: string }, out: Effect[]): void {
    // The busiest traffic first, without a lookup: a follower's packets from its leader come on
    // the connection it opened, which is never an inbound one.
    if (this.learner?.owns(conn)) return this.learner.onMessage(msg as QuorumPacket, out);
    let channel = this.inbound.get(conn);
    if (channel === 'unknown') {
      if (!this.classify(conn, msg, out)) return;
      channel = this.inbound.get(conn);
    }
    if (channel === 'client') return this.onClientMessage(conn, msg, out);
    // Each connection belongs to at most one of these, so the order only saves lookups: the
    // broadcast traffic (learner, leader) before the election channels.
    if (this.learner?.owns(conn)) {
      this.learner.onMessage(msg as QuorumPacket, out);
    } else if (this.leader?.owns(conn)) {
      this.leader.onMessage(conn, msg as QuorumPacket, out);
    } else if (this.election.channels.owns(conn)) {
      this.onDecision(this.election.onMessage(conn, msg as ElectionWireMsg | ChannelHello, out), out);
    }
  }

  /** The first message on an inbound connection says what it carries. */
  private classify(conn: number, msg: { type: string }, out: Effect[]): boolean {
    if (isClientToServer(msg)) {
      this.inbound.set(conn, 'client');
      this.frontEnd.adopt(conn);
      return true;
    }
    assert(msg.type === 'hello', () => `first message on an inbound connection must be a hello or a ConnectRequest, got ${msg.type}`);
    const hello = msg as ChannelHello | (QuorumPacket & { type: 'hello' });
    if (hello.channel === 'election') {
      this.inbound.set(conn, 'election');
      this.election.channels.onAccepted(conn);
      return true;
    }
    if (this.leader !== undefined && this.leader.accepting) {
      this.inbound.set(conn, 'quorum');
      this.leader.onAccepted(conn);
      return true;
    }
    // Not leading: a learner that thinks we lead is turned away (it will re-elect).
    this.inbound.delete(conn);
    out.push({ kind: 'close', conn });
    return false;
  }

  private onClientMessage(conn: number, raw: unknown, out: Effect[]): void {
    if (!isClientToServer(raw) || !this.frontEnd.owns(conn)) return;
    if (raw.t === 'connect') this.frontEnd.onConnect(conn, raw.request, out);
    else if (raw.t === 'ping') this.frontEnd.onPing(conn, out);
    else this.frontEnd.onRequest(conn, raw.xid, raw.request, out);
  }

  private onDisconnected(conn: number, out: Effect[]): void {
    const channel = this.inbound.get(conn);
    this.inbound.delete(conn);
    if (channel === 'client') this.frontEnd.onDisconnected(conn);
    else if (this.election.channels.owns(conn)) this.election.channels.onDisconnected(conn);
    else if (this.leader?.owns(conn)) this.leader.onDisconnected(conn, out);
    else if (this.learner?.owns(conn)) this.learner.onDisconnected(out);
  }

  private onTimer(id: string, out: Effect[]): void {
    if (id === ELECTION_TIMER) this.onDecision(this.election.onTimer(out), out);
    else if (id === LEADER_TICK_TIMER) this.leader?.onTick(out);
    else if (id === LEADER_STARTUP_TIMER) this.leader?.onStartupDone(out);
    else if (id === LEADER_WAIT_TIMER) this.leader?.onWaitTimeout(out);
    else if (id === SESSION_EXPIRY_TIMER) {
      this.leaderSessions?.expire(out);
      if (this.leaderSessions !== undefined) this.armExpiry(out);
    } else if (id.startsWith('learner:')) this.learner?.onTimer(id, out);
  }

  /** Session buckets fall on multiples of tickTime: check at the next one. */
  private armExpiry(out: Effect[]): void {
    const tick = this.cfg.tickTimeMs;
    const next = (Math.floor(this.now / tick) + 1) * tick;
    out.push({ kind: 'setTimer', id: SESSION_EXPIRY_TIMER, afterUs: (next - this.now) * US_PER_MS });
  }
}
