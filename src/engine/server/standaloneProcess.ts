/**
 * Hosts the pure standalone server core on the simulation kernel: every accepted connection
 * is a client connection speaking the wire protocol of `clientWire.ts`; each message becomes a
 * server input, and each server effect becomes a message (or a close) on the network.
 *
 * Time: the core only learns time through `tick`. The host ticks it to the current local time
 * before every input, so a request touches its session at the time it arrives, and sets a
 * timer on every tickTime boundary, which is when ZooKeeper's session expirer wakes up: a
 * session whose bucket is due expires exactly on its boundary, whether or not traffic arrives.
 *
 * Pings travel as their own message (`ping` → `pong`); the core sees them as requests with
 * ZooKeeper's ping xid, so they touch the session like any other packet.
 */
import type { Effect, ProcessInput, SimProcess, StepContext } from '../../sim/host/process.ts';
import { type ClientToServer, PING_XID, type ServerToClient, isClientToServer } from './clientWire.ts';
import type { ServerEffect } from './effects.ts';
import { StandaloneServer, type StandaloneOptions } from './standaloneServer.ts';

/** Options of a hosted standalone server (the core's, minus what the host decides). */
export type StandaloneProcessOptions = Omit<StandaloneOptions, 'startMs'>;

const TICK_TIMER = 'tick';

/** One standalone ZooKeeper server as a simulated process. */
export class StandaloneProcess implements SimProcess {
  private server: StandaloneServer | undefined;
  /** Connections accepted and not yet closed, by either end. */
  private readonly open = new Set<number>();

  constructor(private readonly options: StandaloneProcessOptions) {}

  /** The hosted core (undefined before `start`), for tests and harness inspection. */
  get core(): StandaloneServer | undefined {
    return this.server;
  }

  step(input: ProcessInput, ctx: StepContext): readonly Effect[] {
    const nowMs = Math.floor(ctx.nowUs / 1000);
    if (input.kind === 'start') {
      // A standalone server keeps nothing on disk here: a restart is a fresh, empty server.
      this.server = new StandaloneServer({ ...this.options, startMs: nowMs });
      this.open.clear();
      return [this.tickTimer(ctx)];
    }
    const server = this.server;
    if (server === undefined) return [];
    const out: Effect[] = [];
    this.deliver(server.tick(nowMs), out);
    switch (input.kind) {
      case 'accepted':
        this.open.add(input.conn);
        break;
      case 'message':
        this.onMessage(server, input.conn, input.msg, out);
        break;
      case 'disconnected':
        if (this.open.delete(input.conn)) this.deliver(server.disconnect(input.conn), out);
        break;
      case 'timer':
        if (input.id === TICK_TIMER) out.push(this.tickTimer(ctx));
        break;
      default:
        // A standalone server opens no connections, owns no files and takes no commands.
        break;
    }
    return out;
  }

  private onMessage(server: StandaloneServer, conn: number, msg: unknown, out: Effect[]): void {
    if (!this.open.has(conn)) return;
    if (!isClientToServer(msg)) {
      // Not our protocol: a real server would fail to parse the packet and drop the socket.
      out.push({ kind: 'trace', event: { server: 'bad-packet', conn } });
      this.deliver(server.disconnect(conn), out);
      this.closeConn(conn, out);
      return;
    }
    this.deliver(this.input(server, conn, msg), out);
  }

  private input(server: StandaloneServer, conn: number, msg: ClientToServer): ServerEffect[] {
    switch (msg.t) {
      case 'connect':
        return server.connect(conn, msg.request);
      case 'request':
        return server.request(conn, msg.xid, msg.request);
      case 'ping':
        return server.request(conn, PING_XID, { op: 'ping' });
    }
  }

  /** Turns server effects into network effects, in order. */
  private deliver(effects: readonly ServerEffect[], out: Effect[]): void {
    for (const e of effects) {
      if (typeof e.connId !== 'number' || !this.open.has(e.connId)) continue;
      switch (e.type) {
        case 'connectResponse':
          this.send(e.connId, { t: 'connectResponse', sessionId: e.sessionId, timeoutMs: e.timeoutMs, passwd: e.passwd }, out);
          break;
        case 'reply':
          if (e.xid === PING_XID) this.send(e.connId, { t: 'pong', zxid: e.zxid }, out);
          else this.send(e.connId, { t: 'reply', xid: e.xid, zxid: e.zxid, err: e.err, result: e.result }, out);
          break;
        case 'event':
          this.send(e.connId, { t: 'event', event: e.event }, out);
          break;
        case 'closeConnection':
          this.send(e.connId, { t: 'closing', reason: e.reason }, out);
          this.closeConn(e.connId, out);
          break;
      }
    }
  }

  private send(conn: number, msg: ServerToClient, out: Effect[]): void {
    out.push({ kind: 'send', conn, msg });
  }

  private closeConn(conn: number, out: Effect[]): void {
    this.open.delete(conn);
    out.push({ kind: 'close', conn });
  }

  /** A timer for the next tickTime boundary of local time. */
  private tickTimer(ctx: StepContext): Effect {
    const tickUs = this.options.tickTimeMs * 1000;
    const nextUs = (Math.floor(ctx.nowUs / tickUs) + 1) * tickUs;
    return { kind: 'setTimer', id: TICK_TIMER, afterUs: nextUs - ctx.nowUs };
  }
}
