/**
 * Session timeouts and expiry buckets (§1.1, §1.5): negotiation clamps to [2, 20]·tick, a
 * session expires at the first tick boundary at or after lastTouch + timeout, touches move it,
 * closing sessions cannot be touched, and ids/passwords are deterministic.
 */
import { describe, expect, it } from 'vitest';
import { SessionTracker, negotiateTimeoutMs, roundUpToTick } from '../../src/engine/session/sessionTracker.ts';
import { initialSessionId, sessionPassword } from '../../src/engine/session/sessionId.ts';

describe('timeout negotiation (tick 2000)', () => {
  it.each([
    [1000, 4000],
    [4000, 4000],
    [10000, 10000],
    [40000, 40000],
    [100000, 40000],
  ])('requested %d gives %d', (requested, negotiated) => {
    expect(negotiateTimeoutMs(requested, 2000)).toBe(negotiated);
  });
});

describe('expiry buckets', () => {
  it.each([
    // [lastTouchMs, timeoutMs, expiresAtMs] with tick 2000
    [0, 4000, 4000],
    [1, 4000, 6000],
    [1000, 4000, 6000],
    [6000, 5000, 12000],
    [1999, 10000, 12000],
  ])('touched at %d with timeout %d expires at %d', (touchMs, timeoutMs, expiresAtMs) => {
    expect(roundUpToTick(touchMs + timeoutMs, 2000)).toBe(expiresAtMs);
    const tracker = new SessionTracker(2000);
    tracker.add(1, timeoutMs, touchMs);
    expect(tracker.expire(expiresAtMs - 1)).toEqual([]);
    expect(tracker.expire(expiresAtMs)).toEqual([1]);
    expect(tracker.expire(expiresAtMs + 100_000)).toEqual([]);
  });

  it('a touch moves the session to a later bucket; expiry is bucket order then id order', () => {
    const tracker = new SessionTracker(2000);
    tracker.add(3, 4000, 0);
    tracker.add(2, 4000, 0);
    tracker.add(1, 4000, 1500);
    expect(tracker.touch(3, 3000)).toBe(true);
    expect(tracker.expire(4000)).toEqual([2]);
    expect(tracker.expire(8000)).toEqual([1, 3]);
  });

  it('closing sessions refuse touches and are not reported again', () => {
    const tracker = new SessionTracker(2000);
    tracker.add(1, 4000, 0);
    tracker.setClosing(1);
    expect(tracker.touch(1, 100)).toBe(false);
    expect(tracker.expire(10_000)).toEqual([]);
    tracker.remove(1);
    expect(tracker.isActive(1)).toBe(false);
  });
});

describe('session ids and passwords', () => {
  it('ids are safe integers with the server id on top and differ by start time', () => {
    const a = initialSessionId(1, 0);
    const b = initialSessionId(255, 2 ** 21 - 1) + 2 ** 24 - 1;
    expect(Number.isSafeInteger(b)).toBe(true);
    expect(Math.floor(a / 2 ** 45)).toBe(1);
    expect(initialSessionId(1, 1000)).not.toBe(a);
  });

  it('passwords depend only on the id', () => {
    expect(sessionPassword(12345)).toEqual(sessionPassword(12345));
    expect(sessionPassword(12345)).not.toEqual(sessionPassword(12346));
    expect(sessionPassword(12345)).toHaveLength(16);
  });
});
