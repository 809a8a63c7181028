/**
 * Request packet sizes as jute encodes them, to enforce `jute.maxbuffer` (§1.6). The body is
 * everything after the 4-byte length prefix: xid and type (8 bytes) plus the request record.
 * A body over 1,048,575 bytes is never parsed: the server closes the connection.
 */
import type { Acl } from '../tree/acl.ts';
import { utf8Length } from '../tree/paths.ts';
import type { ClientRequest, MultiOpRequest, MultiReadOp } from './types.ts';

/** `jute.maxbuffer` default: the largest accepted packet body in bytes. */
export const MAX_PACKET_BODY_BYTES = 0xfffff;

/** xid (int) + opcode (int). */
const REQUEST_HEADER_BYTES = 8;
/** MultiHeader: type (int) + done (bool) + err (int). */
const MULTI_HEADER_BYTES = 9;

function stringBytes(text: string): number {
  return 4 + utf8Length(text);
}

function bufferBytes(data: Uint8Array | null): number {
  return 4 + (data === null ? 0 : data.length);
}

function aclBytes(acl: readonly Acl[]): number {
  return 4 + acl.reduce((sum, entry) => sum + 4 + stringBytes(entry.scheme) + stringBytes(entry.id), 0);
}

function multiOpBytes(op: MultiOpRequest): number {
  switch (op.op) {
    case 'create':
    case 'create2':
    case 'createContainer':
    case 'createTTL':
      return stringBytes(op.path) + bufferBytes(op.data) + aclBytes(op.acl) + 4 + (op.op === 'createTTL' ? 8 : 0);
    case 'delete':
    case 'check':
      return stringBytes(op.path) + 4;
    case 'setData':
      return stringBytes(op.path) + bufferBytes(op.data) + 4;
  }
}

function multiReadOpBytes(op: MultiReadOp): number {
  return stringBytes(op.path) + 1;
}

function recordBytes(request: ClientRequest): number {
  switch (request.op) {
    case 'create':
    case 'create2':
    case 'createContainer':
    case 'createTTL':
    case 'delete':
    case 'setData':
      return multiOpBytes(request);
    case 'multi':
      return request.ops.reduce((sum, op) => sum + MULTI_HEADER_BYTES + multiOpBytes(op), 0) + MULTI_HEADER_BYTES;
    case 'multiRead':
      return request.ops.reduce((sum, op) => sum + MULTI_HEADER_BYTES + multiReadOpBytes(op), 0) + MULTI_HEADER_BYTES;
    case 'getData':
    case 'exists':
    case 'getChildren':
      return stringBytes(request.path) + 1;
    case 'sync':
    case 'getAllChildrenNumber':
      return stringBytes(request.path);
    case 'getEphemerals':
      return stringBytes(request.prefixPath);
    case 'addWatch':
      return stringBytes(request.path) + 4;
    case 'removeWatches':
      return stringBytes(request.path) + 4;
    case 'setWatches': {
      const lists = [request.dataWatches, request.existWatches, request.childWatches, request.persistentWatches, request.persistentRecursiveWatches];
      return 8 + lists.reduce((sum, list) => sum + 4 + list.reduce((s, path) => s + stringBytes(path), 0), 0);
    }
    case 'ping':
    case 'closeSession':
      return 0;
  }
}

/** Size of the request's packet body (after the length prefix) in bytes. */
export function requestBodyBytes(request: ClientRequest): number {
  return REQUEST_HEADER_BYTES + recordBytes(request);
}

/** Whether the server would refuse the packet and close the connection. */
export function exceedsPacketLimit(request: ClientRequest): boolean {
  return requestBodyBytes(request) > MAX_PACKET_BODY_BYTES;
}
