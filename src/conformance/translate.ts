/**
 * Translation between trace records and engine values: trace ops become engine requests, and
 * engine replies become results shaped like the trace's (`{ok, ...}`, stats with session
 * labels for ephemeralOwner, error names).
 */
import { OPEN_ACL, copyAcl } from '../engine/tree/acl.ts';
import { ErrorCode, errorName } from '../engine/tree/errors.ts';
import type { Stat } from '../engine/tree/stat.ts';
import { AddWatchMode, type ClientRequest, type CreateRequest, CreateFlags, type MultiOpRequest, WatcherType } from '../engine/request/types.ts';
import type { ReplyResult } from '../engine/server/effects.ts';
import type { TraceCreateMode, TraceData, TraceMultiOp, TraceOp } from './traceFormat.ts';

/** Bytes of trace data (UTF-8 text, null, or `{fill, length}`). */
export function traceDataBytes(data: TraceData): Uint8Array | null {
  if (data === null) return null;
  if (typeof data === 'string') return new TextEncoder().encode(data);
  return new TextEncoder().encode(data.fill.repeat(data.length));
}

/** How a create mode is sent: the Java client's opcode choice and the wire flag. */
function createOf(path: string, data: TraceData, mode: TraceCreateMode): CreateRequest {
  const base = { path, data: traceDataBytes(data), acl: copyAcl(OPEN_ACL) };
  if (typeof mode === 'number') return { op: 'create2', ...base, flags: mode };
  const flags = CreateFlags[mode];
  if (mode === 'CONTAINER') return { op: 'createContainer', ...base, flags };
  if (mode === 'PERSISTENT_WITH_TTL' || mode === 'PERSISTENT_SEQUENTIAL_WITH_TTL') return { op: 'createTTL', ...base, flags, ttlMs: 60_000 };
  return { op: 'create2', ...base, flags };
}

function multiOpOf(op: TraceMultiOp): MultiOpRequest {
  switch (op.op) {
    case 'create': {
      // Inside a multi the Java client uses create (opcode 1) or createContainer/createTTL.
      const req = createOf(op.path, op.data, op.mode);
      return req.op === 'create2' ? { ...req, op: 'create' } : req;
    }
    case 'delete':
      return { op: 'delete', path: op.path, version: op.version };
    case 'setData':
      return { op: 'setData', path: op.path, data: traceDataBytes(op.data), version: op.version };
    case 'check':
      return { op: 'check', path: op.path, version: op.version };
  }
}

/** The engine request for a trace op. */
export function requestOf(record: TraceOp): ClientRequest {
  switch (record.op) {
    case 'create':
      return createOf(record.path, record.data, record.mode);
    case 'delete':
      return { op: 'delete', path: record.path, version: record.version };
    case 'setData':
      return { op: 'setData', path: record.path, data: traceDataBytes(record.data), version: record.version };
    case 'getData':
    case 'exists':
    case 'getChildren':
      return { op: record.op, path: record.path, watch: record.watch };
    case 'multi':
      return { op: 'multi', ops: record.ops.map(multiOpOf) };
    case 'sync':
      return { op: 'sync', path: record.path };
    case 'addWatch':
      return { op: 'addWatch', path: record.path, mode: AddWatchMode[record.mode] };
    case 'removeWatches':
      return { op: 'removeWatches', path: record.path, watcherType: WatcherType[record.watcherType] };
    case 'getEphemerals':
      return { op: 'getEphemerals', prefixPath: record.path };
    case 'getAllChildrenNumber':
      return { op: 'getAllChildrenNumber', path: record.path };
  }
}

/** A trace-shaped result: plain JSON except that `data` stays bytes until printed. */
export type GotResult = { ok: boolean } & Record<string, unknown>;

/** The trace form of a stat: ctime/mtime dropped, ephemeralOwner as a session label. */
export function traceStat(stat: Stat, labelOf: (sessionId: number) => string): Record<string, unknown> {
  return {
    czxid: stat.czxid,
    mzxid: stat.mzxid,
    pzxid: stat.pzxid,
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: stat.ephemeralOwner === 0 ? null : labelOf(stat.ephemeralOwner),
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

/** The trace form of a reply to `record`. */
export function traceResult(record: TraceOp, err: number, result: ReplyResult | null, labelOf: (id: number) => string): GotResult {
  if (err !== ErrorCode.OK || result === null) {
    // exists on a missing node is a success with a null stat in the trace format.
    if (record.op === 'exists' && err === ErrorCode.NONODE) return { ok: true, stat: null };
    return { ok: false, error: errorName(err) };
  }
  const stat = (s: Stat): Record<string, unknown> => traceStat(s, labelOf);
  switch (result.type) {
    case 'create':
      return result.stat === undefined ? { ok: true, path: result.path } : { ok: true, path: result.path, stat: stat(result.stat) };
    case 'setData':
    case 'exists':
      return { ok: true, stat: stat(result.stat) };
    case 'getData':
      return { ok: true, data: result.data, stat: stat(result.stat) };
    case 'getChildren':
      return { ok: true, children: result.children, stat: stat(result.stat) };
    case 'multi':
      return {
        ok: true,
        results: result.results.map((r) => {
          switch (r.type) {
            case 'create':
              return { ok: true, path: r.path };
            case 'setData':
              return { ok: true, stat: stat(r.stat) };
            case 'error':
              return { ok: false, error: errorName(r.err) };
            default:
              return { ok: true };
          }
        }),
      };
    case 'getEphemerals':
      return { ok: true, paths: result.paths };
    case 'getAllChildrenNumber':
      return { ok: true, count: result.count };
    default:
      return { ok: true };
  }
}
