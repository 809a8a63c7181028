/**
 * The client ↔ server wire protocol carried over simulated connections. Standalone servers and
 * ensemble members speak the same protocol, so one client library talks to both. Messages are
 * plain objects (the simulated network carries values, not bytes); the shapes mirror
 * ZooKeeper's ConnectRequest / RequestHeader / ReplyHeader / WatcherEvent packets.
 */
import type { ClientRequest } from '../request/types.ts';
import type { WatchedEvent } from '../watch/events.ts';
import type { CloseReason, ConnectRequest, ReplyResult } from './effects.ts';
import { PING_XID } from './effects.ts';

/** The tag a client uses when it opens a connection to a server's client port. */
export const CLIENT_CONN_TAG = 'client';

/** Client → server. The first message on a connection must be `connect`. */
export type ClientToServer =
  | { t: 'connect'; request: ConnectRequest }
  | { t: 'request'; xid: number; request: ClientRequest }
  | { t: 'ping' };

/** Server → client. */
export type ServerToClient =
  | {
      /** sessionId 0 and timeoutMs 0: the session has expired (the client's SESSIONEXPIRED). */
      t: 'connectResponse';
      sessionId: number;
      timeoutMs: number;
      passwd: Uint8Array;
    }
  | { t: 'reply'; xid: number; zxid: number; err: number; result: ReplyResult | null }
  | { t: 'event'; event: WatchedEvent }
  | { t: 'pong'; zxid: number }
  /** Sent just before the server closes the connection, so the client can tell why. */
  | { t: 'closing'; reason: CloseReason };

export { PING_XID };

/** Narrowing guard for messages arriving on a server's client connection. */
export function isClientToServer(msg: unknown): msg is ClientToServer {
  if (typeof msg !== 'object' || msg === null) return false;
  const t = (msg as { t?: unknown }).t;
  return t === 'connect' || t === 'request' || t === 'ping';
}

/** Narrowing guard for messages arriving on a client's connection. */
export function isServerToClient(msg: unknown): msg is ServerToClient {
  if (typeof msg !== 'object' || msg === null) return false;
  const t = (msg as { t?: unknown }).t;
  return t === 'connectResponse' || t === 'reply' || t === 'event' || t === 'pong' || t === 'closing';
}
