/**
 * The Java client's timing rules (`ClientCnxn.SendThread.run`, ZooKeeper 3.8.0), in ms:
 *
 * - readTimeout = sessionTimeout·2/3: a connected client that hears nothing for that long
 *   drops the connection and moves on ("Client session timed out, have not heard from server");
 * - connectTimeout = sessionTimeout / number of servers: the budget of one connection attempt
 *   (TCP connect plus the ConnectRequest/ConnectResponse handshake);
 * - a ping goes out when the client has sent nothing for readTimeout/2 (= sessionTimeout/3),
 *   less one second once it has been idle more than a second, and at least every 10 s;
 * - before every connection attempt but the first, a random pause of 0–999 ms, plus one
 *   second when the walk over the servers has come full circle (StaticHostProvider spinDelay).
 *
 * Before the first session is established the requested timeout stands in for the negotiated
 * one, as in the Java client.
 */

/** xid of SetWatches packets (`ClientCnxn.SET_WATCHES_XID`). */
export const SET_WATCHES_XID = -8;
/** Upper bound (exclusive) of the random pause before a reconnect. */
export const RECONNECT_JITTER_MS = 1000;
/** Extra pause after trying every server (`StaticHostProvider` spinDelay). */
export const SPIN_DELAY_MS = 1000;
/** A connected client pings at least this often (`MAX_SEND_PING_INTERVAL`). */
export const MAX_SEND_PING_INTERVAL_MS = 10_000;

/** How long a connected client waits to hear from its server. */
export function readTimeoutMs(sessionTimeoutMs: number): number {
  return Math.floor((sessionTimeoutMs * 2) / 3);
}

/** The budget of one connection attempt. */
export function connectTimeoutMs(sessionTimeoutMs: number, serverCount: number): number {
  return Math.floor(sessionTimeoutMs / serverCount);
}

/**
 * After how many ms without sending the client pings: the first idle time at which Java's
 * `readTimeout/2 − idleSend − (idleSend > 1000 ? 1000 : 0) ≤ 0` or `idleSend > 10000` holds.
 */
export function pingIdleMs(sessionTimeoutMs: number): number {
  const half = Math.floor(readTimeoutMs(sessionTimeoutMs) / 2);
  const due = half > 2000 ? half - 1000 : Math.min(half, 1001);
  return Math.min(due, MAX_SEND_PING_INTERVAL_MS + 1);
}
