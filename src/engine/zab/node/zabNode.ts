import type { Effect, ProcessInput, SimProcess, StepContext } from '../../../sim/host/process.ts';
import { assert } from '../../assert.ts';
import { zxidEpoch } from '../../zxid.ts';
import { sidOfAddress, voters, type EnsembleConfig } from '../config.ts';
import type { ElectionWireMsg, ChannelHello } from '../election/electionChannels.ts';
import type { PeerState } from '../election/vote.ts';
import type { QuorumPacket } from '../messages.ts';
import { ELECTION_TIMER, ElectionDriver, type ElectionDecision } from './electionDriver.ts';
import { ACCEPTED_EPOCH_FILE, CURRENT_EPOCH_FILE, DurableBarrier, decodeEpoch, encodeEpoch } from './durability.ts';
import { LEADER_STARTUP_TIMER, LEADER_TICK_TIMER, LeaderRole } from './leaderRole.ts';
import { LearnerRole, QUORUM_TAG } from './learnerRole.ts';
import type { NodeContext } from './nodeContext.ts';

/** Which protocol an inbound connection turned out to carry. */
type Channel = 'election' | 'quorum' | 'unknown';

/**
 * One ZooKeeper server of an ensemble as a pure state machine: Fast Leader Election while
 * LOOKING, then the leader or learner role it decided on, back to LOOKING whenever the role
 * ends. Inbound server connections announce their channel in a hello; outbound ones are
 * recognised by their tag. Epochs are persisted in the files ZooKeeper uses.
 */
export class ZabNode implements SimProcess, NodeContext {
  readonly voters: readonly number[];
  private state: PeerState = 'LOOKING';
  private epochs = { current: 0, accepted: 0 };
  private lastLogged = 0;
  private lastProcessed = 0;
  private election: ElectionDriver;
  private leader: LeaderRole | undefined;
  private learner: LearnerRole | undefined;
  private inbound = new Map<number, Channel>();
  private barrier = new DurableBarrier();
  private now = 0;
  private rng: StepContext['rng'] | undefined;

  constructor(
    readonly myid: number,
    readonly cfg: EnsembleConfig,
  ) {
    this.voters = voters(cfg);
    this.election = new ElectionDriver(myid, this.voters, cfg.servers.map((s) => s.sid));
  }

  // --- NodeContext -------------------------------------------------------------------------
  currentEpoch = () => this.epochs.current;
  acceptedEpoch = () => this.epochs.accepted;
  lastLoggedZxid = () => this.lastLogged;
  lastProcessedZxid = () => this.lastProcessed;
  nowMs = () => this.now;
  randomInt = (min: number, max: number) => this.rng!.range(min, max);

  persistAcceptedEpoch(epoch: number, out: Effect[], then: (out: Effect[]) => void): void {
    out.push({ kind: 'replace', file: ACCEPTED_EPOCH_FILE, bytes: encodeEpoch(epoch) });
    this.barrier.sync(ACCEPTED_EPOCH_FILE, out, (o) => {
      this.epochs.accepted = epoch;
      this.trace({ ev: 'acceptedEpoch', epoch }, o);
      then(o);
    });
  }

  persistCurrentEpoch(epoch: number, out: Effect[], then: (out: Effect[]) => void): void {
    out.push({ kind: 'replace', file: CURRENT_EPOCH_FILE, bytes: encodeEpoch(epoch) });
    this.barrier.sync(CURRENT_EPOCH_FILE, out, (o) => {
      this.epochs.current = epoch;
      this.trace({ ev: 'currentEpoch', epoch }, o);
      then(o);
    });
  }

  takeSnapshot(out: Effect[], then: (out: Effect[]) => void): void {
    // Until the txn log and snapshots are wired in, the snapshot is an fsync of the epoch file:
    // it costs a disk round trip like the real one.
    this.barrier.sync(CURRENT_EPOCH_FILE, out, then);
  }

  trace(event: Record<string, unknown>, out: Effect[]): void {
    out.push({ kind: 'trace', event });
  }

  abandon(reason: string, out: Effect[]): void {
    this.trace({ ev: 'abandon', role: this.state, reason }, out);
    this.leader?.shutdown(out);
    this.learner?.shutdown(out);
    this.leader = undefined;
    this.learner = undefined;
    this.barrier.clear();
    this.lookForLeader(out);
  }

  // --- SimProcess ----------------------------------------------------------------------------
  step(input: ProcessInput, ctx: StepContext): readonly Effect[] {
    this.now = Math.floor(ctx.nowUs / 1000);
    this.rng = ctx.rng;
    const out: Effect[] = [];
    switch (input.kind) {
      case 'start':
        this.recover(input.disk);
        this.lookForLeader(out);
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
        this.barrier.onFsynced(input.id, out);
        break;
      case 'command':
        break;
    }
    return out;
  }

  private recover(disk: ReadonlyMap<string, Uint8Array>): void {
    const accepted = decodeEpoch(disk.get(ACCEPTED_EPOCH_FILE));
    const current = decodeEpoch(disk.get(CURRENT_EPOCH_FILE));
    // Missing epoch files are derived from the last logged zxid, as ZooKeeper does.
    this.epochs.current = current ?? zxidEpoch(this.lastLogged);
    this.epochs.accepted = accepted ?? this.epochs.current;
  }

  private lookForLeader(out: Effect[]): void {
    this.state = 'LOOKING';
    this.trace({ ev: 'state', state: 'LOOKING', currentEpoch: this.epochs.current, zxid: this.lastLogged }, out);
    this.election.startLooking({ sid: this.myid, lastLoggedZxid: this.lastLogged, currentEpoch: this.epochs.current }, out);
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
    const channel = this.inbound.get(conn);
    if (channel === 'unknown') {
      assert(msg.type === 'hello', `first message on an inbound connection must be a hello, got ${msg.type}`);
      const hello = msg as ChannelHello | (QuorumPacket & { type: 'hello' });
      if (hello.channel === 'election') {
        this.inbound.set(conn, 'election');
        this.election.channels.onAccepted(conn);
      } else if (this.leader !== undefined && this.leader.accepting) {
        this.inbound.set(conn, 'quorum');
        this.leader.onAccepted(conn);
      } else {
        // Not leading: a learner that thinks we lead is turned away (it will re-elect).
        this.inbound.delete(conn);
        out.push({ kind: 'close', conn });
        return;
      }
    }
    if (this.election.channels.owns(conn)) {
      this.onDecision(this.election.onMessage(conn, msg as ElectionWireMsg | ChannelHello, out), out);
    } else if (this.leader?.owns(conn)) {
      this.leader.onMessage(conn, msg as QuorumPacket, out);
    } else if (this.learner?.owns(conn)) {
      this.learner.onMessage(msg as QuorumPacket, out);
    }
  }

  private onDisconnected(conn: number, out: Effect[]): void {
    this.inbound.delete(conn);
    if (this.election.channels.owns(conn)) this.election.channels.onDisconnected(conn);
    else if (this.leader?.owns(conn)) this.leader.onDisconnected(conn, out);
    else if (this.learner?.owns(conn)) this.learner.onDisconnected(out);
  }

  private onTimer(id: string, out: Effect[]): void {
    if (id === ELECTION_TIMER) this.onDecision(this.election.onTimer(out), out);
    else if (id === LEADER_TICK_TIMER) this.leader?.onTick(out);
    else if (id === LEADER_STARTUP_TIMER) this.leader?.onStartupDone(out);
    else if (id.startsWith('learner:')) this.learner?.onTimer(id, out);
  }
}
