/**
 * What a client process reports to the harness through `output` effects. History outputs are
 * Jepsen ops (`invoke`, then one `ok`/`fail`/`info` per invoke) in the vocabulary of the
 * ZooKeeper checker (`src/checker/zookeeper/zkOp.ts`); they carry no time — the harness stamps
 * them with global simulated time (`history.ts`), since a client's local clock may be skewed.
 * Watch notifications and connection state changes are reported too, so recipes can react.
 */
import type { EventType } from '../engine/watch/events.ts';
import type { CommandName } from './commands.ts';
import type { CompletionType } from './outcomes.ts';

/** An operation starts. `value` is the command's arguments. */
export interface InvokeOutput {
  type: 'invoke';
  process: number;
  f: CommandName;
  value: unknown;
  /** The client process (simulation node id). */
  client: string;
  /** The session, as ZooKeeper prints ids (`0x…`), or null before the first session exists. */
  session: string | null;
}

/** An operation ends: `ok`, `fail` (did not happen) or `info` (may or may not have happened). */
export interface CompletionOutput {
  type: CompletionType;
  process: number;
  f: CommandName;
  value: unknown;
  client: string;
  session: string | null;
  /** ZooKeeper error name (NONODE, CONNECTIONLOSS, REQUESTTIMEOUT, ...) unless ok. */
  error?: string;
  /** The reply header zxid: the txn's for a write, the server's last applied for a read. */
  zxid?: number;
  /** The server that answered (or whose connection was lost). */
  server?: string;
}

/** A watch notification. */
export interface EventOutput {
  type: 'event';
  client: string;
  session: string | null;
  event: { type: EventType; path: string };
  /** Whether one of this client's registered watches (one-shot or persistent) matched. */
  watched: boolean;
}

/** Connection/session state, as ZooKeeper's `KeeperState` events report it. */
export type ClientState = 'connected' | 'disconnected' | 'expired' | 'closed';

/** A state change of the client. */
export interface StateOutput {
  type: 'state';
  client: string;
  session: string | null;
  state: ClientState;
  server?: string;
  /** The negotiated session timeout (on `connected`). */
  timeoutMs?: number;
  /** Why the connection ended (disconnected) or what ended the session. */
  reason?: string;
}

/** Anything a client outputs. */
export type ClientOutput = InvokeOutput | CompletionOutput | EventOutput | StateOutput;

/** Whether an output is a history op (invoke or completion). */
export function isHistoryOutput(x: unknown): x is InvokeOutput | CompletionOutput {
  if (typeof x !== 'object' || x === null) return false;
  const t = (x as { type?: unknown }).type;
  return (t === 'invoke' || t === 'ok' || t === 'fail' || t === 'info') && typeof (x as { process?: unknown }).process === 'number';
}

/** A session id as ZooKeeper prints it. */
export function sessionName(sessionId: number): string {
  return `0x${sessionId.toString(16)}`;
}
