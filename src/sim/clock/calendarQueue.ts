/**
 * The scheduler's queue: events in (timeUs, seq) order, exactly as the binary heap in
 * eventQueue.ts orders them, but cheaper for the common case. Nearly every event of a run is a
 * message or a disk completion a few hundred microseconds ahead; a heap pays for each of them
 * with a sift over all pending events (timers seconds away included), and its comparisons are
 * branches the CPU cannot predict.
 *
 * So the near future is a calendar: a window of BUCKETS buckets, BUCKET_US each, starting at
 * `base`. An event inside the window goes into the linked list of its bucket (O(1)); a bitmap
 * finds the first non-empty bucket; the earliest event is the (timeUs, seq) minimum of that
 * bucket's few entries. Events beyond the window wait in a binary heap (the overflow) and move
 * into the buckets when the window, once empty, moves to the overflow's earliest time.
 *
 * Cancelled events are dropped lazily and deferred ones take their new key when their old key
 * is the earliest, exactly as in the heap, so both queues fire the same events in the same order.
 */
import { EventQueue, setDeferredKey, type ScheduledEvent } from './eventQueue.ts';

const BUCKET_SHIFT = 4;
const BUCKET_US = 1 << BUCKET_SHIFT;
const BUCKETS = 4096;
/** The calendar's span: about 65 ms, several round trips and fsyncs. */
const WINDOW_US = BUCKETS * BUCKET_US;
const WORDS = BUCKETS >>> 5;
const INITIAL_SLOTS = 256;

export class CalendarQueue {
  /** Time of bucket 0's start. Every bucketed event is in [base, base + WINDOW_US); every overflow one is later. */
  private base = 0;
  /** No non-empty bucket below this one. */
  private cursor = 0;
  private readonly heads = new Int32Array(BUCKETS).fill(-1);
  private readonly bits = new Uint32Array(WORDS);
  // Per slot (one per bucketed event): the next slot in its bucket, and the event.
  private next = new Int32Array(INITIAL_SLOTS);
  private readonly events: (ScheduledEvent | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly overflow = new EventQueue();
  private live = 0;
  /** Where `locate` found the earliest event (bucket, slot, previous slot in the list); -1 once stale. */
  private foundBucket = -1;
  private foundSlot = -1;
  private foundPrev = -1;

  /** Number of events that will still fire (cancelled ones excluded). */
  get size(): number {
    return this.live;
  }

  push(ev: ScheduledEvent): void {
    this.foundBucket = -1;
    this.live++;
    this.place(ev);
  }

  /** Marks an event cancelled; it is dropped lazily when it is the earliest. */
  cancel(ev: ScheduledEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    this.live--;
    this.foundBucket = -1;
  }

  /** See EventQueue.defer: the event keeps its place and takes the later key once its old one is the earliest. */
  defer(ev: ScheduledEvent, timeUs: number, seq: number): void {
    if (setDeferredKey(ev, timeUs, seq)) this.live++;
    this.foundBucket = -1;
  }

  /** The earliest live event, without removing it. */
  peek(): ScheduledEvent | undefined {
    if (this.foundBucket < 0 && !this.locate()) return undefined;
    return this.events[this.foundSlot];
  }

  /** Removes and returns the earliest live event. */
  pop(): ScheduledEvent | undefined {
    if (this.foundBucket < 0 && !this.locate()) return undefined;
    const slot = this.foundSlot;
    const ev = this.events[slot]!;
    this.unlink(this.foundBucket, slot, this.foundPrev);
    this.foundBucket = -1;
    this.live--;
    return ev;
  }

  /** Puts an event under its current key: into its bucket, or the overflow when beyond the window. */
  private place(ev: ScheduledEvent): void {
    const t = ev.timeUs;
    if (t < this.base) this.rewind(t);
    if (t - this.base >= WINDOW_US) {
      this.overflow.push(ev);
      return;
    }
    const b = (t - this.base) >>> BUCKET_SHIFT;
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.newSlot();
    this.events[slot] = ev;
    this.next[slot] = this.heads[b]!;
    this.heads[b] = slot;
    const w = b >>> 5;
    this.bits[w] = this.bits[w]! | (1 << (b & 31));
    if (b < this.cursor) this.cursor = b;
    ev.slot = slot;
    ev.inQueue = true;
  }

  /**
   * Finds the earliest live event (foundBucket/Slot/Prev). On the way it drops cancelled
   * entries and re-keys deferred ones, as the heap's settleTop does. False when none is left.
   */
  private locate(): boolean {
    for (;;) {
      const b = this.firstBucket();
      if (b < 0) {
        if (!this.refill()) return false;
        continue;
      }
      this.cursor = b;
      let best = -1;
      let bestPrev = -1;
      let ev: ScheduledEvent | undefined;
      let prev = -1;
      let s = this.heads[b]!;
      while (s >= 0) {
        const following = this.next[s]!;
        const e = this.events[s]!;
        if (e.cancelled) {
          this.unlink(b, s, prev);
        } else {
          if (ev === undefined || e.timeUs < ev.timeUs || (e.timeUs === ev.timeUs && e.seq < ev.seq)) {
            ev = e;
            best = s;
            bestPrev = prev;
          }
          prev = s;
        }
        s = following;
      }
      if (ev === undefined) continue; // only cancelled entries: the bucket is empty now
      if (ev.deferredSeq >= 0) {
        this.unlink(b, best, bestPrev);
        ev.timeUs = ev.deferredTimeUs;
        ev.seq = ev.deferredSeq;
        ev.deferredSeq = -1;
        this.place(ev);
        continue;
      }
      this.foundBucket = b;
      this.foundSlot = best;
      this.foundPrev = bestPrev;
      return true;
    }
  }

  /** The first non-empty bucket at or after the cursor, or -1. */
  private firstBucket(): number {
    const bits = this.bits;
    let w = this.cursor >>> 5;
    let word = bits[w]! & (-1 << (this.cursor & 31));
    for (;;) {
      if (word !== 0) return (w << 5) + (31 - Math.clz32(word & -word));
      if (++w === WORDS) return -1;
      word = bits[w]!;
    }
  }

  /** Takes `slot` out of bucket `b` (after `prev`, or first when -1) and frees it. */
  private unlink(b: number, slot: number, prev: number): void {
    const following = this.next[slot]!;
    if (prev < 0) {
      this.heads[b] = following;
      if (following < 0) {
        const w = b >>> 5;
        this.bits[w] = this.bits[w]! & ~(1 << (b & 31));
      }
    } else {
      this.next[prev] = following;
    }
    const ev = this.events[slot]!;
    ev.inQueue = false;
    ev.slot = -1;
    this.events[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** The calendar is empty: moves it to the overflow's earliest event and brings that window in. False when nothing is left. */
  private refill(): boolean {
    const first = this.overflow.peek();
    if (first === undefined) return false;
    this.base = first.timeUs;
    this.cursor = 0;
    this.pullOverflow();
    return true;
  }

  /** Moves the overflow's events inside the window into their buckets. */
  private pullOverflow(): void {
    for (;;) {
      const ev = this.overflow.peek();
      if (ev === undefined || ev.timeUs - this.base >= WINDOW_US) return;
      this.overflow.pop();
      this.place(ev);
    }
  }

  /**
   * An event earlier than the window (the window had moved ahead to a far event that has not
   * fired, and something earlier was scheduled): everything goes back to the overflow and the
   * window starts at `t`. Rare: only after a run stopped short of the next event.
   */
  private rewind(t: number): void {
    for (let b = 0; b < BUCKETS; b++) {
      for (let s = this.heads[b]!; s >= 0; s = this.heads[b]!) {
        const ev = this.events[s]!;
        this.unlink(b, s, -1);
        if (!ev.cancelled) this.overflow.push(ev);
      }
    }
    this.base = t;
    this.cursor = 0;
    this.pullOverflow();
  }

  /** A slot never used before, growing the next-slot array when it is full. */
  private newSlot(): number {
    const slot = this.events.length;
    this.events.push(undefined);
    if (slot >= this.next.length) {
      const next = new Int32Array(this.next.length * 2);
      next.set(this.next);
      this.next = next;
    }
    return slot;
  }
}
