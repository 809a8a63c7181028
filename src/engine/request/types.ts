/**
 * Client requests as the engine receives them (already decoded from the wire). Op names follow
 * ZooKeeper's opcodes. Data is `Uint8Array | null`: ZooKeeper stores and returns exactly what
 * it was given, so null and an empty array stay distinct.
 */
import type { Acl } from '../tree/acl.ts';

/** CreateMode flags as sent on the wire. */
export const CreateFlags = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;

/** The four create opcodes: plain create replies with a path, the others with path and stat. */
export type CreateOpcode = 'create' | 'create2' | 'createContainer' | 'createTTL';

/** create / create2 / createContainer / createTTL. */
export interface CreateRequest {
  op: CreateOpcode;
  path: string;
  data: Uint8Array | null;
  acl: Acl[];
  flags: number;
  ttlMs?: number;
}

/** delete(path, version); version −1 matches any. */
export interface DeleteRequest {
  op: 'delete';
  path: string;
  version: number;
}

/** setData(path, data, version); version −1 matches any. */
export interface SetDataRequest {
  op: 'setData';
  path: string;
  data: Uint8Array | null;
  version: number;
}

/** check(path, version): only meaningful inside a multi. */
export interface CheckRequest {
  op: 'check';
  path: string;
  version: number;
}

/** One op of a multi. */
export type MultiOpRequest = CreateRequest | DeleteRequest | SetDataRequest | CheckRequest;

/** multi (opcode 14): all ops in one txn, all or nothing. */
export interface MultiRequest {
  op: 'multi';
  ops: MultiOpRequest[];
}

/** Requests that become a txn. */
export type WriteRequest = CreateRequest | DeleteRequest | SetDataRequest | MultiRequest;

/** getData / exists / getChildren (the last replies with a stat too, like getChildren2). */
export interface PathReadRequest {
  op: 'getData' | 'exists' | 'getChildren';
  path: string;
  watch: boolean;
}

/** One op of a multiRead (no watches). */
export interface MultiReadOp {
  op: 'getData' | 'getChildren';
  path: string;
}

/** Reads: answered from the applied tree, with the server's last processed zxid. */
export type ReadRequest =
  | PathReadRequest
  | { op: 'sync'; path: string }
  | { op: 'getEphemerals'; prefixPath: string }
  | { op: 'getAllChildrenNumber'; path: string }
  | { op: 'multiRead'; ops: MultiReadOp[] };

/** addWatch modes (`AddWatchMode`). */
export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;

/** removeWatches watcher types (`WatcherType`). */
export const WatcherType = { CHILDREN: 1, DATA: 2, ANY: 3, PERSISTENT: 4, PERSISTENT_RECURSIVE: 5 } as const;

/** SetWatches (opcode 105): re-registration after moving to a new connection. */
export interface SetWatchesRequest {
  op: 'setWatches';
  relativeZxid: number;
  dataWatches: string[];
  existWatches: string[];
  childWatches: string[];
  persistentWatches: string[];
  persistentRecursiveWatches: string[];
}

/** Watch management; none of these is a txn. */
export type WatchRequest =
  | { op: 'addWatch'; path: string; mode: number }
  | { op: 'removeWatches'; path: string; watcherType: number }
  | SetWatchesRequest;

/** Session-level requests on an open connection. */
export type SessionRequest = { op: 'ping' } | { op: 'closeSession' };

/** Everything a client can send after connecting. */
export type ClientRequest = WriteRequest | ReadRequest | WatchRequest | SessionRequest;

/** Whether the request becomes a txn (consumes a zxid). */
export function isWriteRequest(request: ClientRequest): request is WriteRequest {
  switch (request.op) {
    case 'create':
    case 'create2':
    case 'createContainer':
    case 'createTTL':
    case 'delete':
    case 'setData':
    case 'multi':
      return true;
    default:
      return false;
  }
}
