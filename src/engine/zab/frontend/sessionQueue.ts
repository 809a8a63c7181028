/**
 * One session's requests at the server it is connected to, in arrival order (ZooKeeper's
 * CommitProcessor keeps this order per session): a read waits for the writes before it to be
 * applied locally, so a client always reads its own writes; a write or sync leaves the queue
 * when its txn (or the leader's sync answer) comes back.
 */
import type { ClientRequest } from '../../request/types.ts';

/** What a queued request waits for. */
export type PendingKind = 'read' | 'write' | 'sync' | 'close';

export interface PendingRequest {
  xid: number;
  request: ClientRequest;
  kind: PendingKind;
  /** For sync: the leader's answer arrived. */
  ready: boolean;
}

export class SessionQueue {
  private readonly items: PendingRequest[] = [];

  constructor(
    readonly sessionId: number,
    public conn: number,
    readonly timeoutMs: number,
  ) {}

  push(item: PendingRequest): void {
    this.items.push(item);
  }

  get length(): number {
    return this.items.length;
  }

  /**
   * Takes the requests that can complete now from the head: reads, and syncs whose answer
   * arrived. Stops at the first write or unanswered sync.
   */
  takeRunnable(): PendingRequest[] {
    const out: PendingRequest[] = [];
    while (this.items.length > 0) {
      const head = this.items[0]!;
      if (head.kind === 'read' || (head.kind === 'sync' && head.ready)) out.push(this.items.shift()!);
      else break;
    }
    return out;
  }

  /** The request this session's txn with `cxid` answers, if it is at the head. */
  takeWrite(cxid: number): PendingRequest | undefined {
    const head = this.items[0];
    if (head === undefined || head.xid !== cxid || (head.kind !== 'write' && head.kind !== 'close')) return undefined;
    return this.items.shift();
  }

  /** Marks the sync with `cxid` as answered. */
  markSynced(cxid: number): void {
    const item = this.items.find((i) => i.kind === 'sync' && i.xid === cxid);
    if (item !== undefined) item.ready = true;
  }
}
