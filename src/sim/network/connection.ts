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

/**
 * One direction of a connection. Segments leave strictly in the order they entered (TCP's
 * FIFO): a segment is delivered at max(its own ready time, the previous delivery). A pipe on a
 * cut link stalls with its segments intact and resumes when the link heals.
 */
export class Pipe {
  private items: Segment[] = [];
  private head = 0;
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
    return this.items.length - this.head;
  }

  peek(): Segment | undefined {
    return this.items[this.head];
  }

  push(seg: Segment): void {
    this.items.push(seg);
  }

  shift(): Segment | undefined {
    const seg = this.items[this.head];
    if (seg === undefined) return undefined;
    this.items[this.head++] = undefined as unknown as Segment;
    // Compact occasionally so a long-lived connection does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return seg;
  }

  /** Drops everything in flight (a crash or reset); returns what was dropped. */
  clear(): Segment[] {
    const dropped = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    this.stalled = false;
    return dropped;
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
