/**
 * Txns: what prep (leader side) produces and apply (every replica) consumes. Plain data only
 * (numbers, strings, Uint8Array, arrays, plain objects) so txns can be msgpack-encoded into
 * PROPOSAL messages and txn logs. A failed write is still a txn (`error`) with its own zxid.
 */
import type { Acl } from '../tree/acl.ts';

/** createSession: registers the session (and its negotiated timeout) on every replica. */
export interface CreateSessionTxn {
  type: 'createSession';
  timeoutMs: number;
}

/** closeSession: drops the session and deletes the listed ephemerals, all at one zxid. */
export interface CloseSessionTxn {
  type: 'closeSession';
  paths: string[];
}

/**
 * create: `parentChildCreates` is the parent's creation counter after this create (ZooKeeper's
 * parentCVersion); apply asserts it, pairing prep's view with the tree's.
 */
export interface CreateTxn {
  type: 'create';
  path: string;
  data: Uint8Array | null;
  acl: Acl[];
  ephemeralOwner: number;
  container: boolean;
  parentChildCreates: number;
}

/** delete of a user node, or deleteContainer from the container manager. */
export interface DeleteTxn {
  type: 'delete' | 'deleteContainer';
  path: string;
}

/** setData with the new version prep computed. */
export interface SetDataTxn {
  type: 'setData';
  path: string;
  data: Uint8Array | null;
  version: number;
}

/** check inside a multi: no effect when it succeeded. */
export interface CheckTxn {
  type: 'check';
  path: string;
  version: number;
}

/** A failed request (or a failed/rolled-back op inside a multi). */
export interface ErrorTxn {
  type: 'error';
  err: number;
}

/** One op inside a multi txn. */
export type MultiSubTxn = CreateTxn | DeleteTxn | SetDataTxn | CheckTxn | ErrorTxn;

/**
 * multi: one txn, one zxid. A failed multi holds only error sub-txns: OK (0) for the ops
 * before the failing one, its code, then RUNTIMEINCONSISTENCY for the rest.
 */
export interface MultiTxn {
  type: 'multi';
  txns: MultiSubTxn[];
}

/** Any txn body. */
export type TxnBody = CreateSessionTxn | CloseSessionTxn | CreateTxn | DeleteTxn | SetDataTxn | ErrorTxn | MultiTxn;

/** A txn: header fields (who, which request, which zxid, when) plus the body. */
export interface Txn {
  zxid: number;
  /** Leader time when prepped; becomes ctime/mtime, so replicas agree. */
  timeMs: number;
  sessionId: number;
  /** The client's xid for the request (0 for server-generated txns). */
  cxid: number;
  body: TxnBody;
}
