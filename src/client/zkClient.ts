/**
 * A ZooKeeper client session as a simulated process, modelled on the 3.8.0 Java client
 * (`ClientCnxn`) and speaking the wire protocol of `clientWire.ts`, so it works against the
 * standalone server and any ensemble member alike. The harness drives it with `command`
 * inputs ({@link ClientCommand}); it answers with `output` effects ({@link ClientOutput}).
 *
 *           start                 TCP up                 ConnectResponse
 *   ─────▶ connecting ─────────▶ handshake ────────────▶ connected
 *             ▲   │ refused/timeout   │ timeout / closed      │ closed, read timeout,
 *             │   ▼                   ▼                       ▼ request timeout, bad xid
 *           backoff ◀──────────────────────────────────── (connection lost)
 *   ConnectResponse "expired" or closing(sessionExpired) ──▶ expired (final)
 *   closeSession done ──▶ closed (final)
 *
 * Requests go out in submission order with increasing xids and must be answered in that order
 * (FIFO per session). When a connection is lost every request in flight or queued ends — with
 * the outcome rule of `outcomes.ts` — and the client moves to the next server of its shuffled
 * connect string, re-attaching its session (id + password) and re-registering its watches with
 * SetWatches relative to the last zxid it saw. Timings are the Java client's (`clientTiming.ts`).
 *
 * Jepsen discipline: after an op ends `info` the process may still have it in flight forever,
 * so the client continues under process id + `processStride` (Jepsen's `with-next-process`).
 * A crashed client's in-flight ops never complete; its factory should give the restarted
 * incarnation a fresh process id.
 */
import { CLIENT_CONN_TAG, type ClientToServer, type ServerToClient, isServerToClient } from '../engine/server/clientWire.ts';
import type { Effect, ProcessInput, SimProcess, StepContext, TimerId } from '../sim/host/process.ts';
import { type ClientOutput, type ClientState, type CompletionOutput, sessionName } from './clientOutput.ts';
import { SET_WATCHES_XID, RECONNECT_JITTER_MS, SPIN_DELAY_MS, connectTimeoutMs, pingIdleMs, readTimeoutMs } from './clientTiming.ts';
import { type ClientCommand, invokeValue, isClientCommand, requestOf } from './commands.ts';
import { HostProvider, parseConnectString } from './connectString.ts';
import { type Completion, completionOfLoss, completionOfReply } from './outcomes.ts';
import { type ClientOp, PendingOps } from './pendingOps.ts';
import { WatchRegistry } from './watchRegistry.ts';
import type { ClientProtoEvent } from './protoEvent.ts';

/** Configuration of one client session. */
export interface ZkClientOptions {
  /** Servers to use: `"n1,n2,n3"` or a list of process ids. */
  servers: string | readonly string[];
  /** Requested session timeout; the server clamps it into [2, 20]·tickTime. */
  sessionTimeoutMs: number;
  /** Per-request timeout (`zookeeper.request.timeout`); 0 or absent: none, the Java default. */
  requestTimeoutMs?: number;
  /** Jepsen process id of the first op. */
  process: number;
  /** Added to the process id after an `info` completion (Jepsen: the number of workers). */
  processStride: number;
}

type Phase =
  | { name: 'backoff'; server: string }
  | { name: 'connecting'; server: string }
  | { name: 'handshake'; server: string; conn: number }
  | { name: 'connected'; server: string; conn: number }
  | { name: 'expired' }
  | { name: 'closed' };

const T_BACKOFF = 'backoff';
const T_CONNECT = 'connect';
const T_PING = 'ping';
const T_RECV = 'recv';
const T_REQUEST = 'request';

/** One client session on the simulation kernel. */
export class ZkClient implements SimProcess {
  private phase: Phase = { name: 'closed' };
  private hosts: HostProvider | undefined;
  private readonly pending = new PendingOps();
  private readonly watches = new WatchRegistry();
  private sessionId = 0;
  /** Cache for sessionLabel(): the id it was formatted for, and the text. */
  private sessionLabelOf = 0;
  private sessionLabelText = '';
  private passwd: Uint8Array | undefined;
  /** Negotiated session timeout (the requested one until the first session). */
  private timeoutMs: number;
  private lastZxid = 0;
  private process: number;
  private nextSeq = 1;
  private lastSendUs = 0;
  private lastRecvUs = 0;
  private requestTimerAtUs: number | undefined;
  /** TCP connection attempts still unresolved, per server (abandoned ones included). */
  private readonly tcpPending = new Map<string, number>();
  /** A close command was submitted: later commands fail at once. */
  private closeRequested = false;
  /** The close command has completed, in any way: the client is done. */
  private closeDone = false;
  /** Why the server said it is closing the current connection, if it did. */
  private closingReason: string | undefined;
  // Valid during one step.
  private ctx!: StepContext;
  private out: Effect[] = [];

  constructor(private readonly options: ZkClientOptions) {
    if (!(options.sessionTimeoutMs > 0)) throw new RangeError(`sessionTimeoutMs must be positive, got ${options.sessionTimeoutMs}`);
    if (!(options.processStride > 0)) throw new RangeError(`processStride must be positive, got ${options.processStride}`);
    this.timeoutMs = options.sessionTimeoutMs;
    this.process = options.process;
  }

  /** The session id (0 before the first ConnectResponse). */
  get session(): number {
    return this.sessionId;
  }

  /** The current phase's name (for tests and state dumps). */
  get phaseName(): Phase['name'] {
    return this.phase.name;
  }

  step(input: ProcessInput, ctx: StepContext): readonly Effect[] {
    this.ctx = ctx;
    this.out = ctx.out ?? [];
    switch (input.kind) {
      case 'start':
        this.start();
        break;
      case 'command':
        this.onCommand(input.command);
        break;
      case 'connected':
        this.onTcpConnected(input.conn, input.peer);
        break;
      case 'connectFailed':
        this.onTcpFailed(input.peer, input.reason);
        break;
      case 'message':
        if (input.conn === this.conn()) this.onMessage(input.msg);
        break;
      case 'disconnected':
        if (input.conn === this.conn()) this.connectionLost(this.closingReason ?? input.reason);
        break;
      case 'timer':
        this.onTimer(input.id);
        break;
      case 'accepted':
        this.out.push({ kind: 'close', conn: input.conn });
        break;
      default:
        break;
    }
    if (this.closeDone && this.phase.name !== 'closed' && this.phase.name !== 'expired') this.finish('closed', 'closeSession');
    return this.out;
  }

  // --- connection lifecycle ----------------------------------------------------------------

  private start(): void {
    this.hosts = new HostProvider(parseConnectString(this.options.servers), this.ctx.rng);
    this.startConnect(this.hosts.next().server);
  }

  private startConnect(server: string): void {
    this.phase = { name: 'connecting', server };
    this.tcpPending.set(server, (this.tcpPending.get(server) ?? 0) + 1);
    this.out.push({ kind: 'connect', to: server, tag: CLIENT_CONN_TAG });
    this.setTimer(T_CONNECT, connectTimeoutMs(this.timeoutMs, this.hosts!.size) * 1000);
  }

  private onTcpConnected(conn: number, peer: string): void {
    this.tcpPending.set(peer, (this.tcpPending.get(peer) ?? 1) - 1);
    if (this.phase.name !== 'connecting' || this.phase.server !== peer) {
      this.out.push({ kind: 'close', conn }); // an attempt we gave up on
      return;
    }
    this.phase = { name: 'handshake', server: peer, conn };
    this.closingReason = undefined;
    this.lastRecvUs = this.ctx.nowUs;
    const request = { sessionId: this.sessionId, passwd: this.passwd ?? new Uint8Array(16), timeoutMs: this.options.sessionTimeoutMs, lastZxidSeen: this.lastZxid };
    this.send({ t: 'connect', request });
  }

  private onTcpFailed(peer: string, reason: string): void {
    const left = (this.tcpPending.get(peer) ?? 1) - 1;
    this.tcpPending.set(peer, left);
    // With an abandoned attempt to the same server still open, this failure may be that one's.
    if (this.phase.name === 'connecting' && this.phase.server === peer && left === 0) this.connectionLost(`connect ${reason}`);
  }

  private onConnectResponse(msg: Extract<ServerToClient, { t: 'connectResponse' }>): void {
    if (this.phase.name !== 'handshake') return this.connectionLost('unexpected ConnectResponse');
    this.cancelTimer(T_CONNECT);
    if (msg.timeoutMs <= 0 || msg.sessionId === 0) return this.finish('expired', 'session expired (ConnectResponse)');
    this.sessionId = msg.sessionId;
    this.passwd = msg.passwd;
    this.timeoutMs = msg.timeoutMs;
    this.hosts!.onConnected();
    this.phase = { name: 'connected', server: this.phase.server, conn: this.phase.conn };
    this.state('connected', undefined, this.phase.server, this.timeoutMs);
    this.setTimer(T_RECV, readTimeoutMs(this.timeoutMs) * 1000);
    this.setTimer(T_PING, pingIdleMs(this.timeoutMs) * 1000);
    const setWatches = this.watches.setWatchesRequest(this.lastZxid);
    if (setWatches !== undefined) {
      // An internal op: it has no command of its own and never reaches the history.
      const op = this.pending.sendFirst(this.newOp({ f: 'sync', value: { path: '/' } }, setWatches, true), SET_WATCHES_XID);
      this.send({ t: 'request', xid: op.xid!, request: op.request });
    }
    this.flush();
  }

  /**
   * The connection is gone (or never came up): everything in flight or queued ends, and the
   * client moves on to the next server after the Java client's pause.
   */
  private connectionLost(reason: string): void {
    const wasConnected = this.phase.name === 'connected';
    const server = 'server' in this.phase ? this.phase.server : undefined;
    this.dropConnection();
    const { sent, unsent } = this.pending.drain();
    for (const op of sent) this.complete(op, completionOfLoss(op.command.f, 'CONNECTIONLOSS', true), undefined, server);
    for (const op of unsent) this.complete(op, completionOfLoss(op.command.f, 'CONNECTIONLOSS', false));
    this.armRequestTimer();
    if (wasConnected) this.state('disconnected', reason, server);
    else this.out.push({ kind: 'trace', event: { client: 'attempt-failed', ...(server ? { server } : {}), reason } satisfies ClientProtoEvent });
    // As ZooKeeper.close(): once closeSession has ended, even without a reply, the client is done.
    if (this.closeDone) return this.finish('closed', 'closeSession');
    const next = this.hosts!.next();
    const delayMs = (next.spin ? SPIN_DELAY_MS : 0) + this.ctx.rng.int(RECONNECT_JITTER_MS);
    this.phase = { name: 'backoff', server: next.server };
    this.setTimer(T_BACKOFF, delayMs * 1000);
  }

  /** Ends the session for good: expired (the server said so) or closed (closeSession). */
  private finish(state: 'expired' | 'closed', reason: string): void {
    const server = 'server' in this.phase ? this.phase.server : undefined;
    this.dropConnection();
    this.phase = { name: state };
    for (const t of [T_BACKOFF, T_REQUEST]) this.cancelTimer(t);
    this.requestTimerAtUs = undefined;
    const { sent, unsent } = this.pending.drain();
    // After the session closed no later request of it can take effect; after expiry, what
    // was in flight may have been applied before the expiry.
    for (const op of sent) this.complete(op, completionOfLoss(op.command.f, 'SESSIONEXPIRED', state === 'expired'), undefined, server);
    for (const op of unsent) this.complete(op, completionOfLoss(op.command.f, 'SESSIONEXPIRED', false));
    this.state(state, reason, server);
  }

  private dropConnection(): void {
    const conn = this.conn();
    if (conn !== undefined) this.out.push({ kind: 'close', conn });
    for (const t of [T_CONNECT, T_PING, T_RECV]) this.cancelTimer(t);
  }

  private conn(): number | undefined {
    return this.phase.name === 'handshake' || this.phase.name === 'connected' ? this.phase.conn : undefined;
  }

  // --- inputs ------------------------------------------------------------------------------

  private onCommand(command: unknown): void {
    if (!isClientCommand(command)) throw new TypeError(`${this.ctx.id}: not a client command: ${JSON.stringify(command)}`);
    const op = this.newOp(command, requestOf(command), false);
    this.emit({ type: 'invoke', process: op.process, f: command.f, value: invokeValue(command), client: this.ctx.id, session: this.sessionLabel() });
    if (this.phase.name === 'expired' || this.phase.name === 'closed' || this.closeRequested) {
      return this.complete(op, completionOfLoss(command.f, 'SESSIONEXPIRED', false));
    }
    if (command.f === 'close') this.closeRequested = true;
    this.pending.enqueue(op);
    this.armRequestTimer();
    if (this.phase.name === 'connected') this.flush();
  }

  private onMessage(msg: unknown): void {
    this.lastRecvUs = this.ctx.nowUs;
    if (!isServerToClient(msg)) return this.connectionLost('unparseable packet');
    switch (msg.t) {
      case 'connectResponse':
        return this.onConnectResponse(msg);
      case 'reply':
        return this.onReply(msg);
      case 'event': {
        const watched = this.watches.onEvent(msg.event.type, msg.event.path);
        return this.emit({ type: 'event', client: this.ctx.id, session: this.sessionLabel(), event: { type: msg.event.type, path: msg.event.path }, watched });
      }
      case 'pong':
        return;
      case 'closing':
        // The server says why it is about to close; only expiry changes what the client does.
        this.closingReason = `closed by server: ${msg.reason}`;
        if (msg.reason === 'sessionExpired') this.finish('expired', 'session expired (closed by server)');
        return;
    }
  }

  private onReply(msg: Extract<ServerToClient, { t: 'reply' }>): void {
    if (this.phase.name !== 'connected') return this.connectionLost('reply before ConnectResponse');
    const server = this.phase.server;
    const op = this.pending.takeReply(msg.xid);
    if (op === undefined) {
      this.out.push({ kind: 'trace', event: { client: 'xid-out-of-order', got: msg.xid } satisfies ClientProtoEvent });
      return this.connectionLost(`xid out of order: got ${msg.xid}`);
    }
    if (msg.zxid > 0) this.lastZxid = msg.zxid;
    this.watches.onReply(op.request, msg.err);
    if (op.internal) return;
    this.complete(op, completionOfReply(op.command.f, msg.err, msg.result), msg.zxid, server);
    this.armRequestTimer();
    if (op.command.f === 'close' && msg.err === 0) this.finish('closed', 'closeSession');
  }

  private onTimer(id: TimerId): void {
    const now = this.ctx.nowUs;
    switch (id) {
      case T_BACKOFF:
        if (this.phase.name === 'backoff') this.startConnect(this.phase.server);
        return;
      case T_CONNECT:
        if (this.phase.name === 'connecting' || this.phase.name === 'handshake') this.connectionLost('connect timeout');
        return;
      case T_PING: {
        if (this.phase.name !== 'connected') return;
        const idleUs = pingIdleMs(this.timeoutMs) * 1000;
        if (now - this.lastSendUs >= idleUs) this.send({ t: 'ping' });
        return this.setTimer(T_PING, this.lastSendUs + idleUs - now);
      }
      case T_RECV: {
        if (this.phase.name !== 'connected') return;
        const limitUs = readTimeoutMs(this.timeoutMs) * 1000;
        if (now - this.lastRecvUs >= limitUs) return this.connectionLost('read timeout');
        return this.setTimer(T_RECV, this.lastRecvUs + limitUs - now);
      }
      case T_REQUEST:
        return this.onRequestTimeout();
    }
  }

  /** Timed-out ops end; as in the Java client, the connection is then dropped and renewed. */
  private onRequestTimeout(): void {
    this.requestTimerAtUs = undefined;
    const server = 'server' in this.phase ? this.phase.server : undefined;
    const timedOut = this.pending.takeTimedOut(this.ctx.nowUs);
    for (const op of timedOut) this.complete(op, completionOfLoss(op.command.f, 'REQUESTTIMEOUT', op.xid !== undefined), undefined, server);
    const live = this.phase.name === 'connecting' || this.phase.name === 'handshake' || this.phase.name === 'connected';
    if (timedOut.length > 0 && live) this.connectionLost('request timeout');
    else this.armRequestTimer();
  }

  // --- helpers -----------------------------------------------------------------------------

  private newOp(command: ClientCommand, request: ClientOp['request'], internal: boolean): ClientOp {
    const timeoutMs = this.options.requestTimeoutMs ?? 0;
    const deadlineUs = !internal && timeoutMs > 0 ? this.ctx.nowUs + timeoutMs * 1000 : undefined;
    return { seq: this.nextSeq++, process: this.process, command, request, internal, deadlineUs };
  }

  /** Writes every queued request to the connection, in order. */
  private flush(): void {
    for (const op of this.pending.sendQueued()) this.send({ t: 'request', xid: op.xid!, request: op.request });
  }

  private complete(op: ClientOp, c: Completion, zxid?: number, server?: string): void {
    if (op.internal) return;
    const out: CompletionOutput = { type: c.type, process: op.process, f: op.command.f, value: c.value, client: this.ctx.id, session: this.sessionLabel() };
    // Optional fields assigned in place (same key order as before) rather than spread from
    // throwaway objects: this runs for every completed op.
    if (c.error !== undefined) out.error = c.error;
    if (zxid !== undefined) out.zxid = zxid;
    if (server !== undefined) out.server = server;
    this.emit(out);
    if (c.type === 'info' && op.process === this.process) this.process += this.options.processStride;
    if (op.command.f === 'close') this.closeDone = true;
  }

  private state(state: ClientState, reason?: string, server?: string, timeoutMs?: number): void {
    const details = { ...(server ? { server } : {}), ...(timeoutMs ? { timeoutMs } : {}), ...(reason ? { reason } : {}) };
    this.out.push({ kind: 'trace', event: { client: state, session: this.sessionLabel(), ...details } satisfies ClientProtoEvent });
    this.emit({ type: 'state', client: this.ctx.id, session: this.sessionLabel(), state, ...details });
  }

  /** The session as printed in outputs; formatted once per session id, not once per op. */
  private sessionLabel(): string | null {
    if (this.sessionId === 0) return null;
    if (this.sessionLabelOf !== this.sessionId) {
      this.sessionLabelOf = this.sessionId;
      this.sessionLabelText = sessionName(this.sessionId);
    }
    return this.sessionLabelText;
  }

  private emit(value: ClientOutput): void {
    this.out.push({ kind: 'output', value });
  }

  private send(msg: ClientToServer): void {
    const conn = this.conn();
    if (conn === undefined) return;
    this.out.push({ kind: 'send', conn, msg });
    this.lastSendUs = this.ctx.nowUs;
  }

  private armRequestTimer(): void {
    const next = this.pending.nextDeadlineUs();
    if (next === this.requestTimerAtUs) return;
    this.requestTimerAtUs = next;
    if (next === undefined) this.cancelTimer(T_REQUEST);
    else this.setTimer(T_REQUEST, Math.max(0, next - this.ctx.nowUs));
  }

  private setTimer(id: TimerId, afterUs: number): void {
    this.out.push({ kind: 'setTimer', id, afterUs: Math.max(0, Math.round(afterUs)) });
  }

  private cancelTimer(id: TimerId): void {
    this.out.push({ kind: 'cancelTimer', id });
  }
}
