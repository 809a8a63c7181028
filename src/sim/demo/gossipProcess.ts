import type { Effect, ProcessInput, SimProcess, StepContext } from '../host/process.ts';

/** Parameters of the gossip demo process. */
export interface GossipParams {
  /** All node ids in the cluster (this node included). */
  peers: readonly string[];
  /** Mean interval between a node's own messages, in µs (jittered ±50 %). */
  intervalUs: number;
  /** How many times a received message is forwarded before it dies. */
  maxHops: number;
  /** fsync the log after this many appends. */
  fsyncEvery: number;
  /** Delay before reconnecting a broken connection, in µs. */
  reconnectUs: number;
}

/** A gossip message: per-connection sequence numbers let the receiver check FIFO order. */
interface GossipMsg {
  origin: string;
  seq: number;
  hop: number;
}

/** What the gossip process reports to the harness. */
export type GossipOutput =
  | { kind: 'fifo-violation'; node: string; peer: string; expected: number; got: number }
  | { kind: 'recovered'; node: string; durableRecords: number };

const RECORD_BYTES = 16;

/**
 * A kernel exerciser: every node keeps a connection to every other node (the lower id dials),
 * sends on a jittered timer, forwards what it receives for a few hops, appends every receipt to
 * a log that it fsyncs in batches, and reconnects after failures. It checks per-connection FIFO
 * order itself and reports violations, which only explicit reorder/duplicate faults may cause.
 */
export class GossipProcess implements SimProcess {
  private conns: number[] = [];
  private peerOf = new Map<number, string>();
  private sendSeq = new Map<number, number>();
  private recvSeq = new Map<number, number>();
  private ownSeq = 0;
  private unsynced = 0;
  private fsyncs = 0;

  constructor(private readonly params: GossipParams) {}

  step(input: ProcessInput, ctx: StepContext): readonly Effect[] {
    const out: Effect[] = [];
    switch (input.kind) {
      case 'start': {
        const log = input.disk.get('log');
        const durableRecords = log === undefined ? 0 : Math.floor(log.length / RECORD_BYTES);
        out.push({ kind: 'output', value: { kind: 'recovered', node: ctx.id, durableRecords } satisfies GossipOutput });
        for (const peer of this.params.peers) if (peer > ctx.id) out.push({ kind: 'connect', to: peer, tag: peer });
        this.scheduleTick(ctx, out);
        break;
      }
      case 'accepted':
      case 'connected':
        this.conns.push(input.conn);
        this.peerOf.set(input.conn, input.peer);
        this.sendSeq.set(input.conn, 0);
        this.recvSeq.set(input.conn, 0);
        break;
      case 'connectFailed':
        out.push({ kind: 'setTimer', id: `reconnect:${input.peer}`, afterUs: this.params.reconnectUs });
        break;
      case 'disconnected':
        this.forget(input.conn);
        if (input.peer > ctx.id) out.push({ kind: 'setTimer', id: `reconnect:${input.peer}`, afterUs: this.params.reconnectUs });
        break;
      case 'timer':
        if (input.id === 'tick') {
          this.ownSeq++;
          this.sendToRandom({ origin: ctx.id, seq: this.ownSeq, hop: 0 }, ctx, out);
          this.scheduleTick(ctx, out);
        } else if (typeof input.id === 'string' && input.id.startsWith('reconnect:')) {
          const peer = input.id.slice('reconnect:'.length);
          out.push({ kind: 'connect', to: peer, tag: peer });
        }
        break;
      case 'message':
        this.onMessage(input.conn, input.peer, input.msg as { seq: number; body: GossipMsg }, ctx, out);
        break;
      case 'fsynced':
      case 'command':
        break;
    }
    return out;
  }

  private onMessage(conn: number, peer: string, msg: { seq: number; body: GossipMsg }, ctx: StepContext, out: Effect[]): void {
    const expected = (this.recvSeq.get(conn) ?? 0) + 1;
    if (msg.seq !== expected) {
      out.push({ kind: 'output', value: { kind: 'fifo-violation', node: ctx.id, peer, expected, got: msg.seq } satisfies GossipOutput });
    }
    this.recvSeq.set(conn, Math.max(expected - 1, msg.seq));
    const record = new Uint8Array(RECORD_BYTES);
    new DataView(record.buffer).setFloat64(0, msg.body.seq);
    out.push({ kind: 'append', file: 'log', bytes: record });
    if (++this.unsynced >= this.params.fsyncEvery) {
      this.unsynced = 0;
      out.push({ kind: 'fsync', file: 'log', id: ++this.fsyncs });
    }
    if (msg.body.hop < this.params.maxHops) this.sendToRandom({ ...msg.body, hop: msg.body.hop + 1 }, ctx, out);
  }

  private sendToRandom(body: GossipMsg, ctx: StepContext, out: Effect[]): void {
    if (this.conns.length === 0) return;
    const conn = ctx.rng.pick(this.conns);
    const seq = (this.sendSeq.get(conn) ?? 0) + 1;
    this.sendSeq.set(conn, seq);
    out.push({ kind: 'send', conn, msg: { seq, body } });
  }

  private scheduleTick(ctx: StepContext, out: Effect[]): void {
    const half = Math.floor(this.params.intervalUs / 2);
    out.push({ kind: 'setTimer', id: 'tick', afterUs: half + ctx.rng.int(this.params.intervalUs + 1) });
  }

  private forget(conn: number): void {
    this.conns = this.conns.filter((c) => c !== conn);
    this.peerOf.delete(conn);
    this.sendSeq.delete(conn);
    this.recvSeq.delete(conn);
  }
}
