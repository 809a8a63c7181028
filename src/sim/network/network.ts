import type { Scheduler } from '../clock/scheduler.ts';
import type { ChoiceStream, Choices } from '../rng/choices.ts';
import type { Trace } from '../trace/trace.ts';
import { Pipe, type Connection, type DisconnectReason, type Segment, type SegmentKind } from './connection.ts';
import { sampleLatencyUs } from './latency.ts';
import { LinkTable, type LinkConfig } from './links.ts';

/** What the network calls on an endpoint (a process host). */
export interface NetworkEndpoint {
  /** A crashed endpoint refuses new connections. */
  isUp(): boolean;
  onAccepted(conn: number, peer: string): void;
  onConnected(conn: number, peer: string, tag: string): void;
  onConnectFailed(conn: number, peer: string, tag: string, reason: 'refused' | 'timeout'): void;
  onMessage(conn: number, peer: string, msg: unknown): void;
  onDisconnected(conn: number, peer: string, reason: DisconnectReason): void;
}

/** Network-wide settings. */
export interface NetworkOptions {
  defaultLink: LinkConfig;
  /** How long a connection attempt across a cut link waits before failing. */
  connectTimeoutUs: number;
}

/**
 * When Linux retransmits an unanswered SYN, counted from the first: the initial RTO of 1 s,
 * doubled each time (the default tcp_syn_retries=6 gives 1, 3, 7, 15, 31 and 63 s, then failure
 * at 127 s). Only those before the network's connectTimeoutUs are used.
 */
export const SYN_RETRANSMIT_OFFSETS_US: readonly number[] = [1, 3, 7, 15, 31, 63].map((s) => s * 1_000_000);

type EndState = 'pending' | 'open' | 'closed';
interface Conn extends Connection {
  aState: EndState;
  bState: EndState;
}

/**
 * Connection-oriented simulated network. Each connection is two FIFO pipes; latency, loss,
 * duplication and reordering are drawn from the "network" choice stream; partitions and clogs
 * hold segments until the link heals. A broken connection loses what was in flight and tells
 * each end that is still listening.
 */
export class Network {
  readonly links: LinkTable;
  private readonly ids: string[] = [];
  private readonly endpoints: NetworkEndpoint[] = [];
  private readonly indexById = new Map<string, number>();
  private readonly conns = new Map<number, Conn>();
  /** The same connections by id (ids are dense, from 1): every send looks one up. */
  private readonly connById: (Conn | undefined)[] = [undefined];
  private readonly stream: ChoiceStream;
  private nextConnId = 1;
  private nextMsgId = 1;

  constructor(
    private readonly sched: Scheduler,
    choices: Choices,
    private readonly trace: Trace,
    private readonly options: NetworkOptions,
  ) {
    this.links = new LinkTable(options.defaultLink);
    this.stream = choices.stream('network');
  }

  /** Adds an endpoint; ids are unique names such as "n1" or "c3". */
  register(id: string, endpoint: NetworkEndpoint): number {
    if (this.indexById.has(id)) throw new Error(`endpoint ${id} registered twice`);
    const idx = this.ids.length;
    this.ids.push(id);
    this.endpoints.push(endpoint);
    this.indexById.set(id, idx);
    this.links.ensureSize(this.ids.length);
    return idx;
  }

  /** Dense index of an endpoint (used by link configuration). */
  indexOf(id: string): number {
    const idx = this.indexById.get(id);
    if (idx === undefined) throw new Error(`unknown endpoint ${id}`);
    return idx;
  }

  /** Names of all endpoints, in registration order. */
  endpointIds(): readonly string[] {
    return this.ids;
  }

  /** Starts a connection from `from` to `to`; the outcome arrives as onConnected / onConnectFailed. */
  connect(from: string, to: string, tag: string): number {
    const aIdx = this.indexOf(from);
    const bIdx = this.indexOf(to);
    const id = this.nextConnId++;
    const conn: Conn = {
      id, a: from, b: to, aIdx, bIdx, tag, state: 'connecting', aOpen: false, bOpen: false,
      ab: new Pipe(aIdx, bIdx), ba: new Pipe(bIdx, aIdx), handshake: undefined, aState: 'pending', bState: 'pending',
    };
    this.conns.set(id, conn);
    this.connById[id] = conn;
    this.trace.record('connect', from, [id, to, tag]);
    this.sendSyn(conn, this.sched.nowUs());
    return id;
  }

  /**
   * Sends the SYN, or retransmits it. Across a cut link (either way: the SYN or its SYN-ACK is
   * lost) nothing happens until the next retransmission, as with Linux TCP, and the attempt fails
   * at connectTimeoutUs after the first SYN. So a link that heals while an attempt is under way
   * is crossed at the next retransmission, not at the heal and not never. The retransmission
   * times are fixed; only a SYN that gets through draws a latency (on the network stream), so
   * runs without attempts across a cut are unchanged.
   */
  private sendSyn(conn: Conn, firstSynUs: number): void {
    conn.handshake = undefined;
    if (!this.links.isBlocked(conn.aIdx, conn.bIdx) && !this.links.isBlocked(conn.bIdx, conn.aIdx)) {
      conn.handshake = this.sched.after(this.draw(conn.aIdx, conn.bIdx), () => this.accept(conn));
      return;
    }
    const elapsedUs = this.sched.nowUs() - firstSynUs;
    const timeoutUs = this.options.connectTimeoutUs;
    const next = SYN_RETRANSMIT_OFFSETS_US.find((o) => o > elapsedUs && o < timeoutUs);
    conn.handshake =
      next !== undefined
        ? this.sched.at(firstSynUs + next, () => this.sendSyn(conn, firstSynUs))
        : this.sched.at(firstSynUs + timeoutUs, () => this.failConnect(conn, 'timeout'));
  }

  private accept(conn: Conn): void {
    conn.handshake = undefined;
    if (conn.aState === 'closed') return this.retire(conn);
    if (!this.endpoints[conn.bIdx]!.isUp()) {
      conn.handshake = this.sched.after(this.draw(conn.bIdx, conn.aIdx), () => this.failConnect(conn, 'refused'));
      return;
    }
    conn.state = 'open';
    conn.bState = 'open';
    conn.bOpen = true;
    this.trace.record('accept', conn.b, [conn.id, conn.a]);
    // The SYN-ACK travels in the b→a pipe, so no data from b can overtake it.
    this.enqueue(conn, conn.ba, 'synack', 0, null, this.sched.nowUs() + this.draw(conn.bIdx, conn.aIdx));
    this.endpoints[conn.bIdx]!.onAccepted(conn.id, conn.a);
  }

  private failConnect(conn: Conn, reason: 'refused' | 'timeout'): void {
    conn.handshake = undefined;
    const wasPending = conn.aState === 'pending';
    conn.aState = 'closed';
    conn.state = 'closed';
    this.retire(conn);
    if (!wasPending) return;
    this.trace.record('connfail', conn.a, [conn.id, conn.b, reason]);
    this.endpoints[conn.aIdx]!.onConnectFailed(conn.id, conn.b, conn.tag, reason);
  }

  /** Sends `payload` from endpoint `from` on connection `connId`. Sends on a closed end are dropped. */
  send(connId: number, from: string, payload: unknown): void {
    const fromIdx = this.indexById.get(from);
    if (fromIdx !== undefined) return this.sendFrom(connId, fromIdx, payload);
    // Not an endpoint at all: as for any stranger, a send on no connection is dropped, else refused.
    const msgId = this.nextMsgId++;
    if (this.connById[connId] !== undefined) throw new Error(`${from} is not an end of connection ${connId}`);
    this.trace.record('drop', from, [connId, '', msgId, 'no-connection']);
  }

  /**
   * `send` by the sender's endpoint index (what `register` returned): a host sends every message
   * of a run, and telling the two ends apart by index costs no string comparison.
   */
  sendFrom(connId: number, fromIdx: number, payload: unknown): void {
    const conn = this.connById[connId];
    const msgId = this.nextMsgId++;
    const from = this.ids[fromIdx]!;
    if (conn === undefined) {
      this.trace.record('drop', from, [connId, '', msgId, 'no-connection']);
      return;
    }
    const fromA = conn.aIdx === fromIdx;
    if (!fromA && conn.bIdx !== fromIdx) throw new Error(`${from} is not an end of connection ${connId}`);
    const to = fromA ? conn.b : conn.a;
    // The hot path of every run: no event array when nobody reads it (trace off, no listener).
    if (this.trace.wanted) this.trace.record('send', from, [connId, to, msgId, payload]);
    else this.trace.skip();
    if ((fromA ? conn.aState : conn.bState) !== 'open') {
      this.trace.record('drop', from, [connId, to, msgId, 'closed']);
      return;
    }
    const pipe = fromA ? conn.ab : conn.ba;
    const cfg = this.links.config(pipe.fromIdx, pipe.toIdx);
    if (cfg.lossPerMille > 0 && this.stream.chance(cfg.lossPerMille)) {
      this.trace.record('drop', from, [connId, to, msgId, 'loss']);
      this.reset(conn);
      return;
    }
    const now = this.sched.nowUs();
    const readyAtUs = now + sampleLatencyUs(cfg.latency, this.stream);
    if (cfg.reorderPerMille > 0 && this.stream.chance(cfg.reorderPerMille)) {
      this.sendOutOfOrder(conn, pipe, { kind: 'data', msgId, payload, readyAtUs });
    } else {
      this.enqueue(conn, pipe, 'data', msgId, payload, readyAtUs);
    }
    if (cfg.duplicatePerMille > 0 && this.stream.chance(cfg.duplicatePerMille)) {
      this.trace.record('dup', from, [connId, to, msgId]);
      this.sendOutOfOrder(conn, pipe, { kind: 'data', msgId, payload, readyAtUs: now + sampleLatencyUs(cfg.latency, this.stream) });
    }
  }

  /** Closes `by`'s end; the peer learns after everything already sent (a FIN). */
  close(connId: number, by: string): void {
    const conn = this.connById[connId];
    if (conn === undefined) return;
    const byA = conn.a === by;
    if (!byA && conn.b !== by) throw new Error(`${by} is not an end of connection ${connId}`);
    const state = byA ? conn.aState : conn.bState;
    if (state === 'closed') return;
    this.trace.record('close', by, [connId, byA ? conn.b : conn.a]);
    this.closeEnd(conn, byA);
    if (this.peerMayHear(conn, !byA)) this.pushControl(conn, byA ? conn.ab : conn.ba, 'fin');
    this.retire(conn);
  }

  /** An endpoint crashed: its ends vanish and each live peer gets a reset after the data in flight. */
  endpointDown(id: string): void {
    for (const conn of this.conns.values()) {
      const isA = conn.a === id;
      if (!isA && conn.b !== id) continue;
      const state = isA ? conn.aState : conn.bState;
      if (state === 'closed') continue;
      this.closeEnd(conn, isA);
      if (this.peerMayHear(conn, !isA)) this.pushControl(conn, isA ? conn.ab : conn.ba, 'rst');
      this.retire(conn);
    }
  }

  /** Replaces the partition with these groups (cut both ways between groups). */
  partition(groups: readonly (readonly string[])[]): void {
    this.links.partition(groups.map((g) => g.map((id) => this.indexOf(id))));
    this.trace.record('net', '', ['partition', groups]);
    this.resumeStalled();
  }

  /** Adds a one-way cut: nothing from `from` reaches `to`. */
  partitionOneWay(from: readonly string[], to: readonly string[]): void {
    this.links.partitionOneWay(from.map((id) => this.indexOf(id)), to.map((id) => this.indexOf(id)));
    this.trace.record('net', '', ['partition-one-way', from, to]);
  }

  /** Removes all partitions; held segments resume (as TCP retransmission would). */
  heal(): void {
    this.links.heal();
    this.trace.record('net', '', ['heal']);
    this.resumeStalled();
  }

  /** Holds everything on the directed link from→to until `unclog`. */
  clog(from: string, to: string): void {
    this.links.clog(this.indexOf(from), this.indexOf(to));
    this.trace.record('net', '', ['clog', from, to]);
  }

  unclog(from: string, to: string): void {
    this.links.unclog(this.indexOf(from), this.indexOf(to));
    this.trace.record('net', '', ['unclog', from, to]);
    this.resumeStalled();
  }

  /** Number of connections not yet fully retired (for tests and leak checks). */
  get connectionCount(): number {
    return this.conns.size;
  }

  // --- internals ---------------------------------------------------------------------------

  private draw(fromIdx: number, toIdx: number): number {
    return sampleLatencyUs(this.links.config(fromIdx, toIdx).latency, this.stream);
  }

  /**
   * Whether an end can still receive a FIN or RST: the acceptor once it accepted; the initiator
   * while it is open or its SYN-ACK is still on the way.
   */
  private peerMayHear(conn: Conn, peerIsA: boolean): boolean {
    return peerIsA ? conn.aState !== 'closed' && conn.bState !== 'pending' : conn.bState === 'open';
  }

  private closeEnd(conn: Conn, isA: boolean): void {
    if (isA) {
      conn.aState = 'closed';
      conn.aOpen = false;
      this.drain(conn.ba);
    } else {
      conn.bState = 'closed';
      conn.bOpen = false;
      this.drain(conn.ab);
    }
    if (conn.aState === 'closed' && conn.bState !== 'open') conn.state = 'closed';
    if (conn.bState === 'closed' && conn.aState !== 'open') conn.state = 'closed';
    if (conn.handshake !== undefined && isA && conn.bState === 'pending') {
      this.sched.cancel(conn.handshake);
      conn.handshake = undefined;
    }
  }

  /** Loss on a TCP-like channel: the connection resets, in-flight data is lost, both ends hear. */
  private reset(conn: Conn): void {
    this.drain(conn.ab);
    this.drain(conn.ba);
    if (conn.bState === 'open') this.pushControl(conn, conn.ab, 'rst');
    if (conn.aState === 'open') this.pushControl(conn, conn.ba, 'rst');
  }

  private drain(pipe: Pipe): void {
    this.sched.cancel(pipe.pump);
    pipe.pump = undefined;
    pipe.clear();
  }

  private pushControl(conn: Conn, pipe: Pipe, kind: 'fin' | 'rst'): void {
    const readyAtUs = this.sched.nowUs() + this.draw(pipe.fromIdx, pipe.toIdx);
    this.enqueue(conn, pipe, kind, 0, null, readyAtUs);
  }

  private enqueue(conn: Conn, pipe: Pipe, kind: SegmentKind, msgId: number, payload: unknown, readyAtUs: number): void {
    pipe.push(kind, msgId, payload, readyAtUs);
    if (pipe.pump === undefined && !pipe.stalled) this.schedulePump(conn, pipe);
  }

  private schedulePump(conn: Conn, pipe: Pipe): void {
    const at = Math.max(pipe.headReadyAtUs(), pipe.lastDeliveredUs);
    const fire = pipe.pumpFire ?? (pipe.pumpFire = this.pumpCallback(conn, pipe));
    pipe.pump = pipe.pumpEvent === undefined ? this.sched.at(at, fire) : this.sched.rearm(pipe.pumpEvent, at);
    pipe.pumpEvent = pipe.pump;
  }

  /**
   * A pipe's pump callback, built once per pipe. In a method of its own: a closure written in
   * schedulePump would make V8 allocate a context for `conn` and `pipe` on every call, for
   * every message, whether or not the closure is built.
   */
  private pumpCallback(conn: Conn, pipe: Pipe): () => void {
    return () => this.pumpFire(conn, pipe);
  }

  private pumpFire(conn: Conn, pipe: Pipe): void {
    pipe.pump = undefined;
    if (this.links.isBlocked(pipe.fromIdx, pipe.toIdx)) {
      pipe.stalled = true;
      this.trace.record('hold', this.ids[pipe.fromIdx]!, [conn.id, this.ids[pipe.toIdx]!, pipe.headMsgId()]);
      return;
    }
    const kind = pipe.headKind();
    const msgId = pipe.headMsgId();
    const payload = pipe.headPayload();
    pipe.shift();
    pipe.lastDeliveredUs = this.sched.nowUs();
    this.deliver(conn, pipe, kind, msgId, payload);
    if (pipe.length > 0 && pipe.pump === undefined && !pipe.stalled) this.schedulePump(conn, pipe);
    else this.retire(conn);
  }

  /** A reordered or duplicated segment travels on its own, outside the pipe's FIFO order. */
  private sendOutOfOrder(conn: Conn, pipe: Pipe, seg: Segment): void {
    this.sched.at(seg.readyAtUs, () => {
      if (this.links.isBlocked(pipe.fromIdx, pipe.toIdx)) {
        this.enqueue(conn, pipe, seg.kind, seg.msgId, seg.payload, seg.readyAtUs);
        return;
      }
      this.deliver(conn, pipe, seg.kind, seg.msgId, seg.payload);
    });
  }

  private deliver(conn: Conn, pipe: Pipe, kind: SegmentKind, msgId: number, payload: unknown): void {
    const toA = pipe === conn.ba;
    const toState = toA ? conn.aState : conn.bState;
    const to = toA ? conn.a : conn.b;
    const from = toA ? conn.b : conn.a;
    const ep = this.endpoints[toA ? conn.aIdx : conn.bIdx]!;
    if (kind === 'synack') {
      if (toState !== 'pending') return;
      conn.aState = 'open';
      conn.aOpen = true;
      this.trace.record('connected', to, [conn.id, from]);
      ep.onConnected(conn.id, from, conn.tag);
      return;
    }
    if (toState !== 'open') {
      if (kind === 'data') this.trace.record('drop', from, [conn.id, to, msgId, 'closed']);
      return;
    }
    if (kind === 'data') {
      if (this.trace.wanted) this.trace.record('deliver', to, [conn.id, from, msgId]);
      else this.trace.skip();
      ep.onMessage(conn.id, from, payload);
      return;
    }
    const reason: DisconnectReason = kind === 'fin' ? 'closed-by-peer' : 'reset';
    this.closeEnd(conn, toA);
    this.trace.record('disconnect', to, [conn.id, from, reason]);
    ep.onDisconnected(conn.id, from, reason);
    this.retire(conn);
  }

  private resumeStalled(): void {
    for (const conn of this.conns.values()) {
      for (const pipe of [conn.ab, conn.ba]) {
        if (!pipe.stalled || this.links.isBlocked(pipe.fromIdx, pipe.toIdx)) continue;
        pipe.stalled = false;
        // The held head is retransmitted now, with a fresh latency.
        pipe.setHeadReadyAtUs(this.sched.nowUs() + this.draw(pipe.fromIdx, pipe.toIdx));
        this.schedulePump(conn, pipe);
      }
    }
  }

  /** Forgets a connection once both ends are closed and nothing is left in flight. */
  private retire(conn: Conn): void {
    if (conn.aState === 'closed' && conn.bState !== 'open' && conn.handshake === undefined && conn.ab.length === 0 && conn.ba.length === 0) {
      this.forget(conn);
    } else if (conn.aState === 'closed' && conn.bState === 'closed' && conn.ab.length === 0 && conn.ba.length === 0) {
      this.forget(conn);
    }
  }

  private forget(conn: Conn): void {
    this.conns.delete(conn.id);
    this.connById[conn.id] = undefined;
  }
}
