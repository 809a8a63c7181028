import type { Effect } from '../../../sim/host/process.ts';
import { ElectionChannels, type ChannelHello, type ElectionWireMsg } from '../election/electionChannels.ts';
import { FastLeaderElection, type ElectionAction, type ElectionTiming, type SelfInfo } from '../election/fastLeaderElection.ts';
import type { Notification, PeerState, Vote } from '../election/vote.ts';
import { serverAddress } from '../config.ts';
import { US_PER_MS } from '../../../sim/clock/clock.ts';

/** The timer id the election uses. */
export const ELECTION_TIMER = 'election';

/** The outcome of an election, as the node needs it. */
export interface ElectionDecision {
  vote: Vote;
  electionEpoch: number;
  state: PeerState;
  how: string;
}

/**
 * Glue between Fast Leader Election, its transport and the kernel: turns election actions
 * into effects, answers notifications while the node is settled, and reports decisions.
 */
export class ElectionDriver {
  readonly fle: FastLeaderElection;
  readonly channels: ElectionChannels;
  private settled: ElectionDecision | undefined;

  constructor(
    private readonly myid: number,
    private readonly voters: readonly number[],
    private readonly allServers: readonly number[],
    timing?: ElectionTiming,
  ) {
    this.fle = new FastLeaderElection(myid, voters, timing);
    this.channels = new ElectionChannels(myid, serverAddress);
  }

  /** Starts a round; the caller has set the node's state to LOOKING. */
  startLooking(self: SelfInfo, out: Effect[]): void {
    this.settled = undefined;
    this.run(this.fle.startLooking(self), out);
  }

  /** Records the decision the node acted on, so it can answer LOOKING peers. */
  settle(d: ElectionDecision): void {
    this.settled = d;
  }

  /** The election timer fired. Returns a decision when one was made. */
  onTimer(out: Effect[]): ElectionDecision | undefined {
    return this.run(this.fle.onTimer(this.channels.allDelivered()), out);
  }

  /** A message on an election connection. Returns a decision when one was made. */
  onMessage(conn: number, msg: ElectionWireMsg | ChannelHello, out: Effect[]): ElectionDecision | undefined {
    if (msg.type === 'hello') {
      this.channels.onHello(conn, msg, out);
      return undefined;
    }
    const n: Notification = msg.n;
    if (this.fle.isLooking) {
      this.run(this.fle.replyWhileLooking(n), out);
      return this.run(this.fle.onNotification(n), out);
    }
    if (this.settled !== undefined) this.run(this.fle.answerWhenSettled(n, this.settled), out);
    return undefined;
  }

  private run(actions: ElectionAction[], out: Effect[]): ElectionDecision | undefined {
    let decision: ElectionDecision | undefined;
    const loopback: Notification[] = [];
    for (const a of actions) {
      switch (a.kind) {
        case 'send':
          this.channels.send(a.to, a.n, out);
          break;
        case 'broadcast':
          // sendNotifications goes to every voting member, ourselves included: our own vote
          // reaches our receive queue through the loopback, and so is counted in recvset.
          for (const sid of this.voters) {
            if (sid === this.myid) loopback.push({ ...a.n, sid });
            else this.channels.send(sid, { ...a.n, sid: this.myid }, out);
          }
          break;
        case 'timer':
          out.push({ kind: 'setTimer', id: ELECTION_TIMER, afterUs: a.afterMs * US_PER_MS });
          break;
        case 'connectAll':
          this.channels.connectAll(this.allServers, out);
          break;
        case 'decided':
          out.push({ kind: 'cancelTimer', id: ELECTION_TIMER });
          decision = { vote: a.vote, electionEpoch: a.electionEpoch, state: a.state, how: a.how };
          break;
      }
    }
    for (const n of loopback) {
      if (decision !== undefined || !this.fle.isLooking) break;
      decision = this.run(this.fle.onNotification(n), out);
    }
    return decision;
  }
}
