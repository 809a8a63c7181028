/**
 * The client's request queues, after ZooKeeper's `ClientCnxn`: `outgoing` holds requests not
 * yet written to a connection, `inFlight` those written and awaiting their reply. Requests
 * leave in the order they were submitted, with increasing xids, and a server answers a
 * session's requests in order, so each reply must answer the oldest request in flight — any
 * other xid is a protocol error (ZooKeeper's "Xid out of order") that costs the connection.
 */
import type { ClientRequest } from '../engine/request/types.ts';
import type { ClientCommand } from './commands.ts';

/** One request of the session. */
export interface ClientOp {
  /** Client-local sequence number, in submission order. */
  seq: number;
  /** Jepsen process id the op was invoked under (its completion reuses it). */
  process: number;
  command: ClientCommand;
  request: ClientRequest;
  /** Requests the client makes for itself (SetWatches): no history, no outcome. */
  internal: boolean;
  /** Local time after which the op times out, if request timeouts are on. */
  deadlineUs: number | undefined;
  /** Set once written to a connection. */
  xid?: number;
}

/** Outgoing and in-flight requests of one session. */
export class PendingOps {
  private outgoing: ClientOp[] = [];
  private inFlight: ClientOp[] = [];
  private nextXid = 1;

  /** Requests waiting or in flight. */
  get size(): number {
    return this.outgoing.length + this.inFlight.length;
  }

  /** Queues a request behind every earlier one. */
  enqueue(op: ClientOp): void {
    this.outgoing.push(op);
  }

  /** Moves `op` in flight ahead of the queue with a reserved xid (SetWatches on a new connection). */
  sendFirst(op: ClientOp, xid: number): ClientOp {
    op.xid = xid;
    this.inFlight.push(op);
    return op;
  }

  /** Writes every queued request: assigns xids in order and moves them in flight. */
  sendQueued(): ClientOp[] {
    const sent = this.outgoing;
    this.outgoing = [];
    for (const op of sent) {
      op.xid = this.nextXid++;
      this.inFlight.push(op);
    }
    return sent;
  }

  /** The op a reply with `xid` answers, or undefined when it is not the oldest in flight. */
  takeReply(xid: number): ClientOp | undefined {
    const head = this.inFlight[0];
    if (head === undefined || head.xid !== xid) return undefined;
    this.inFlight.shift();
    return head;
  }

  /** Removes and returns everything: in-flight ops first (oldest first), then queued ones. */
  drain(): { sent: ClientOp[]; unsent: ClientOp[] } {
    const out = { sent: this.inFlight, unsent: this.outgoing };
    this.inFlight = [];
    this.outgoing = [];
    return out;
  }

  /** Removes and returns the ops whose deadline is at or before `nowUs`, in submission order. */
  takeTimedOut(nowUs: number): ClientOp[] {
    const due = (op: ClientOp) => op.deadlineUs !== undefined && op.deadlineUs <= nowUs;
    const out = [...this.inFlight.filter(due), ...this.outgoing.filter(due)];
    if (out.length === 0) return out;
    this.inFlight = this.inFlight.filter((op) => !due(op));
    this.outgoing = this.outgoing.filter((op) => !due(op));
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** The earliest deadline of any op, if any has one. */
  nextDeadlineUs(): number | undefined {
    let min: number | undefined;
    for (const list of [this.inFlight, this.outgoing]) {
      for (const op of list) if (op.deadlineUs !== undefined && (min === undefined || op.deadlineUs < min)) min = op.deadlineUs;
    }
    return min;
  }
}
