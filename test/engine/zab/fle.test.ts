/**
 * Fast Leader Election alone, over an in-memory network with random per-message delays: the
 * winner is the (currentEpoch, lastLoggedZxid, sid) maximum; everyone agrees; a server that
 * restarts into a settled ensemble joins the existing leader through the out-of-election path;
 * observers are never voted for and end OBSERVING.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FastLeaderElection, type ElectionAction, type SelfInfo } from '../../../src/engine/zab/election/fastLeaderElection.ts';
import type { Notification, PeerState, Vote } from '../../../src/engine/zab/election/vote.ts';

interface Decision { vote: Vote; electionEpoch: number; state: PeerState; atMs: number }

/** Runs FLE among `selves` (+ observers) with delays drawn from `delays` (cycled). */
function elect(selves: SelfInfo[], observers: number[], delays: number[], settled: Map<number, Decision> = new Map(), restarting?: number[], down: number[] = []) {
  const voters = selves.map((s) => s.sid).filter((s) => !observers.includes(s));
  const fle = new Map(selves.map((s) => [s.sid, new FastLeaderElection(s.sid, voters)]));
  const decided = new Map<number, Decision>(settled);
  let now = 0;
  let d = 0;
  const queue: { at: number; seq: number; run: () => void }[] = [];
  let seq = 0;
  const timers = new Map<number, number>();
  const schedule = (at: number, run: () => void) => queue.push({ at, seq: seq++, run });
  const deliver = (to: number, n: Notification) => {
    if (down.includes(to)) return;
    schedule(now + (delays[d++ % delays.length] ?? 1), () => {
      const f = fle.get(to)!;
      if (f.isLooking) {
        apply(to, f.replyWhileLooking(n));
        apply(to, f.onNotification(n));
      } else if (decided.has(to)) {
        apply(to, f.answerWhenSettled(n, decided.get(to)!));
      }
    });
  };
  const apply = (sid: number, actions: ElectionAction[]) => {
    for (const a of actions) {
      // sendNotifications includes the sender itself (loopback), so its own vote is counted.
      if (a.kind === 'broadcast') for (const v of voters) deliver(v, { ...a.n, sid });
      if (a.kind === 'send') deliver(a.to, a.n);
      if (a.kind === 'timer') {
        const token = seq;
        timers.set(sid, token);
        schedule(now + a.afterMs, () => timers.get(sid) === token && apply(sid, fle.get(sid)!.onTimer(true)));
      }
      if (a.kind === 'decided') decided.set(sid, { vote: a.vote, electionEpoch: a.electionEpoch, state: a.state, atMs: now });
    }
  };
  for (const s of selves) {
    if (down.includes(s.sid) || (settled.has(s.sid) && !restarting?.includes(s.sid))) continue;
    apply(s.sid, fle.get(s.sid)!.startLooking(s));
  }
  while (queue.length > 0 && now < 120_000) {
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const ev = queue.shift()!;
    now = ev.at;
    ev.run();
  }
  return decided;
}

const fresh = (sids: number[], zxid = 0, epoch = 0): SelfInfo[] => sids.map((sid) => ({ sid, lastLoggedZxid: zxid, currentEpoch: epoch }));
const delaysArb = fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 40 });

describe('fast leader election', () => {
  it('with equal logs the highest sid wins and every server agrees, for any delays', () => {
    fc.assert(
      fc.property(delaysArb, fc.integer({ min: 3, max: 7 }), (delays, n) => {
        const sids = Array.from({ length: n }, (_, i) => i + 1);
        const decided = elect(fresh(sids), [], delays);
        expect(decided.size).toBe(n);
        for (const [sid, dec] of decided) {
          expect(dec.vote.leader).toBe(n);
          expect(dec.state).toBe(sid === n ? 'LEADING' : 'FOLLOWING');
        }
      }),
    );
  });

  it('the (currentEpoch, lastLoggedZxid, sid) maximum wins, epoch before zxid before sid', () => {
    const cases: [SelfInfo[], number][] = [
      [[{ sid: 1, lastLoggedZxid: 9, currentEpoch: 1 }, { sid: 2, lastLoggedZxid: 5, currentEpoch: 1 }, { sid: 3, lastLoggedZxid: 5, currentEpoch: 1 }], 1],
      [[{ sid: 1, lastLoggedZxid: 9, currentEpoch: 1 }, { sid: 2, lastLoggedZxid: 3, currentEpoch: 2 }, { sid: 3, lastLoggedZxid: 5, currentEpoch: 1 }], 2],
      [[{ sid: 1, lastLoggedZxid: 7, currentEpoch: 2 }, { sid: 2, lastLoggedZxid: 7, currentEpoch: 2 }, { sid: 3, lastLoggedZxid: 5, currentEpoch: 2 }], 2],
    ];
    for (const [selves, winner] of cases) {
      for (const delays of [[1], [5, 1, 9, 2], [30, 0, 0, 7, 3]]) {
        const decided = elect(selves, [], delays);
        expect([...decided.values()].map((d) => d.vote.leader)).toEqual([winner, winner, winner]);
      }
    }
  });

  it('decides only after finalizeWait (200 ms) of quiet once a quorum agrees', () => {
    const decided = elect(fresh([1, 2, 3]), [], [1]);
    for (const d of decided.values()) {
      expect(d.atMs).toBeGreaterThanOrEqual(200);
      expect(d.atMs).toBeLessThan(260);
    }
  });

  it('two survivors of three elect the higher sid (own vote counted through the loopback)', () => {
    const decided = elect(fresh([1, 2, 3], 5, 1), [], [2], new Map(), undefined, [3]);
    // Only sids 1 and 2 run, out of voters 1, 2, 3: each must count its own vote to reach 2 of 3.
    expect([...decided.values()].map((d) => d.vote.leader)).toEqual([2, 2]);
  });

  it('a restarted server joins the settled ensemble through the out-of-election path', () => {
    const settled = elect(fresh([1, 2, 3]), [], [2]);
    // Server 3 (the leader) stays; server 1 restarts with a fresh round counter and an old log.
    const again = elect([{ sid: 1, lastLoggedZxid: 0, currentEpoch: 0 }, ...fresh([2, 3], 5, 1)], [], [3], settled, [1]);
    expect(again.get(1)!.vote.leader).toBe(3);
    expect(again.get(1)!.state).toBe('FOLLOWING');
  });

  it('observers are never voted for and end OBSERVING', () => {
    fc.assert(
      fc.property(delaysArb, (delays) => {
        // sid 9 is an observer with the "best" log: it must still not win.
        const selves = [...fresh([1, 2, 3]), { sid: 9, lastLoggedZxid: 100, currentEpoch: 5 }];
        const decided = elect(selves, [9], delays);
        expect(decided.size).toBe(4);
        for (const d of decided.values()) expect(d.vote.leader).toBe(3);
        expect(decided.get(9)?.state).toBe('OBSERVING');
        expect(decided.get(3)?.state).toBe('LEADING');
      }),
      { numRuns: 50 },
    );
  });
});

/**
 * FOLLOWING/LEADING notifications of the current round, fed one by one to a single LOOKING
 * server (lookForLeader's FOLLOWING/LEADING case, 3.8.0): they go into recvset with their
 * state, next to the round's LOOKING votes, and the server joins the leader as soon as recvset
 * holds a quorum for it and the leader's own LEADING vote (checkLeader).
 */
describe('fast leader election: settled votes of the current round', () => {
  const looking = (sid: number, leader: number, round = 1): Notification => ({ sid, state: 'LOOKING', leader, zxid: 0, electionEpoch: round, peerEpoch: 0 });
  const settled = (sid: number, state: 'FOLLOWING' | 'LEADING', leader: number, peerEpoch = 0, round = 1): Notification => ({ sid, state, leader, zxid: 0, electionEpoch: round, peerEpoch });
  const decisions = (actions: ElectionAction[]) => actions.filter((a) => a.kind === 'decided');
  /** Starts server 1 looking among `voters` and feeds it its own first vote (the loopback). */
  const startOne = (voters: number[]) => {
    const fle = new FastLeaderElection(1, voters);
    fle.startLooking({ sid: 1, lastLoggedZxid: 0, currentEpoch: 0 });
    fle.onNotification(looking(1, 1));
    return fle;
  };

  it('joins the leader when its LEADING vote completes a quorum with this round\'s LOOKING and FOLLOWING votes', () => {
    const fle = startOne([1, 2, 3, 4, 5]);
    // Server 5's LOOKING vote makes 1 switch to 5; its own new vote comes back through the loopback.
    expect(fle.onNotification(looking(5, 5)).some((a) => a.kind === 'broadcast')).toBe(true);
    fle.onNotification(looking(1, 5));
    // A quorum (1, 4, 5 of 5) agrees on 5, but 5's vote in recvset is still LOOKING: checkLeader fails.
    expect(decisions(fle.onNotification(settled(4, 'FOLLOWING', 5)))).toEqual([]);
    // 5 now says LEADING. outofelection has only 4 and 5 (2 of 5); recvset has 1, 4 and 5.
    expect(decisions(fle.onNotification(settled(5, 'LEADING', 5)))).toEqual([
      { kind: 'decided', vote: { leader: 5, zxid: 0, peerEpoch: 0 }, electionEpoch: 1, state: 'FOLLOWING', how: 'following-leader' },
    ]);
    expect(fle.isLooking).toBe(false);
  });

  it('compares settled votes in recvset by leader alone (Vote.equals across format versions)', () => {
    const fle = startOne([1, 2, 3]);
    // The leader already moved its vote to the new epoch (updateElectionVote); its follower has not.
    expect(decisions(fle.onNotification(settled(2, 'FOLLOWING', 3, 0)))).toEqual([]);
    const out = decisions(fle.onNotification(settled(3, 'LEADING', 3, 1)));
    expect(out).toEqual([{ kind: 'decided', vote: { leader: 3, zxid: 0, peerEpoch: 1 }, electionEpoch: 1, state: 'FOLLOWING', how: 'following-leader' }]);
  });

  it('a better FOLLOWING/LEADING vote ends finalizeWait and is counted, so the server follows the real leader', () => {
    const fle = startOne([1, 2, 3]);
    fle.onNotification(looking(2, 2));
    const finalizing = fle.onNotification(looking(1, 2));
    // 1 and 2 agree on 2 (2 of 3): finalizeWait starts.
    expect(finalizing).toContainEqual({ kind: 'timer', afterMs: 200 });
    // Meanwhile 3 won and 2 follows it; both notifications beat the proposal for 2.
    expect(decisions(fle.onNotification(settled(3, 'LEADING', 3)))).toEqual([]);
    expect(fle.isLooking).toBe(true);
    expect(decisions(fle.onNotification(settled(2, 'FOLLOWING', 3)))).toEqual([
      { kind: 'decided', vote: { leader: 3, zxid: 0, peerEpoch: 0 }, electionEpoch: 1, state: 'FOLLOWING', how: 'following-leader' },
    ]);
  });
});
