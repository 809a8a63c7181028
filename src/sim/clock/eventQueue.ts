/**
 * A min-heap of scheduled events ordered by (timeUs, seq). The insertion sequence breaks ties,
 * so two events at the same instant always fire in the order they were scheduled: that is what
 * makes a run a function of its seed and nothing else.
 */

/**
 * One scheduled callback. `cancelled` entries stay in the heap and are skipped when popped.
 * `timeUs` and `seq` are the heap key and belong to the queue: read them, never write them.
 */
export interface ScheduledEvent {
  timeUs: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
  /** True while the event is in the heap (not yet fired, or cancelled but not yet dropped). */
  inQueue: boolean;
  /** Set by `defer`: the key the event takes when its current key reaches the top (-1: none). */
  deferredTimeUs: number;
  deferredSeq: number;
}

/** Binary min-heap specialised for ScheduledEvent (no comparator closure on the hot path). */
export class EventQueue {
  private heap: ScheduledEvent[] = [];
  private live = 0;

  /** Number of events that will still fire (cancelled ones excluded). */
  get size(): number {
    return this.live;
  }

  push(ev: ScheduledEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(ev);
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.timeUs < ev.timeUs || (p.timeUs === ev.timeUs && p.seq < ev.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
    ev.inQueue = true;
    this.live++;
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
    if (ev.cancelled) {
      ev.cancelled = false;
      this.live++;
    }
    ev.deferredTimeUs = timeUs;
    ev.deferredSeq = seq;
  }

  /** The earliest live event, without removing it. */
  peek(): ScheduledEvent | undefined {
    this.settleTop();
    return this.heap[0];
  }

  /** Removes and returns the earliest live event. */
  pop(): ScheduledEvent | undefined {
    this.settleTop();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.live--;
    return top;
  }

  /** Until the top is a live event at its final key: drops cancelled tops, re-keys deferred ones. */
  private settleTop(): void {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (top.cancelled) {
        this.removeTop();
      } else if (top.deferredSeq >= 0) {
        top.timeUs = top.deferredTimeUs;
        top.seq = top.deferredSeq;
        top.deferredSeq = -1;
        this.siftDown(top);
      } else {
        return;
      }
    }
  }

  private removeTop(): void {
    const heap = this.heap;
    heap[0]!.inQueue = false;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    this.siftDown(last);
  }

  /** Places `ev` at the root's slot and sifts it down (the root slot is free or holds `ev`). */
  private siftDown(ev: ScheduledEvent): void {
    const heap = this.heap;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let child = heap[l]!;
      if (r < n) {
        const right = heap[r]!;
        if (right.timeUs < child.timeUs || (right.timeUs === child.timeUs && right.seq < child.seq)) {
          c = r;
          child = right;
        }
      }
      if (ev.timeUs < child.timeUs || (ev.timeUs === child.timeUs && ev.seq < child.seq)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = ev;
  }
}
