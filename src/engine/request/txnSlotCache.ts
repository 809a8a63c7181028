import type { Txn } from './txn.ts';

/**
 * A small direct-mapped cache of something derived from a txn (its log record, its digest),
 * keyed by the txn object itself. A txn is immutable once prepped, and the simulated network
 * hands every replica the very object the leader proposed, so the replicas ask for the same
 * txn within a few round trips of each other. A slot is chosen by the low bits of the zxid and
 * hits only for the same object; a slot overwritten in between only means deriving the value
 * again.
 *
 * Why not a WeakMap: V8's young-generation GC keeps a WeakMap entry's value alive until the next
 * full GC, so every value (and what it holds) of a run would be copied by scavenges and promoted
 * long after its txn is gone. Here a value lives only until its slot is reused.
 */
export class TxnSlotCache<V> {
  private readonly txns: (Txn | undefined)[];
  private readonly values: (V | undefined)[];
  private readonly mask: number;

  /** `slots` must be a power of two. */
  constructor(slots: number) {
    if (!Number.isInteger(Math.log2(slots))) throw new RangeError(`slots must be a power of two, got ${slots}`);
    this.txns = new Array<Txn | undefined>(slots).fill(undefined);
    this.values = new Array<V | undefined>(slots).fill(undefined);
    this.mask = slots - 1;
  }

  /** The value cached for this very txn object, if its slot still holds it. */
  get(txn: Txn): V | undefined {
    const slot = this.slotOf(txn);
    return this.txns[slot] === txn ? this.values[slot] : undefined;
  }

  set(txn: Txn, value: V): void {
    const slot = this.slotOf(txn);
    this.txns[slot] = txn;
    this.values[slot] = value;
  }

  private slotOf(txn: Txn): number {
    return (txn.zxid >>> 0) & this.mask; // low bits of the counter (ToUint32 is exact)
  }
}
