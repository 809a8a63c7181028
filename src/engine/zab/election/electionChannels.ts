import type { Effect } from '../../../sim/host/process.ts';
import type { Notification } from './vote.ts';

/** First message on every server-to-server connection: which channel, and who is calling. */
export interface ChannelHello {
  type: 'hello';
  channel: 'election';
  sid: number;
}

/** An election message on the wire. */
export interface ElectionWireMsg {
  type: 'notification';
  n: Notification;
}

/** Connection tag used when dialing a peer's election channel. */
export const electionTag = (sid: number) => `election:${sid}`;

/**
 * The election transport, after ZooKeeper's QuorumCnxManager: one connection per pair of
 * servers, and only the higher sid keeps it — a lower sid that dials announces itself and
 * hangs up, and the higher sid calls back. Each peer has a send queue of capacity one: a newer
 * notification replaces an unsent older one, and it goes out as soon as a connection exists.
 * A connection that comes up with nothing queued for its peer carries the last notification
 * written to that peer again (QuorumCnxManager.SendWorker's lastMessageSent), because the one
 * written to a connection that then broke may never have been read.
 */
export class ElectionChannels {
  private connOf = new Map<number, number>();
  private sidOf = new Map<number, number>();
  private dialing = new Set<number>();
  private pending = new Map<number, Notification>();
  /** The last notification written to each peer, on any connection (lastMessageSent). */
  private lastSent = new Map<number, Notification>();
  /** Peers we have queued anything for: ZooKeeper's queueSendMap keys. */
  private known = new Set<number>();
  /** Inbound connections whose hello has not arrived yet. */
  private unidentified = new Set<number>();

  constructor(
    private readonly myid: number,
    private readonly addressOf: (sid: number) => string,
  ) {}

  /** Queues `n` for `sid` and makes sure a connection is on its way. */
  send(sid: number, n: Notification, out: Effect[]): void {
    this.known.add(sid);
    const conn = this.connOf.get(sid);
    if (conn !== undefined) {
      this.write(conn, sid, n, out);
      return;
    }
    this.pending.set(sid, n);
    this.connectOne(sid, out);
  }

  /**
   * ZooKeeper's haveDelivered: true as soon as *one* peer's send queue is empty (not all), so
   * a dead peer alone does not stop the notification timeout from resending to the others.
   */
  allDelivered(): boolean {
    for (const sid of this.known) if (!this.pending.has(sid)) return true;
    return false;
  }

  /** Dials every peer we have no connection to. */
  connectAll(peers: readonly number[], out: Effect[]): void {
    for (const sid of peers) if (sid !== this.myid) this.connectOne(sid, out);
  }

  private connectOne(sid: number, out: Effect[]): void {
    if (this.connOf.has(sid) || this.dialing.has(sid)) return;
    this.dialing.add(sid);
    out.push({ kind: 'connect', to: this.addressOf(sid), tag: electionTag(sid) });
  }

  /** Our dial to `sid` connected: say who we are; keep it only if we are the higher sid. */
  onConnected(conn: number, sid: number, out: Effect[]): void {
    this.dialing.delete(sid);
    out.push({ kind: 'send', conn, msg: { type: 'hello', channel: 'election', sid: this.myid } satisfies ChannelHello });
    if (sid > this.myid) {
      // We lost the challenge: the peer will call back.
      out.push({ kind: 'close', conn });
      return;
    }
    this.adopt(conn, sid, out);
  }

  onConnectFailed(sid: number): void {
    this.dialing.delete(sid);
  }

  /** A peer connected to us; we learn who it is from its hello. */
  onAccepted(conn: number): void {
    this.unidentified.add(conn);
  }

  /** Handles a hello on an inbound connection. Returns false if `conn` is not ours to handle. */
  onHello(conn: number, hello: ChannelHello, out: Effect[]): boolean {
    if (!this.unidentified.delete(conn)) return false;
    if (hello.sid < this.myid) {
      out.push({ kind: 'close', conn });
      this.connectOne(hello.sid, out);
      return true;
    }
    this.adopt(conn, hello.sid, out);
    return true;
  }

  private adopt(conn: number, sid: number, out: Effect[]): void {
    const old = this.connOf.get(sid);
    if (old !== undefined && old !== conn) {
      this.sidOf.delete(old);
      out.push({ kind: 'close', conn: old });
    }
    this.connOf.set(sid, conn);
    this.sidOf.set(conn, sid);
    // The queued notification if there is one, else the last one written to this peer: it may
    // have been lost with the connection it went out on. A duplicate is harmless to the peer.
    const n = this.pending.get(sid) ?? this.lastSent.get(sid);
    if (n === undefined) return;
    this.pending.delete(sid);
    this.write(conn, sid, n, out);
  }

  private write(conn: number, sid: number, n: Notification, out: Effect[]): void {
    this.lastSent.set(sid, n);
    out.push({ kind: 'send', conn, msg: { type: 'notification', n } satisfies ElectionWireMsg });
  }

  /** Which peer an established election connection belongs to. */
  peerOf(conn: number): number | undefined {
    return this.sidOf.get(conn);
  }

  /** True if `conn` is an election connection (established or awaiting its hello). */
  owns(conn: number): boolean {
    return this.sidOf.has(conn) || this.unidentified.has(conn);
  }

  /** A connection broke: forget it (a later send redials). */
  onDisconnected(conn: number): void {
    this.unidentified.delete(conn);
    const sid = this.sidOf.get(conn);
    if (sid === undefined) return;
    this.sidOf.delete(conn);
    if (this.connOf.get(sid) === conn) this.connOf.delete(sid);
  }
}
