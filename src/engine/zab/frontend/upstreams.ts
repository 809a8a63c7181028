/**
 * Where a server's client front end sends what it cannot answer alone. On the leader that is
 * its own pipeline plus the global session tracker (LeaderSessionTracker: it alone expires
 * sessions); on a learner, REQUEST / REVALIDATE packets to the leader, and the touches of its
 * clients, which ride back on the next PING reply.
 */
import type { Effect } from '../../../sim/host/process.ts';
import { SessionTracker } from '../../session/sessionTracker.ts';
import type { LeaderPipeline } from '../broadcast/leaderPipeline.ts';
import type { QuorumPacket, RequestPacket, RevalidatePacket } from '../messages.ts';
import type { ClientFrontEnd, Upstream } from './clientFrontEnd.ts';

/** The leader's side: pipeline, session tracker, and the learners' requests. */
export class LeaderSessions {
  readonly tracker: SessionTracker;

  constructor(
    tickTimeMs: number,
    sessions: ReadonlyMap<number, number>,
    nowMs: number,
    private readonly pipeline: LeaderPipeline,
    private readonly now: () => number,
  ) {
    this.tracker = new SessionTracker(tickTimeMs);
    // A new leader starts every known session's clock afresh (SessionTrackerImpl's constructor).
    for (const [id, timeoutMs] of [...sessions].sort((a, b) => a[0] - b[0])) this.tracker.add(id, timeoutMs, nowMs);
  }

  isActive(sessionId: number): boolean {
    return this.tracker.isActive(sessionId);
  }

  /** The leader's own clients' upstream. */
  localUpstream(frontEnd: ClientFrontEnd): Upstream {
    return {
      submit: (sessionId, cxid, req, out) => {
        if (req.op === 'createSession') this.tracker.add(sessionId, req.timeoutMs, this.now());
        if (req.op === 'closeSession') this.tracker.setClosing(sessionId);
        this.pipeline.submit(sessionId, cxid, req, this.now(), out);
      },
      sync: (sessionId, cxid, _path, out) => this.pipeline.sync(out, (o) => frontEnd.markSynced(sessionId, cxid, o)),
      revalidate: (sessionId, timeoutMs, probe, out) => frontEnd.onRevalidated(sessionId, probe, this.tracker.touch(sessionId, this.now(), timeoutMs), out),
      touch: (sessionId, timeoutMs) => void this.tracker.touch(sessionId, this.now(), timeoutMs),
    };
  }

  /** A learner's REQUEST, PING reply (touches) or REVALIDATE. */
  onLearnerPacket(conn: number, p: QuorumPacket, out: Effect[]): void {
    if (p.type === 'PING') {
      for (const [id, timeoutMs] of p.touches ?? []) this.tracker.touch(id, this.now(), timeoutMs);
    } else if (p.type === 'REVALIDATE') {
      const valid = this.tracker.touch(p.sessionId, this.now(), p.timeoutMs);
      out.push({ kind: 'send', conn, msg: { type: 'REVALIDATE_REPLY', sessionId: p.sessionId, valid, probe: p.probe } satisfies QuorumPacket });
    } else if (p.type === 'REQUEST') {
      this.onRequest(conn, p, out);
    }
  }

  private onRequest(conn: number, p: RequestPacket, out: Effect[]): void {
    const r = p.request;
    if (r.op === 'sync') {
      this.pipeline.sync(out, (o) => o.push({ kind: 'send', conn, msg: { type: 'SYNC', sessionId: p.sessionId, cxid: p.cxid } satisfies QuorumPacket }));
      return;
    }
    if (r.op === 'createSession') {
      this.tracker.add(p.sessionId, r.timeoutMs, this.now());
      this.pipeline.submit(p.sessionId, p.cxid, { op: 'createSession', timeoutMs: r.timeoutMs }, this.now(), out);
    } else if (r.op === 'closeSession') {
      this.tracker.setClosing(p.sessionId);
      this.pipeline.submit(p.sessionId, p.cxid, { op: 'closeSession' }, this.now(), out);
    } else if (r.op === 'create' || r.op === 'create2' || r.op === 'createContainer' || r.op === 'createTTL' || r.op === 'delete' || r.op === 'setData' || r.op === 'multi') {
      this.pipeline.submit(p.sessionId, p.cxid, { op: 'write', request: r }, this.now(), out);
    }
  }

  /** Expires every due session: one closeSession txn each. */
  expire(out: Effect[]): void {
    for (const sessionId of this.tracker.expire(this.now())) {
      this.tracker.setClosing(sessionId);
      this.pipeline.submit(sessionId, 0, { op: 'closeSession' }, this.now(), out);
    }
  }

  /** The closeSession txn applied: stop tracking. */
  onSessionClosed(sessionId: number): void {
    this.tracker.remove(sessionId);
  }
}

/** A learner's upstream: forward to the leader, collect touches for the next PING reply. */
export class LearnerUpstream implements Upstream {
  private touches = new Map<number, number>();

  constructor(private readonly send: (p: RequestPacket | RevalidatePacket, out: Effect[]) => void) {}

  submit: Upstream['submit'] = (sessionId, cxid, req, out) => {
    const request: RequestPacket['request'] =
      req.op === 'write' ? req.request : req.op === 'createSession' ? { op: 'createSession', timeoutMs: req.timeoutMs } : { op: 'closeSession' };
    this.send({ type: 'REQUEST', sessionId, cxid, request }, out);
  };

  sync: Upstream['sync'] = (sessionId, cxid, path, out) => {
    this.send({ type: 'REQUEST', sessionId, cxid, request: { op: 'sync', path } }, out);
  };

  revalidate: Upstream['revalidate'] = (sessionId, timeoutMs, probe, out) => {
    this.send({ type: 'REVALIDATE', sessionId, timeoutMs, probe }, out);
  };

  touch: Upstream['touch'] = (sessionId, timeoutMs) => {
    this.touches.set(sessionId, timeoutMs);
  };

  /** The touches since the last PING reply, ascending by session. */
  drain(): [number, number][] {
    // forEach rather than a spread: no iterator step objects (this runs on every ping).
    const out: [number, number][] = [];
    this.touches.forEach((timeoutMs, sessionId) => out.push([sessionId, timeoutMs]));
    out.sort((a, b) => a[0] - b[0]);
    this.touches.clear();
    return out;
  }
}
