/**
 * Inputs and effects of a server core. Effects are listed in the order they must reach the
 * network: for one connection, a watch notification listed before a reply is sent before it
 * (that is how a client sees its own write's event before the write's reply), and a
 * closeConnection comes after everything that connection should still receive.
 */
import type { ClientRequest } from '../request/types.ts';
import type { MultiOpResult } from '../request/results.ts';
import type { ReadResult } from '../request/reads.ts';
import type { Stat } from '../tree/stat.ts';
import type { WatchedEvent } from '../watch/events.ts';
import type { ConnId } from '../watch/watchTable.ts';

export type { ConnId };

/** A ConnectRequest: no sessionId (or 0) opens a new session, otherwise re-attaches. */
export interface ConnectRequest {
  sessionId?: number;
  passwd?: Uint8Array;
  timeoutMs: number;
  /** The newest zxid the client has seen; a server behind it refuses the client. */
  lastZxidSeen?: number;
}

/** Inputs to a server core. */
export type ServerInput =
  | { type: 'connect'; connId: ConnId; request: ConnectRequest }
  | { type: 'request'; connId: ConnId; xid: number; request: ClientRequest }
  | { type: 'disconnect'; connId: ConnId }
  | { type: 'tick'; nowMs: number };

/** A create's reply: plain `create` carries no stat. Inside a multi, creates carry only a path. */
export type MultiReplyOp = Exclude<MultiOpResult, { type: 'create' }> | { type: 'create'; path: string };

/** The body of a successful reply. */
export type ReplyResult =
  | ReadResult
  | { type: 'create'; path: string; stat?: Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: Stat }
  | { type: 'multi'; results: MultiReplyOp[] }
  | { type: 'empty' };

/** Why the server closed a connection. */
export type CloseReason =
  | 'sessionExpired'
  | 'sessionClosed'
  | 'clientReconnect'
  | 'packetTooLarge'
  | 'zxidAhead'
  | 'notConnected';

/** Effects a server core asks its host to carry out. */
export type ServerEffect =
  | {
      /** ConnectResponse. timeoutMs 0 and sessionId 0 mean "expired" (the client's SESSIONEXPIRED). */
      type: 'connectResponse';
      connId: ConnId;
      sessionId: number;
      timeoutMs: number;
      passwd: Uint8Array;
    }
  | {
      /** A reply: header (xid, zxid, err) plus body when err is 0. */
      type: 'reply';
      connId: ConnId;
      xid: number;
      zxid: number;
      err: number;
      result: ReplyResult | null;
    }
  | { type: 'event'; connId: ConnId; event: WatchedEvent }
  | { type: 'closeConnection'; connId: ConnId; reason: CloseReason };

/** Reply xids ZooKeeper reserves: pings use −2, notifications −1. */
export const PING_XID = -2;
