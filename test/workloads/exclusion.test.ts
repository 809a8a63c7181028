/**
 * The exclusion check on hand-written holds and session facts: an overlap is reported exactly
 * when both sessions are provably alive at its start (an ok write invoked at or after it), so
 * an overlap explained by an expiry is never reported and a provable one always is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkExclusion, exclusionViolations, type Hold } from '../../src/workloads/checks/exclusion.ts';
import type { SessionFacts, SessionRecord } from '../../src/workloads/driver/sessionFacts.ts';

const opts = { property: 'mutual-exclusion', role: 'held the lock' };

function session(session: string, client: string, writeOkInvokeUs: number[], end?: { atUs: number; kind: 'expired' | 'closed' }): SessionRecord {
  return {
    session,
    client,
    states: [{ t: 0, state: 'connected' }, ...(end ? [{ t: end.atUs, state: end.kind }] : [])],
    ...(end ? { endUs: end.atUs, endKind: end.kind } : {}),
    writeOkInvokeUs,
  };
}
const factsOf = (...recs: SessionRecord[]): SessionFacts => Object.fromEntries(recs.map((r) => [r.session, r]));
const hold = (client: string, session: string, fromUs: number, toUs?: number): Hold => ({ client, session, node: `/lock/${client}-0000000001`, fromUs, ...(toUs !== undefined ? { toUs, end: 'released' as const } : {}) });

describe('exclusion check', () => {
  it('reports an overlap when both sessions wrote after it began', () => {
    const holds = [hold('c1', 's1', 100, 300), hold('c2', 's2', 200, 400)];
    // Each release (a delete, invoked at the hold's end) completed ok: both alive at 200.
    const facts = factsOf(session('s1', 'c1', [50, 300]), session('s2', 'c2', [150, 400]));
    const check = checkExclusion('mutual-exclusion', holds, facts, opts);
    expect(check.verdict).toBe('illegal');
    expect(check.violations).toHaveLength(1);
    const v = check.violations[0]!;
    expect(v.property).toBe('mutual-exclusion');
    expect(v.witness).toMatchObject({ overlapFromUs: 200, overlapToUs: 300, signOfLifeUs: { s1: 300, s2: 400 } });
    expect(v.message).toContain('c1 and c2 both held the lock from 0.200 ms to 0.300 ms');
  });

  it('does not report an overlap explained by the expiry of the older holder', () => {
    // c1 was cut off: its session expired and it learned so only at 900, still believing until
    // then. Its last ok write was invoked before c2 took over, so it may well have been dead.
    const holds = [{ ...hold('c1', 's1', 100), toUs: 900, end: 'expired' as const }, hold('c2', 's2', 600, 700)];
    const facts = factsOf(session('s1', 'c1', [50, 120], { atUs: 900, kind: 'expired' }), session('s2', 'c2', [500, 700]));
    expect(exclusionViolations(holds, facts, opts)).toEqual([]);
    expect(checkExclusion('mutual-exclusion', holds, facts, opts).verdict).toBe('ok');
  });

  it('does not report an overlap when the newer holder may have been expired', () => {
    // A lagging follower can show an expired session its old node as lowest: c2 believes with a
    // dead session, and that is no violation either.
    const holds = [hold('c1', 's1', 100, 800), hold('c2', 's2', 400, 500)];
    const facts = factsOf(session('s1', 'c1', [800]), session('s2', 'c2', [10]));
    expect(exclusionViolations(holds, facts, opts)).toEqual([]);
  });

  it('needs the sign of life at or after the overlap start, not before', () => {
    const holds = [hold('c1', 's1', 100, 300), hold('c2', 's2', 200, 400)];
    expect(exclusionViolations(holds, factsOf(session('s1', 'c1', [199]), session('s2', 'c2', [400])), opts)).toEqual([]);
    expect(exclusionViolations(holds, factsOf(session('s1', 'c1', [200]), session('s2', 'c2', [400])), opts)).toHaveLength(1);
  });

  it('treats touching intervals, the same client and unknown sessions as no overlap', () => {
    const facts = factsOf(session('s1', 'c1', [1000]), session('s2', 'c2', [1000]), session('s3', 'c1', [1000]));
    expect(exclusionViolations([hold('c1', 's1', 100, 200), hold('c2', 's2', 200, 300)], facts, opts)).toEqual([]);
    expect(exclusionViolations([hold('c1', 's1', 100, 300), hold('c1', 's3', 200, 400)], facts, opts)).toEqual([]);
    expect(exclusionViolations([hold('c1', 's1', 100, 300), hold('c2', 'sX', 200, 400)], facts, opts)).toEqual([]);
  });

  it('an open hold lasts to the end of the run', () => {
    const holds = [hold('c1', 's1', 100), hold('c2', 's2', 5000, 6000)];
    const v = exclusionViolations(holds, factsOf(session('s1', 'c1', [7000]), session('s2', 'c2', [6000])), opts);
    expect(v).toHaveLength(1);
    expect(v[0]!.witness).toMatchObject({ overlapFromUs: 5000, overlapToUs: 6000 });
  });

  it('caps the list and counts the rest', () => {
    const holds = Array.from({ length: 8 }, (_, i) => hold(`c${i}`, `s${i}`, 100 + i, 1000));
    const facts = factsOf(...holds.map((h) => session(h.session, h.client, [1000])));
    const v = exclusionViolations(holds, facts, { ...opts, maxViolations: 5 });
    expect(v).toHaveLength(6);
    expect(v[5]!.message).toBe('23 more provable overlaps not listed'); // 8·7/2 = 28 pairs
  });

  it('property: reported iff both sessions are provably alive at the overlap start, in any input order', () => {
    const arbHold = fc.record({ client: fc.constantFrom('c1', 'c2', 'c3'), from: fc.integer({ min: 0, max: 100 }), len: fc.integer({ min: 1, max: 50 }), open: fc.boolean() });
    const arbWrites = fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 4 });
    fc.assert(
      fc.property(fc.array(arbHold, { maxLength: 6 }), fc.tuple(arbWrites, arbWrites, arbWrites), (raw, writes) => {
        const holds = raw.map((h) => ({ ...hold(h.client, `s-${h.client}`, h.from, h.open ? undefined : h.from + h.len) }));
        const facts = factsOf(...['c1', 'c2', 'c3'].map((c, i) => session(`s-${c}`, c, [...writes[i]!].sort((a, b) => a - b))));
        const alive = (s: string, t: number) => facts[s]!.writeOkInvokeUs.some((w) => w >= t);
        let expected = 0;
        for (let i = 0; i < holds.length; i++) {
          for (let j = i + 1; j < holds.length; j++) {
            const a = holds[i]!;
            const b = holds[j]!;
            if (a.client === b.client) continue;
            const start = Math.max(a.fromUs, b.fromUs);
            const end = Math.min(a.toUs ?? Infinity, b.toUs ?? Infinity);
            if (start < end && alive(a.session, start) && alive(b.session, start)) expected++;
          }
        }
        const got = exclusionViolations(holds, facts, { ...opts, maxViolations: 100 });
        expect(got).toHaveLength(expected);
        expect(exclusionViolations([...holds].reverse(), facts, { ...opts, maxViolations: 100 })).toEqual(got);
      }),
      { numRuns: 300 },
    );
  });
});
