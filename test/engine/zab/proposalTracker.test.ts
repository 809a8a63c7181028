/**
 * The leader's commit rule: quorum of voters (own ack included, observers excluded), strictly
 * in zxid order, nothing before NEWLEADER is acked by a quorum, never outside the epoch.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProposalTracker } from '../../../src/engine/zab/broadcast/proposalTracker.ts';
import { makeZxid } from '../../../src/engine/zxid.ts';
import { InvariantError } from '../../../src/engine/assert.ts';

const E = 3;
const z = (c: number) => makeZxid(E, c);
function tracker(voters = [1, 2, 3]) {
  const t = new ProposalTracker<{ zxid: number }>(E, voters, makeZxid(2, 7));
  t.proposeNewLeader({ zxid: z(0) });
  return t;
}

describe('proposal tracker', () => {
  it('commits nothing until a quorum acked NEWLEADER, then everything already acked, in order', () => {
    const t = tracker();
    t.propose({ zxid: z(1) });
    expect(t.ack(1, z(1))).toEqual([]);
    expect(t.ack(2, z(1))).toEqual([]); // quorum for z1 but NEWLEADER is not established
    expect(t.ack(1, z(0))).toEqual([]);
    expect(t.ack(3, z(0)).map((p) => p.zxid)).toEqual([z(0), z(1)]);
    expect(t.established).toBe(true);
    expect(t.lastCommittedZxid).toBe(z(1));
  });

  it('observers do not count towards the quorum', () => {
    const t = tracker([1, 2, 3]);
    t.ack(1, z(0));
    t.ack(2, z(0));
    t.propose({ zxid: z(1) });
    expect(t.ack(1, z(1))).toEqual([]);
    expect(t.ack(9, z(1))).toEqual([]); // sid 9 is an observer
    expect(t.ack(3, z(1)).map((p) => p.zxid)).toEqual([z(1)]);
  });

  it('refuses proposals outside its epoch or out of sequence', () => {
    const t = tracker();
    expect(() => t.propose({ zxid: makeZxid(E + 1, 1) })).toThrow(InvariantError);
    expect(() => t.propose({ zxid: z(2) })).toThrow(InvariantError);
  });

  it('keeps committing in order over a long run that always has proposals outstanding', () => {
    // Proposals interleave with acks so that the queue is never empty: the tracker must drop
    // its spent front without losing or reordering anything (thousands of txns, as under load).
    const t = tracker();
    t.ack(1, z(0));
    t.ack(2, z(0));
    const committed: number[] = [];
    t.propose({ zxid: z(1) });
    for (let c = 1; c <= 5000; c++) {
      t.propose({ zxid: z(c + 1) });
      t.ack(1, z(c));
      committed.push(...t.ack(2, z(c)).map((p) => p.zxid));
      expect(t.pendingCount).toBe(1);
      expect(t.oldestPending()?.zxid).toBe(z(c + 1));
    }
    expect(committed).toEqual(Array.from({ length: 5000 }, (_, i) => z(i + 1)));
    expect(t.lastCommittedZxid).toBe(z(5000));
    expect(t.outstandingAfter(z(0)).map((p) => p.zxid)).toEqual([z(5001)]);
  });

  it('for any ack order, commits form the exact prefix 1..k whose acks are all quorate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 8 })), { maxLength: 80 }), (n, acks) => {
        const voters = [1, 2, 3, 4, 5];
        const t = tracker(voters);
        for (let c = 1; c <= n; c++) t.propose({ zxid: z(c) });
        const committed: number[] = [];
        const seen = new Map<number, Set<number>>();
        for (const [sid, c] of acks) {
          if (c > n) continue;
          seen.set(c, (seen.get(c) ?? new Set()).add(sid));
          committed.push(...t.ack(sid, z(c)).map((p) => p.zxid));
        }
        // Expected: the longest prefix 0..k where each has ≥ 3 distinct acks.
        const expected: number[] = [];
        for (let c = 0; c <= n && (seen.get(c)?.size ?? 0) >= 3; c++) expected.push(z(c));
        expect(committed).toEqual(expected);
      }),
    );
  });
});
