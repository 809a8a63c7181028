/**
 * The events a client puts in the trace (trace kind `proto`, beside the servers' events of
 * src/engine/zab/protoEvent.ts): its session state changes, and two oddities worth seeing in a
 * trace. Session triggers in fault plans read them through this type.
 */
import type { ClientState } from './clientOutput.ts';

/** One protocol event of a client. */
export type ClientProtoEvent =
  | { client: ClientState; session: string | null; server?: string; timeoutMs?: number; reason?: string }
  | { client: 'attempt-failed'; server?: string; reason: string }
  | { client: 'xid-out-of-order'; got: number };
