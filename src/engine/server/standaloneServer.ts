/**
 * The core of one standalone ZooKeeper 3.8.0 server as a pure state machine: inputs in
 * (connect, request, disconnect, tick), effects out (connect responses, replies, watch
 * notifications, connection closes). No I/O and no clock: time only moves through `tick`,
 * and every request is stamped with the time of the latest tick.
 *
 * Writes go through the same two halves the ensemble uses — prep (with outstanding change
 * records) then apply — except that here apply follows prep at once. Standalone runs in epoch
 * 0 and its first txn (the first createSession) is zxid 1.
 */
import { assert, assertNever } from '../assert.ts';
import { CONTAINER_CHECK_INTERVAL_MS, containerCandidates } from '../container/containerManager.ts';
import { type DatabaseSnapshot, type ZkDatabase, databaseDigest, freshDatabase, snapshotDatabase } from '../db/zkDatabase.ts';
import { applyTxn } from '../request/apply.ts';
import { ChangeRecords } from '../request/changeRecords.ts';
import { exceedsPacketLimit } from '../request/packetSize.ts';
import { type PrepContext, prepCloseSession, prepCreateSession, prepDeleteContainer, prepWrite } from '../request/prep.ts';
import { serveRead } from '../request/reads.ts';
import type { TxnResult } from '../request/results.ts';
import type { Txn } from '../request/txn.ts';
import { type ClientRequest, isWriteRequest } from '../request/types.ts';
import { initialSessionId, PASSWORD_BYTES, passwordsEqual, sessionPassword } from '../session/sessionId.ts';
import { SessionTracker, negotiateTimeoutMs } from '../session/sessionTracker.ts';
import { ErrorCode } from '../tree/errors.ts';
import { WatchManager } from '../watch/watchManager.ts';
import { makeZxid } from '../zxid.ts';
import type { CloseReason, ConnId, ConnectRequest, ReplyResult, ServerEffect, ServerInput } from './effects.ts';
import { replyForWrite } from './replies.ts';

/** Configuration of a standalone server. */
export interface StandaloneOptions {
  tickTimeMs: number;
  /** ZooKeeper's standalone sid is 1; it goes into session ids. */
  serverId?: number;
  /** Virtual time at start (the first tick must not go before it). */
  startMs?: number;
  /** Container manager period; 0 disables container cleanup. */
  containerCheckIntervalMs?: number;
}

/** One standalone server: database, outstanding changes, sessions, watches, connections. */
export class StandaloneServer {
  readonly db: ZkDatabase = freshDatabase();
  readonly changes: ChangeRecords = new ChangeRecords(this.db.tree);
  readonly tracker: SessionTracker;
  readonly watches = new WatchManager();
  private readonly sessionByConn = new Map<ConnId, number>();
  private readonly connBySession = new Map<number, ConnId>();
  private nextSessionId: number;
  private nowMs: number;
  private readonly containerIntervalMs: number;
  private nextContainerCheckMs: number;

  constructor(options: StandaloneOptions) {
    this.tracker = new SessionTracker(options.tickTimeMs);
    this.nowMs = options.startMs ?? 0;
    this.nextSessionId = initialSessionId(options.serverId ?? 1, this.nowMs);
    this.containerIntervalMs = options.containerCheckIntervalMs ?? CONTAINER_CHECK_INTERVAL_MS;
    this.nextContainerCheckMs = this.nowMs + this.containerIntervalMs;
  }

  /** The server's current virtual time. */
  get timeMs(): number {
    return this.nowMs;
  }

  /** The zxid of the last applied txn (what reads report). */
  get lastProcessedZxid(): number {
    return this.db.lastProcessedZxid;
  }

  /** The session a connection is bound to, if any. */
  sessionOf(connId: ConnId): number | undefined {
    return this.sessionByConn.get(connId);
  }

  /** The live connection of a session, if any. */
  connectionOf(sessionId: number): ConnId | undefined {
    return this.connBySession.get(sessionId);
  }

  /** Dispatches one input. */
  step(input: ServerInput): ServerEffect[] {
    switch (input.type) {
      case 'connect':
        return this.connect(input.connId, input.request);
      case 'request':
        return this.request(input.connId, input.xid, input.request);
      case 'disconnect':
        return this.disconnect(input.connId);
      case 'tick':
        return this.tick(input.nowMs);
      default:
        return assertNever(input, 'server input');
    }
  }

  /** A client's ConnectRequest on a fresh connection: new session or re-attach (§1.5). */
  connect(connId: ConnId, req: ConnectRequest): ServerEffect[] {
    assert(!this.sessionByConn.has(connId), () => `connect on already connected ${String(connId)}`);
    if (req.lastZxidSeen !== undefined && req.lastZxidSeen > this.db.lastProcessedZxid) {
      return [{ type: 'closeConnection', connId, reason: 'zxidAhead' }];
    }
    const timeoutMs = negotiateTimeoutMs(req.timeoutMs, this.tracker.tickTimeMs);
    if (req.sessionId === undefined || req.sessionId === 0) return this.createSession(connId, timeoutMs);
    const sessionId = req.sessionId;
    const effects: ServerEffect[] = [];
    // The session's current connection is closed first, even when the password turns out wrong.
    const previous = this.connBySession.get(sessionId);
    if (previous !== undefined) effects.push(...this.dropConnection(previous, 'clientReconnect'));
    if (!passwordsEqual(req.passwd, sessionPassword(sessionId)) || !this.tracker.touch(sessionId, this.nowMs, timeoutMs)) {
      effects.push(
        { type: 'connectResponse', connId, sessionId: 0, timeoutMs: 0, passwd: new Uint8Array(PASSWORD_BYTES) },
        { type: 'closeConnection', connId, reason: 'sessionExpired' },
      );
      return effects;
    }
    this.bind(connId, sessionId);
    effects.push({ type: 'connectResponse', connId, sessionId, timeoutMs, passwd: sessionPassword(sessionId) });
    return effects;
  }

  /** One request on a connected connection. */
  request(connId: ConnId, xid: number, req: ClientRequest): ServerEffect[] {
    const sessionId = this.sessionByConn.get(connId);
    if (sessionId === undefined) return [{ type: 'closeConnection', connId, reason: 'notConnected' }];
    // An oversize packet is never parsed: no txn, no reply, the connection just closes.
    if (exceedsPacketLimit(req)) return this.dropConnection(connId, 'packetTooLarge');
    if (!this.tracker.touch(sessionId, this.nowMs)) {
      return [this.reply(connId, xid, ErrorCode.SESSIONEXPIRED, null), ...this.dropConnection(connId, 'sessionExpired')];
    }
    if (isWriteRequest(req)) {
      const txn = prepWrite(req, this.prepContext(sessionId, xid));
      const { result, effects } = this.commit(txn);
      const reply = replyForWrite(req, result);
      return [...effects, this.reply(connId, xid, reply.err, reply.result)];
    }
    switch (req.op) {
      case 'ping':
        return [this.reply(connId, xid, ErrorCode.OK, { type: 'empty' })];
      case 'closeSession':
        return this.closeSession(sessionId, connId, xid, 'sessionClosed');
      case 'addWatch':
        this.watches.addWatch(req.path, connId, req.mode);
        return [this.reply(connId, xid, ErrorCode.OK, { type: 'empty' })];
      case 'removeWatches': {
        const removed = this.watches.removeWatches(req.path, connId, req.watcherType);
        return [this.reply(connId, xid, removed ? ErrorCode.OK : ErrorCode.NOWATCHER, removed ? { type: 'empty' } : null)];
      }
      case 'setWatches': {
        const fired = this.watches.setWatches(req, connId, this.db.tree);
        const events: ServerEffect[] = fired.map((n) => ({ type: 'event', connId: n.connId, event: n.event }));
        return [...events, this.reply(connId, xid, ErrorCode.OK, { type: 'empty' })];
      }
      default: {
        const outcome = serveRead(req, { tree: this.db.tree, watches: this.watches, connId, sessionId });
        return [this.reply(connId, xid, outcome.err, outcome.result)];
      }
    }
  }

  /** The client's connection dropped without a close: the session lives on until it expires. */
  disconnect(connId: ConnId): ServerEffect[] {
    this.unbind(connId);
    return [];
  }

  /**
   * Advances virtual time: expires every session whose bucket is due (one closeSession txn
   * each, then its connection closes) and runs the container manager when its period is up.
   */
  tick(nowMs: number): ServerEffect[] {
    assert(nowMs >= this.nowMs, () => `time went backwards: ${nowMs} < ${this.nowMs}`);
    this.nowMs = nowMs;
    const effects: ServerEffect[] = [];
    for (const sessionId of this.tracker.expire(nowMs)) {
      const connId = this.connBySession.get(sessionId);
      effects.push(...this.closeSession(sessionId, connId, null, 'sessionExpired'));
    }
    if (this.containerIntervalMs > 0 && nowMs >= this.nextContainerCheckMs) {
      while (this.nextContainerCheckMs <= nowMs) this.nextContainerCheckMs += this.containerIntervalMs;
      for (const path of containerCandidates(this.db.tree)) {
        effects.push(...this.commit(prepDeleteContainer(path, this.prepContext(0, 0))).effects);
      }
    }
    return effects;
  }

  /** Digest of the replicated state (tree, sessions, last zxid). */
  digest(): string {
    return databaseDigest(this.db);
  }

  /** Snapshot of the replicated state as plain data. */
  snapshot(): DatabaseSnapshot {
    return snapshotDatabase(this.db);
  }

  private createSession(connId: ConnId, timeoutMs: number): ServerEffect[] {
    const sessionId = this.nextSessionId++;
    this.tracker.add(sessionId, timeoutMs, this.nowMs);
    const { effects } = this.commit(prepCreateSession(timeoutMs, this.prepContext(sessionId, 0)));
    this.bind(connId, sessionId);
    return [...effects, { type: 'connectResponse', connId, sessionId, timeoutMs, passwd: sessionPassword(sessionId) }];
  }

  /** closeSession (client close or expiry): one txn deleting every ephemeral of the session. */
  private closeSession(sessionId: number, connId: ConnId | undefined, xid: number | null, reason: CloseReason): ServerEffect[] {
    const txn = prepCloseSession(this.prepContext(sessionId, xid ?? 0));
    this.tracker.setClosing(sessionId);
    const { effects } = this.commit(txn);
    this.tracker.remove(sessionId);
    if (connId !== undefined) {
      if (xid !== null) effects.push(this.reply(connId, xid, ErrorCode.OK, { type: 'empty' }));
      effects.push(...this.dropConnection(connId, reason));
    }
    return effects;
  }

  private prepContext(sessionId: number, cxid: number): PrepContext {
    const zxid = makeZxid(0, this.db.lastProcessedZxid + 1);
    return { changes: this.changes, sessionId, cxid, zxid, timeMs: this.nowMs };
  }

  /** Applies a prepped txn, retires its change records and turns triggers into events. */
  private commit(txn: Txn): { result: TxnResult; effects: ServerEffect[] } {
    const { result, triggers } = applyTxn(this.db, txn);
    this.changes.retireThrough(txn.zxid);
    const effects: ServerEffect[] = this.watches.fire(triggers).map((n) => ({ type: 'event', connId: n.connId, event: n.event }));
    return { result, effects };
  }

  private reply(connId: ConnId, xid: number, err: number, result: ReplyResult | null): ServerEffect {
    return { type: 'reply', connId, xid, zxid: this.db.lastProcessedZxid, err, result: err === 0 ? result : null };
  }

  private bind(connId: ConnId, sessionId: number): void {
    this.sessionByConn.set(connId, sessionId);
    this.connBySession.set(sessionId, connId);
  }

  private unbind(connId: ConnId): void {
    const sessionId = this.sessionByConn.get(connId);
    this.sessionByConn.delete(connId);
    if (sessionId !== undefined && this.connBySession.get(sessionId) === connId) this.connBySession.delete(sessionId);
    this.watches.removeConnection(connId);
  }

  private dropConnection(connId: ConnId, reason: CloseReason): ServerEffect[] {
    this.unbind(connId);
    return [{ type: 'closeConnection', connId, reason }];
  }
}
