import type { ScheduledEvent } from '../clock/eventQueue.ts';

/** How a connection ended, as the end that learns of it sees it. */
export type DisconnectReason = 'closed-by-peer' | 'reset' | 'timeout';

/** What travels in a pipe: application data, or a TCP control segment. */
export type SegmentKind = 'data' | 'synack' | 'fin' | 'rst';

/** One segment in flight in one direction of a connection. */
export interface Segment {
  kind: SegmentKind;
  msgId: number;
  payload: unknown;
  /** Earliest time the network could deliver it (latency drawn at send time). */
  readyAtUs: number;
}

/** Segments in flight per pipe before it first grows (a power of two). */
const INITIAL_CAPACITY = 8;
const KIND_CODES: readonly SegmentKind[] = ['data', 'synack', 'fin', 'rst'];
const codeOf = (kind: SegmentKind): number => (kind === 'data' ? 0 : kind === 'synack' ? 1 : kind === 'fin' ? 2 : 3);

/**
 * One direction of a connection. Segments leave strictly in the order they entered (TCP's
 * FIFO): a segment is delivered at max(its own ready time, the previous delivery). A pipe on a
 * cut link stalls with its segments intact and resumes when the link heals.
 *
 * The segments are a ring of parallel arrays rather than an array of segment objects: every
 * message of a run passes through a pipe, and this way a send allocates nothing here (no
 * segment object, no array growing and being sliced). The network reads the head's fields,
 * then shifts it.
 */
export class Pipe {
  private kinds = new Uint8Array(INITIAL_CAPACITY);
  // Plain number lists, not Float64Arrays: their values are small integers, and a float read
  // from a typed array would be boxed again at every call that passes it on.
  private msgIds: number[] = new Array<number>(INITIAL_CAPACITY).fill(0);
  private readyAts: number[] = new Array<number>(INITIAL_CAPACITY).fill(0);
  private payloads: unknown[] = new Array<unknown>(INITIAL_CAPACITY).fill(null);
  private head = 0;
  private count = 0;
  pump: ScheduledEvent | undefined;
  /**
   * The pump's last event object and callback, kept after it fired: the next pump re-arms them
   * (Scheduler.rearm) instead of allocating both for every delivered segment. Network-owned.
   */
  pumpEvent: ScheduledEvent | undefined;
  pumpFire: (() => void) | undefined;
  lastDeliveredUs = 0;
  stalled = false;

  constructor(
    readonly fromIdx: number,
    readonly toIdx: number,
  ) {}

  get length(): number {
    return this.count;
  }

  push(kind: SegmentKind, msgId: number, payload: unknown, readyAtUs: number): void {
    if (this.count === this.kinds.length) this.grow();
    const i = (this.head + this.count) & (this.kinds.length - 1);
    this.kinds[i] = codeOf(kind);
    this.msgIds[i] = msgId;
    this.payloads[i] = payload;
    this.readyAts[i] = readyAtUs;
    this.count++;
  }

  // The head segment's fields (the pipe must not be empty).
  headKind(): SegmentKind {
    return KIND_CODES[this.kinds[this.head]!]!;
  }
  headMsgId(): number {
    return this.msgIds[this.head]!;
  }
  headPayload(): unknown {
    return this.payloads[this.head];
  }
  headReadyAtUs(): number {
    return this.readyAts[this.head]!;
  }
  /** A held head is retransmitted: it gets a new ready time. */
  setHeadReadyAtUs(readyAtUs: number): void {
    this.readyAts[this.head] = readyAtUs;
  }

  /** Removes the head segment. */
  shift(): void {
    if (this.count === 0) return;
    this.payloads[this.head] = null; // let the payload go
    this.head = (this.head + 1) & (this.kinds.length - 1);
    this.count--;
  }

  /** Drops everything in flight (a crash or reset). */
  clear(): void {
    while (this.count > 0) this.shift();
    this.head = 0;
    this.stalled = false;
  }

  /** Doubles the capacity, unrolling the ring to the front. */
  private grow(): void {
    const cap = this.kinds.length;
    const kinds = new Uint8Array(cap * 2);
    const msgIds = new Array<number>(cap * 2).fill(0);
    const readyAts = new Array<number>(cap * 2).fill(0);
    const payloads = new Array<unknown>(cap * 2).fill(null);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & (cap - 1);
      kinds[k] = this.kinds[i]!;
      msgIds[k] = this.msgIds[i]!;
      readyAts[k] = this.readyAts[i]!;
      payloads[k] = this.payloads[i];
    }
    this.kinds = kinds;
    this.msgIds = msgIds;
    this.readyAts = readyAts;
    this.payloads = payloads;
    this.head = 0;
  }
}

/** Lifecycle of a connection as the network sees it. */
export type ConnState = 'connecting' | 'open' | 'closed';

/** A TCP-like connection between initiator `a` and acceptor `b`. */
export interface Connection {
  readonly id: number;
  readonly a: string;
  readonly b: string;
  readonly aIdx: number;
  readonly bIdx: number;
  readonly tag: string;
  state: ConnState;
  /** Each end's own view: it can send and will be told of events until it closes or learns of a break. */
  aOpen: boolean;
  bOpen: boolean;
  readonly ab: Pipe;
  readonly ba: Pipe;
  /** Pending connect-timeout or handshake event, cancelled when it no longer applies. */
  handshake: ScheduledEvent | undefined;
}
