/**
 * A min-heap of scheduled events ordered by (timeUs, seq). The insertion sequence breaks ties,
 * so two events at the same instant always fire in the order they were scheduled: that is what
 * makes a run a function of its seed and nothing else. The scheduler's CalendarQueue keeps its
 * far-future events here, and must order everything exactly as this heap would.
 */

/**
 * One scheduled callback. `cancelled` entries stay in the queue and are skipped when popped.
 * `timeUs`, `seq` and `slot` belong to the queue: read them, never write them.
 */
export interface ScheduledEvent {
  timeUs: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
  /** True while the event is queued (not yet fired, or cancelled but not yet dropped). */
  inQueue: boolean;
  /** Set by `defer`: the key the event takes when its current key reaches the top (-1: none). */
  deferredTimeUs: number;
  deferredSeq: number;
  /** The event's slot in the structure holding it while it is queued (-1: none). */
  slot: number;
}

const INITIAL_SLOTS = 256;

/**
 * Gives a queued event the later key it takes once its current key is the earliest (see
 * EventQueue.defer); a cancelled one comes back to life. True when it did: the queue counts it
 * as live again.
 */
export function setDeferredKey(ev: ScheduledEvent, timeUs: number, seq: number): boolean {
  const revived = ev.cancelled;
  ev.cancelled = false;
  ev.deferredTimeUs = timeUs;
  ev.deferredSeq = seq;
  return revived;
}

/**
 * Binary min-heap specialised for ScheduledEvent. Each queued event owns a slot; its key lives in
 * two Float64Arrays indexed by slot and the heap itself is an Int32Array of slots. Sifting then
 * compares and moves plain numbers in a few contiguous arrays instead of reading event objects
 * scattered over the heap and storing pointers (each store a GC write barrier): events beyond
 * the calendar's window go through here twice.
 */
export class EventQueue {
  private heap = new Int32Array(INITIAL_SLOTS);
  private count = 0;
  private times = new Float64Array(INITIAL_SLOTS);
  private seqs = new Float64Array(INITIAL_SLOTS);
  private readonly events: (ScheduledEvent | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private live = 0;

  /** Number of events that will still fire (cancelled ones excluded). */
  get size(): number {
    return this.live;
  }

  push(ev: ScheduledEvent): void {
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.newSlot();
    this.events[slot] = ev;
    this.times[slot] = ev.timeUs;
    this.seqs[slot] = ev.seq;
    ev.slot = slot;
    ev.inQueue = true;
    this.live++;
    this.siftUp(slot, this.count++);
  }

  /** Marks an event cancelled; it is dropped lazily when it reaches the top. */
  cancel(ev: ScheduledEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    this.live--;
  }

  /**
   * Moves a queued event (live, or cancelled but not yet dropped: it comes back to life) to the
   * later key (timeUs, seq) without touching the heap: it keeps its place under its current key
   * and, when that key reaches the top, takes the new one and sinks to where the new key belongs.
   * Nothing can fire in between (its old key was earlier), so events fire exactly as if it had
   * been removed and pushed again with the new key.
   */
  defer(ev: ScheduledEvent, timeUs: number, seq: number): void {
    if (setDeferredKey(ev, timeUs, seq)) this.live++;
  }

  /** The earliest live event, without removing it. */
  peek(): ScheduledEvent | undefined {
    this.settleTop();
    return this.count > 0 ? this.events[this.heap[0]!] : undefined;
  }

  /** Removes and returns the earliest live event. */
  pop(): ScheduledEvent | undefined {
    this.settleTop();
    if (this.count === 0) return undefined;
    const top = this.events[this.heap[0]!]!;
    this.removeTop();
    this.live--;
    return top;
  }

  /** Until the top is a live event at its final key: drops cancelled tops, re-keys deferred ones. */
  private settleTop(): void {
    while (this.count > 0) {
      const slot = this.heap[0]!;
      const top = this.events[slot]!;
      if (top.cancelled) {
        this.removeTop();
      } else if (top.deferredSeq >= 0) {
        top.timeUs = top.deferredTimeUs;
        top.seq = top.deferredSeq;
        top.deferredSeq = -1;
        this.times[slot] = top.timeUs;
        this.seqs[slot] = top.seq;
        this.siftDown(slot);
      } else {
        return;
      }
    }
  }

  /** Takes the top event out of the heap and frees its slot. */
  private removeTop(): void {
    const slot = this.heap[0]!;
    const ev = this.events[slot]!;
    ev.inQueue = false;
    ev.slot = -1;
    this.events[slot] = undefined;
    this.freeSlots.push(slot);
    const last = this.heap[--this.count]!;
    if (this.count > 0) this.siftDown(last);
  }

  /** Places `slot` at heap position `i` (a free position) and moves it up to where its key belongs. */
  private siftUp(slot: number, i: number): void {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const t = times[slot]!;
    const s = seqs[slot]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      const pt = times[p]!;
      if (pt < t || (pt === t && seqs[p]! < s)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = slot;
  }

  /** Places `slot` at the root position (free, or holding `slot`) and sifts it down. */
  private siftDown(slot: number): void {
    const heap = this.heap;
    const times = this.times;
    const seqs = this.seqs;
    const n = this.count;
    const t = times[slot]!;
    const s = seqs[slot]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      let child = heap[l]!;
      let ct = times[child]!;
      const r = l + 1;
      if (r < n) {
        const right = heap[r]!;
        const rt = times[right]!;
        if (rt < ct || (rt === ct && seqs[right]! < seqs[child]!)) {
          c = r;
          child = right;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && s < seqs[child]!)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = slot;
  }

  /** A slot never used before, growing the key arrays (and the heap) when they are full. */
  private newSlot(): number {
    const slot = this.events.length;
    this.events.push(undefined);
    if (slot >= this.times.length) {
      const size = this.times.length * 2;
      const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(size);
        b.set(a);
        return b;
      };
      this.times = grow(this.times, (k) => new Float64Array(k));
      this.seqs = grow(this.seqs, (k) => new Float64Array(k));
      this.heap = grow(this.heap, (k) => new Int32Array(k));
    }
    return slot;
  }
}
