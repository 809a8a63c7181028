/**
 * Session expiry on tick-width buckets (ZooKeeper's ExpiryQueue): a touch at `nowMs` moves the
 * session to the bucket `roundUp(nowMs + timeoutMs, tickTimeMs)`, and every session in a bucket
 * whose time has come expires together. So a session expires at the first tick boundary at or
 * after lastTouch + timeout, i.e. within [timeout, timeout + tickTime] of its last touch.
 * In an ensemble only the leader runs this; followers relay touches.
 */
import { assert } from '../assert.ts';

/** Smallest multiple of `tickTimeMs` that is ≥ `timeMs`. */
export function roundUpToTick(timeMs: number, tickTimeMs: number): number {
  return Math.ceil(timeMs / tickTimeMs) * tickTimeMs;
}

/** The server clamps the requested timeout to [2, 20]·tickTime (§1.1). */
export function negotiateTimeoutMs(requestedMs: number, tickTimeMs: number): number {
  return Math.min(20 * tickTimeMs, Math.max(2 * tickTimeMs, requestedMs));
}

interface TrackedSession {
  timeoutMs: number;
  expiresAtMs: number;
  /** Set once a closeSession is under way: touches fail, expiry skips it. */
  closing: boolean;
}

/** Live sessions, their timeouts and their expiry buckets. */
export class SessionTracker {
  private readonly sessions = new Map<number, TrackedSession>();
  private readonly buckets = new Map<number, Set<number>>();

  constructor(readonly tickTimeMs: number) {
    assert(Number.isInteger(tickTimeMs) && tickTimeMs > 0, () => `bad tickTimeMs ${tickTimeMs}`);
  }

  /** Starts tracking a new session, touched at `nowMs`. */
  add(sessionId: number, timeoutMs: number, nowMs: number): void {
    assert(!this.sessions.has(sessionId), () => `session ${sessionId} tracked twice`);
    const session: TrackedSession = { timeoutMs, expiresAtMs: -1, closing: false };
    this.sessions.set(sessionId, session);
    this.rebucket(sessionId, session, nowMs);
  }

  /** Whether the session is tracked and not closing. */
  isActive(sessionId: number): boolean {
    const session = this.sessions.get(sessionId);
    return session !== undefined && !session.closing;
  }

  /** The session's current timeout, if tracked. */
  timeoutOf(sessionId: number): number | undefined {
    return this.sessions.get(sessionId)?.timeoutMs;
  }

  /** When the session will expire unless touched again, if tracked. */
  expiresAtOf(sessionId: number): number | undefined {
    return this.sessions.get(sessionId)?.expiresAtMs;
  }

  /**
   * Records activity at `nowMs` (optionally with a new timeout, as a re-attach negotiates one).
   * Returns false for an unknown or closing session: the caller must treat it as expired.
   */
  touch(sessionId: number, nowMs: number, timeoutMs?: number): boolean {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.closing) return false;
    if (timeoutMs !== undefined) session.timeoutMs = timeoutMs;
    this.rebucket(sessionId, session, nowMs);
    return true;
  }

  /** Marks the session as closing (a closeSession was prepped for it). */
  setClosing(sessionId: number): void {
    const session = this.sessions.get(sessionId);
    if (session !== undefined) session.closing = true;
  }

  /** Stops tracking the session (its closeSession applied). */
  remove(sessionId: number): void {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return;
    this.buckets.get(session.expiresAtMs)?.delete(sessionId);
    this.sessions.delete(sessionId);
  }

  /**
   * Sessions whose bucket time is ≤ `nowMs`, oldest bucket first and by id within a bucket;
   * each is marked closing so it is reported once.
   */
  expire(nowMs: number): number[] {
    const due = [...this.buckets.keys()].filter((t) => t <= nowMs).sort((a, b) => a - b);
    const expired: number[] = [];
    for (const bucketMs of due) {
      const ids = [...this.buckets.get(bucketMs)!].sort((a, b) => a - b);
      this.buckets.delete(bucketMs);
      for (const id of ids) {
        const session = this.sessions.get(id)!;
        if (session.closing) continue;
        session.closing = true;
        expired.push(id);
      }
    }
    return expired;
  }

  /** The earliest bucket time, if any session is waiting to expire. */
  nextExpiryMs(): number | undefined {
    let next: number | undefined;
    for (const t of this.buckets.keys()) if (next === undefined || t < next) next = t;
    return next;
  }

  /** Tracked session ids, ascending. */
  sessionIds(): number[] {
    return [...this.sessions.keys()].sort((a, b) => a - b);
  }

  private rebucket(sessionId: number, session: TrackedSession, nowMs: number): void {
    const expiresAtMs = roundUpToTick(nowMs + session.timeoutMs, this.tickTimeMs);
    if (expiresAtMs === session.expiresAtMs) return;
    this.buckets.get(session.expiresAtMs)?.delete(sessionId);
    if (this.buckets.get(session.expiresAtMs)?.size === 0) this.buckets.delete(session.expiresAtMs);
    let bucket = this.buckets.get(expiresAtMs);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(expiresAtMs, bucket);
    }
    bucket.add(sessionId);
    session.expiresAtMs = expiresAtMs;
  }
}
