/**
 * A min-heap of scheduled events ordered by (timeUs, seq). The insertion sequence breaks ties,
 * so two events at the same instant always fire in the order they were scheduled: that is what
 * makes a run a function of its seed and nothing else.
 */

/** One scheduled callback. `cancelled` entries stay in the heap and are skipped when popped. */
export interface ScheduledEvent {
  readonly timeUs: number;
  readonly seq: number;
  fire: () => void;
  cancelled: boolean;
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
    this.live++;
  }

  /** Marks an event cancelled; it is dropped lazily when it reaches the top. */
  cancel(ev: ScheduledEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    this.live--;
  }

  /** The earliest live event, without removing it. */
  peek(): ScheduledEvent | undefined {
    this.dropCancelledTop();
    return this.heap[0];
  }

  /** Removes and returns the earliest live event. */
  pop(): ScheduledEvent | undefined {
    this.dropCancelledTop();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.live--;
    return top;
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.removeTop();
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return;
    // Sift `last` down from the root.
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
      if (last.timeUs < child.timeUs || (last.timeUs === child.timeUs && last.seq < child.seq)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = last;
  }
}
