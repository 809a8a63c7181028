import type { Txn } from '../../request/txn.ts';

/**
 * ZKDatabase.committedLog: the newest committed txns, ascending, at most `capacity` of them (for
 * DIFF syncs). Every commit drops the oldest once the window is full; doing that with
 * `splice(0, 1)` moved the whole window (500 txns by default) on every commit. Here the dropped
 * prefix stays in the array until it is as long as the window, then goes in one copy, so a
 * commit costs O(1) amortised. What the window holds is exactly as before.
 */
export class CommittedLog {
  private txns: Txn[] = [];
  /** Index of the window's first txn in `txns`; everything before it was dropped. */
  private head = 0;

  constructor(private readonly capacity: number) {}

  /** Number of txns in the window. */
  get length(): number {
    return this.txns.length - this.head;
  }

  /** Appends a committed txn, dropping the oldest when the window is full. */
  push(txn: Txn): void {
    this.txns.push(txn);
    if (this.length > this.capacity) this.head = this.txns.length - this.capacity;
    if (this.head >= this.capacity) {
      this.txns = this.txns.slice(this.head);
      this.head = 0;
    }
  }

  /** The window as an array (a copy: the leader's sync planner reads it once). */
  toArray(): Txn[] {
    return this.txns.slice(this.head);
  }

  /** Oldest txn in the window. */
  first(): Txn | undefined {
    return this.txns[this.head];
  }

  /** Txns of the window with zxid > `zxid`, ascending. */
  after(zxid: number): Txn[] {
    return this.toArray().filter((t) => t.zxid > zxid);
  }

  /** TRUNC: keeps only the txns with zxid ≤ `zxid`. */
  dropAfter(zxid: number): void {
    this.txns = this.toArray().filter((t) => t.zxid <= zxid);
    this.head = 0;
  }

  clear(): void {
    this.txns = [];
    this.head = 0;
  }
}
