/**
 * The client side of an ensemble member (ServerCnxn + the request processors' client ends):
 * connections and their sessions, per-session request order, local reads, watches, and the
 * replies that go out when a txn applies here. Writes and session ops go upstream — straight
 * into the leader's pipeline on the leader, forwarded as REQUEST on a learner. The leader also
 * owns session expiry (LeaderSessionTracker) and revalidates re-attaching sessions.
 *
 * A server serves only while its role does (leader established, learner UPTODATE); when the
 * role ends every client connection is closed, so clients see CONNECTIONLOSS and reconnect.
 */
import type { Effect } from '../../../sim/host/process.ts';
import type { ApplyOutcome } from '../../request/apply.ts';
import { exceedsPacketLimit } from '../../request/packetSize.ts';
import { serveRead } from '../../request/reads.ts';
import type { Txn } from '../../request/txn.ts';
import { type ClientRequest, isWriteRequest } from '../../request/types.ts';
import { replyForWrite } from '../../server/replies.ts';
import type { CloseReason, ConnectRequest, ReplyResult } from '../../server/effects.ts';
import type { ServerToClient } from '../../server/clientWire.ts';
import { initialSessionId, PASSWORD_BYTES, passwordsEqual, sessionPassword } from '../../session/sessionId.ts';
import { negotiateTimeoutMs } from '../../session/sessionTracker.ts';
import { ErrorCode } from '../../tree/errors.ts';
import { WatchManager } from '../../watch/watchManager.ts';
import type { Replica } from '../replica/replica.ts';
import type { LeaderRequest } from '../broadcast/leaderPipeline.ts';
import { type PendingKind, SessionQueue } from './sessionQueue.ts';

/** Where requests go that this server cannot answer itself. */
export interface Upstream {
  /** Write, createSession or closeSession: comes back as an applied txn. */
  submit(sessionId: number, cxid: number, req: LeaderRequest, out: Effect[]): void;
  /** A client sync: `markSynced` is called when the leader's answer arrives. */
  sync(sessionId: number, cxid: number, path: string, out: Effect[]): void;
  /** Is this session alive? Touches it with `timeoutMs` on the leader. Answer via `onRevalidated`. */
  revalidate(sessionId: number, timeoutMs: number, probe: number, out: Effect[]): void;
  /** A client touched this session (a request or ping). */
  touch(sessionId: number, timeoutMs: number): void;
}

interface ClientConn {
  sessionId: number | undefined;
  /** A ConnectRequest waiting for createSession or revalidation. */
  pendingConnect?: { sessionId: number; timeoutMs: number; probe?: number };
}

export class ClientFrontEnd {
  readonly watches = new WatchManager();
  private conns = new Map<number, ClientConn>();
  private sessions = new Map<number, SessionQueue>();
  private upstream: Upstream | undefined;
  private nextSessionId = 0;
  private nextProbe = 1;

  constructor(
    private readonly myid: number,
    private readonly tickTimeMs: number,
    private readonly replica: () => Replica,
  ) {}

  get serving(): boolean {
    return this.upstream !== undefined;
  }

  start(upstream: Upstream, nowMs: number): void {
    this.upstream = upstream;
    if (this.nextSessionId === 0) this.nextSessionId = initialSessionId(this.myid, nowMs);
  }

  /** The role ended: every client connection closes (ZooKeeperServer shutdown). */
  stop(out: Effect[]): void {
    this.upstream = undefined;
    for (const conn of [...this.conns.keys()]) this.close(conn, 'notConnected', out);
  }

  owns(conn: number): boolean {
    return this.conns.has(conn);
  }

  /** A new inbound connection whose first message is a client's. */
  adopt(conn: number): void {
    this.conns.set(conn, { sessionId: undefined });
  }

  onDisconnected(conn: number): void {
    this.unbind(conn);
    this.conns.delete(conn);
  }

  onConnect(conn: number, req: ConnectRequest, out: Effect[]): void {
    const up = this.upstream;
    if (up === undefined) return this.close(conn, 'notConnected', out);
    if (req.lastZxidSeen !== undefined && req.lastZxidSeen > this.replica().lastProcessedZxid) return this.close(conn, 'zxidAhead', out);
    const c = this.conns.get(conn)!;
    const timeoutMs = negotiateTimeoutMs(req.timeoutMs, this.tickTimeMs);
    if (req.sessionId === undefined || req.sessionId === 0) {
      const sessionId = this.nextSessionId++;
      c.pendingConnect = { sessionId, timeoutMs };
      up.submit(sessionId, 0, { op: 'createSession', timeoutMs }, out);
      return;
    }
    if (!passwordsEqual(req.passwd, sessionPassword(req.sessionId))) return this.refuse(conn, out);
    const probe = this.nextProbe++;
    c.pendingConnect = { sessionId: req.sessionId, timeoutMs, probe };
    up.revalidate(req.sessionId, timeoutMs, probe, out);
  }

  /** The leader's answer to a revalidation. */
  onRevalidated(sessionId: number, probe: number, valid: boolean, out: Effect[]): void {
    for (const [conn, c] of this.conns) {
      if (c.pendingConnect?.probe !== probe || c.pendingConnect.sessionId !== sessionId) continue;
      const { timeoutMs } = c.pendingConnect;
      c.pendingConnect = undefined;
      if (!valid) return this.refuse(conn, out);
      const previous = this.sessions.get(sessionId);
      if (previous !== undefined && previous.conn !== conn) this.close(previous.conn, 'clientReconnect', out);
      this.bind(conn, sessionId, timeoutMs);
      this.send(conn, { t: 'connectResponse', sessionId, timeoutMs, passwd: sessionPassword(sessionId) }, out);
      return;
    }
  }

  onPing(conn: number, out: Effect[]): void {
    const sessionId = this.conns.get(conn)?.sessionId;
    if (sessionId === undefined) return;
    this.upstream?.touch(sessionId, this.sessions.get(sessionId)!.timeoutMs);
    this.send(conn, { t: 'pong', zxid: this.replica().lastProcessedZxid }, out);
  }

  onRequest(conn: number, xid: number, req: ClientRequest, out: Effect[]): void {
    const up = this.upstream;
    const sessionId = this.conns.get(conn)?.sessionId;
    if (up === undefined || sessionId === undefined) return this.close(conn, 'notConnected', out);
    if (exceedsPacketLimit(req)) return this.close(conn, 'packetTooLarge', out);
    const q = this.sessions.get(sessionId)!;
    up.touch(sessionId, q.timeoutMs);
    const kind: PendingKind = isWriteRequest(req) ? 'write' : req.op === 'closeSession' ? 'close' : req.op === 'sync' ? 'sync' : 'read';
    q.push({ xid, request: req, kind, ready: false });
    if (kind === 'write') up.submit(sessionId, xid, { op: 'write', request: req as Extract<ClientRequest, { op: 'create' }> }, out);
    else if (kind === 'close') up.submit(sessionId, xid, { op: 'closeSession' }, out);
    else if (kind === 'sync') up.sync(sessionId, xid, (req as { path: string }).path, out);
    this.drain(q, out);
  }

  /** The leader's answer to a forwarded sync. */
  markSynced(sessionId: number, cxid: number, out: Effect[]): void {
    const q = this.sessions.get(sessionId);
    if (q === undefined) return;
    q.markSynced(cxid);
    this.drain(q, out);
  }

  /** A txn applied on this replica (FinalRequestProcessor): watches, then the requester's reply. */
  onApplied(txn: Txn, outcome: ApplyOutcome, out: Effect[]): void {
    for (const n of this.watches.fire(outcome.triggers)) {
      if (typeof n.connId === 'number') this.send(n.connId, { t: 'event', event: n.event }, out);
    }
    const body = txn.body;
    if (body.type === 'createSession') {
      for (const [conn, c] of this.conns) {
        if (c.pendingConnect?.sessionId !== txn.sessionId || c.pendingConnect.probe !== undefined) continue;
        c.pendingConnect = undefined;
        this.bind(conn, txn.sessionId, body.timeoutMs);
        this.send(conn, { t: 'connectResponse', sessionId: txn.sessionId, timeoutMs: body.timeoutMs, passwd: sessionPassword(txn.sessionId) }, out);
      }
      return;
    }
    const q = this.sessions.get(txn.sessionId);
    if (q === undefined) return;
    if (body.type === 'closeSession') {
      const item = q.takeWrite(txn.cxid);
      if (item !== undefined) this.reply(q.conn, item.xid, ErrorCode.OK, { type: 'empty' }, out);
      this.close(q.conn, item !== undefined ? 'sessionClosed' : 'sessionExpired', out);
      return;
    }
    const item = q.takeWrite(txn.cxid);
    if (item !== undefined && isWriteRequest(item.request)) {
      const r = replyForWrite(item.request, outcome.result);
      this.reply(q.conn, item.xid, r.err, r.result, out);
    }
    this.drain(q, out);
  }

  /** Serves every request at the head of the queue that can complete now. */
  private drain(q: SessionQueue, out: Effect[]): void {
    for (const item of q.takeRunnable()) {
      const req = item.request;
      switch (req.op) {
        case 'ping':
          this.reply(q.conn, item.xid, ErrorCode.OK, { type: 'empty' }, out);
          break;
        case 'addWatch':
          this.watches.addWatch(req.path, q.conn, req.mode);
          this.reply(q.conn, item.xid, ErrorCode.OK, { type: 'empty' }, out);
          break;
        case 'removeWatches': {
          const removed = this.watches.removeWatches(req.path, q.conn, req.watcherType);
          this.reply(q.conn, item.xid, removed ? ErrorCode.OK : ErrorCode.NOWATCHER, { type: 'empty' }, out);
          break;
        }
        case 'setWatches':
          // Re-registration after a reconnect: watches whose event was missed fire at once.
          for (const n of this.watches.setWatches(req, q.conn, this.replica().db.tree)) {
            if (typeof n.connId === 'number') this.send(n.connId, { t: 'event', event: n.event }, out);
          }
          this.reply(q.conn, item.xid, ErrorCode.OK, { type: 'empty' }, out);
          break;
        default: {
          const outcome = serveRead(req as Parameters<typeof serveRead>[0], { tree: this.replica().db.tree, watches: this.watches, connId: q.conn, sessionId: q.sessionId });
          this.reply(q.conn, item.xid, outcome.err, outcome.result, out);
        }
      }
    }
  }

  private refuse(conn: number, out: Effect[]): void {
    this.send(conn, { t: 'connectResponse', sessionId: 0, timeoutMs: 0, passwd: new Uint8Array(PASSWORD_BYTES) }, out);
    this.close(conn, 'sessionExpired', out);
  }

  private reply(conn: number, xid: number, err: number, result: ReplyResult | null, out: Effect[]): void {
    this.send(conn, { t: 'reply', xid, zxid: this.replica().lastProcessedZxid, err, result: err === 0 ? result : null }, out);
  }

  private send(conn: number, msg: ServerToClient, out: Effect[]): void {
    out.push({ kind: 'send', conn, msg });
  }

  private bind(conn: number, sessionId: number, timeoutMs: number): void {
    this.conns.get(conn)!.sessionId = sessionId;
    this.sessions.set(sessionId, new SessionQueue(sessionId, conn, timeoutMs));
  }

  private unbind(conn: number): void {
    const c = this.conns.get(conn);
    if (c?.sessionId !== undefined && this.sessions.get(c.sessionId)?.conn === conn) this.sessions.delete(c.sessionId);
    this.watches.removeConnection(conn);
  }

  private close(conn: number, reason: CloseReason, out: Effect[]): void {
    if (!this.conns.has(conn)) return;
    this.send(conn, { t: 'closing', reason }, out);
    out.push({ kind: 'close', conn });
    this.unbind(conn);
    this.conns.delete(conn);
  }
}
