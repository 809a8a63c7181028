import { assert } from '../../assert.ts';
import { NO_ID, NOTIFICATION_VERSION, sameVote, voteBeats, type Notification, type PeerState, type RecordedVote, type Vote } from './vote.ts';

/** Timing constants of FLE (ZooKeeper defaults). */
export interface ElectionTiming {
  /** Quiet time after a quorum agrees before deciding (finalizeWait). */
  finalizeWaitMs: number;
  /** Upper bound of the notification timeout back-off. */
  maxNotificationIntervalMs: number;
}
export const DEFAULT_ELECTION_TIMING: ElectionTiming = { finalizeWaitMs: 200, maxNotificationIntervalMs: 60_000 };

/** What the election asks its owner to do. */
export type ElectionAction =
  | { kind: 'send'; to: number; n: Notification }
  /** Send the current proposal to every voting member (sendNotifications). */
  | { kind: 'broadcast'; n: Omit<Notification, 'sid'> }
  /** (Re)arm the single election timer (notification timeout or finalize wait). */
  | { kind: 'timer'; afterMs: number }
  /** The notification timeout found undelivered messages: reconnect to every peer. */
  | { kind: 'connectAll' }
  | { kind: 'decided'; vote: Vote; electionEpoch: number; state: PeerState; how: 'quorum' | 'following-leader' | 'out-of-election' };

/** What a server knows about itself when it starts looking. */
export interface SelfInfo {
  sid: number;
  lastLoggedZxid: number;
  currentEpoch: number;
}

/**
 * Fast Leader Election as an event-driven state machine, one instance per server process
 * (`logicalclock` survives across elections, as in ZooKeeper). `startLooking` begins a round;
 * `onNotification` and `onTimer` advance it; `answerWhenSettled` is the WorkerReceiver's reply
 * while the server is not LOOKING. Every transition mirrors FastLeaderElection.lookForLeader.
 */
export class FastLeaderElection {
  logicalclock = 0;
  private looking = false;
  private proposal: Vote = { leader: NO_ID, zxid: NO_ID, peerEpoch: NO_ID };
  private initial: Vote = this.proposal;
  private recvset = new Map<number, RecordedVote>();
  private outofelection = new Map<number, RecordedVote>();
  private notTimeoutMs: number;
  /** While a quorum agrees we wait finalizeWait for a better vote; null when not finalizing. */
  private finalizing = false;

  constructor(
    private readonly myid: number,
    private readonly voters: readonly number[],
    private readonly timing: ElectionTiming = DEFAULT_ELECTION_TIMING,
  ) {
    this.notTimeoutMs = timing.finalizeWaitMs;
  }

  get isLooking(): boolean {
    return this.looking;
  }

  /** The vote this server currently proposes. */
  get currentProposal(): Vote {
    return this.proposal;
  }

  private isVoter = (sid: number): boolean => this.voters.includes(sid);

  private quorum(count: number): boolean {
    return count * 2 > this.voters.length;
  }

  /** Begins a new round: bump logicalclock, vote for ourselves (observers: for nobody), broadcast. */
  startLooking(self: SelfInfo): ElectionAction[] {
    assert(self.sid === this.myid, 'election started for another sid');
    this.looking = true;
    this.finalizing = false;
    this.logicalclock++;
    this.recvset.clear();
    this.outofelection.clear();
    this.initial = this.isVoter(this.myid)
      ? { leader: this.myid, zxid: self.lastLoggedZxid, peerEpoch: self.currentEpoch }
      : { leader: NO_ID, zxid: NO_ID, peerEpoch: NO_ID };
    this.proposal = this.initial;
    this.notTimeoutMs = this.timing.finalizeWaitMs;
    return [this.broadcastProposal(), { kind: 'timer', afterMs: this.notTimeoutMs }];
  }

  /** The election timer fired: either the finalize wait ended quietly, or nothing arrived in time. */
  onTimer(allDelivered: boolean): ElectionAction[] {
    if (!this.looking) return [];
    if (this.finalizing) {
      this.finalizing = false;
      return this.decide(this.proposal, this.logicalclock, 'quorum');
    }
    const out: ElectionAction[] = [allDelivered ? this.broadcastProposal() : { kind: 'connectAll' }];
    this.notTimeoutMs = Math.min(this.notTimeoutMs * 2, this.timing.maxNotificationIntervalMs);
    out.push({ kind: 'timer', afterMs: this.notTimeoutMs });
    return out;
  }

  /** A notification arrived while this server is LOOKING. */
  onNotification(n: Notification): ElectionAction[] {
    assert(this.looking, 'onNotification while not looking: use answerWhenSettled');
    if (!this.isVoter(n.sid) || !this.isVoter(n.leader)) return [];
    if (this.finalizing) {
      // During finalizeWait only a better vote interrupts, whatever the sender's state (a better
      // FOLLOWING/LEADING one is put back and handled as such); anything else is consumed and
      // the wait starts over (the poll(finalizeWait) loop in lookForLeader).
      if (voteBeats(n, this.proposal, this.isVoter)) {
        this.finalizing = false;
      } else {
        return [{ kind: 'timer', afterMs: this.timing.finalizeWaitMs }];
      }
    }
    const out = n.state === 'LOOKING' ? this.onLooking(n) : n.state === 'OBSERVING' ? [] : this.onSettled(n);
    // Every poll that returned a notification restarts the notification timeout.
    if (this.looking && !this.finalizing) out.push({ kind: 'timer', afterMs: this.notTimeoutMs });
    return out;
  }

  private onLooking(n: Notification): ElectionAction[] {
    const out: ElectionAction[] = [];
    if (n.zxid === -1) return out;
    if (n.electionEpoch > this.logicalclock) {
      this.logicalclock = n.electionEpoch;
      this.recvset.clear();
      this.proposal = voteBeats(n, this.initial, this.isVoter) ? pick(n) : this.initial;
      out.push(this.broadcastProposal());
    } else if (n.electionEpoch < this.logicalclock) {
      return out;
    } else if (voteBeats(n, this.proposal, this.isVoter)) {
      this.proposal = pick(n);
      out.push(this.broadcastProposal());
    }
    this.recvset.set(n.sid, { ...pick(n), electionEpoch: n.electionEpoch, state: 'LOOKING', version: 0 });
    const mine: RecordedVote = { ...this.proposal, electionEpoch: this.logicalclock, state: 'LOOKING', version: 0 };
    if (this.quorum(this.countMatching(this.recvset, mine))) {
      this.finalizing = true;
      out.push({ kind: 'timer', afterMs: this.timing.finalizeWaitMs });
    }
    return out;
  }

  /**
   * A FOLLOWING/LEADING notification (receivedFollowingNotification): one from this round goes
   * into recvset with its state, and we join its leader if recvset has a quorum for it and
   * checkLeader passes; otherwise (or from another round) it goes into outofelection, where a
   * quorum of settled votes confirming the leader lets a late joiner follow it.
   */
  private onSettled(n: Notification): ElectionAction[] {
    const vote: RecordedVote = { ...pick(n), electionEpoch: n.electionEpoch, state: n.state, version: NOTIFICATION_VERSION };
    if (n.electionEpoch === this.logicalclock) {
      // Recorded without a version (0), as lookForLeader builds it, against a probe that has the
      // notification's: two settled votes then match on the leader alone (Vote.equals).
      this.recvset.set(n.sid, { ...pick(n), electionEpoch: n.electionEpoch, state: n.state, version: 0 });
      if (this.quorum(this.countMatching(this.recvset, vote)) && this.checkLeader(this.recvset, n.leader, n.electionEpoch)) {
        return this.decide(pick(n), n.electionEpoch, 'following-leader');
      }
    }
    // outofelection also keeps this round's settled votes (ZOOKEEPER-1732).
    this.outofelection.set(n.sid, vote);
    if (this.quorum(this.countMatching(this.outofelection, vote)) && this.checkLeader(this.outofelection, n.leader, n.electionEpoch)) {
      this.logicalclock = n.electionEpoch;
      return this.decide(pick(n), n.electionEpoch, 'out-of-election');
    }
    return [];
  }

  /**
   * ZooKeeper's checkLeader: to follow someone else we must have heard from the leader itself,
   * in state LEADING; to lead, the round must be ours.
   */
  private checkLeader(votes: Map<number, RecordedVote>, leader: number, electionEpoch: number): boolean {
    if (leader !== this.myid) return votes.get(leader)?.state === 'LEADING';
    return this.logicalclock === electionEpoch;
  }

  private countMatching(votes: Map<number, RecordedVote>, vote: RecordedVote): number {
    let n = 0;
    for (const [sid, v] of votes) if (this.isVoter(sid) && sameVote(v, vote)) n++;
    return n;
  }

  private decide(vote: Vote, electionEpoch: number, how: 'quorum' | 'following-leader' | 'out-of-election'): ElectionAction[] {
    this.looking = false;
    this.finalizing = false;
    this.recvset.clear();
    this.proposal = vote;
    const state: PeerState = vote.leader === this.myid ? 'LEADING' : this.isVoter(this.myid) ? 'FOLLOWING' : 'OBSERVING';
    return [{ kind: 'decided', vote, electionEpoch, state, how }];
  }

  private broadcastProposal(): ElectionAction {
    return { kind: 'broadcast', n: { state: 'LOOKING', ...this.proposal, electionEpoch: this.logicalclock } };
  }

  /**
   * WorkerReceiver while LOOKING: a LOOKING sender from an older round gets our proposal back
   * (so it catches up); non-voters always get an answer. Returns what to send (maybe nothing).
   */
  replyWhileLooking(n: Notification): ElectionAction[] {
    if (!this.isVoter(n.sid) || (n.state === 'LOOKING' && n.electionEpoch < this.logicalclock)) {
      return [{ kind: 'send', to: n.sid, n: { sid: this.myid, state: 'LOOKING', ...this.proposal, electionEpoch: this.logicalclock } }];
    }
    return [];
  }

  /**
   * WorkerReceiver while FOLLOWING/LEADING/OBSERVING: a LOOKING sender is told the leader we
   * settled on, with the round we decided in — how a restarted server finds the ensemble.
   */
  answerWhenSettled(n: Notification, settled: { vote: Vote; electionEpoch: number; state: PeerState }): ElectionAction[] {
    if (n.state !== 'LOOKING' && this.isVoter(n.sid)) return [];
    return [{ kind: 'send', to: n.sid, n: { sid: this.myid, state: settled.state, ...settled.vote, electionEpoch: settled.electionEpoch } }];
  }
}

function pick(n: Notification): Vote {
  return { leader: n.leader, zxid: n.zxid, peerEpoch: n.peerEpoch };
}
