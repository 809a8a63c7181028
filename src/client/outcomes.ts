/**
 * How an operation's fate becomes a Jepsen completion. This is the one place the rule lives:
 *
 * - the server answered OK → `ok`;
 * - the server answered with a ZooKeeper error (NONODE, BADVERSION, NODEEXISTS, NOTEMPTY,
 *   SESSIONEXPIRED, ...) → `fail`: ZooKeeper errors are definite, the op did not happen
 *   (a failed write is an error txn that changes nothing), and so is a multi whose results
 *   carry an error;
 * - no answer, and the request never left the client (queued while disconnected, session
 *   already expired or closed) → `fail`: it cannot have happened;
 * - no answer to a request that was sent (CONNECTIONLOSS, request timeout, the connection
 *   closed before the reply, the session expired with it in flight) → `info` for a write, whose
 *   effect may or may not land (even much later, in a new epoch), and `fail` for a read, which
 *   changes nothing either way.
 *
 * It also shapes reply bodies into history values the ZooKeeper checker reads (`zkOp.ts`).
 */
import type { ReplyResult } from '../engine/server/effects.ts';
import { ErrorCode, errorName } from '../engine/tree/errors.ts';
import type { Stat } from '../engine/tree/stat.ts';
import { type CommandName, isWriteCommand } from './commands.ts';

/** A completion type. */
export type CompletionType = 'ok' | 'fail' | 'info';

/** What happened to an op. */
export type OpFate =
  /** A reply arrived with this header error (0 for OK). */
  | { kind: 'reply'; err: number }
  /** No reply will come: `error` says why; `sent` says whether the request left the client. */
  | { kind: 'lost'; error: LostReason; sent: boolean };

/** Why an op got no reply. */
export type LostReason = 'CONNECTIONLOSS' | 'REQUESTTIMEOUT' | 'SESSIONEXPIRED';

/**
 * Error codes a client produces itself when it does not know the outcome; a server sending one
 * back (it should not) is treated like a lost reply.
 */
const INDETERMINATE_CODES: ReadonlySet<number> = new Set([ErrorCode.CONNECTIONLOSS, -7 /* OPERATIONTIMEOUT */, -122 /* REQUESTTIMEOUT */]);

/** The completion type of an op with name `f` and fate `fate`. */
export function completionType(f: CommandName, fate: OpFate): CompletionType {
  if (fate.kind === 'reply') {
    if (fate.err === ErrorCode.OK) return 'ok';
    if (!INDETERMINATE_CODES.has(fate.err)) return 'fail';
    return isWriteCommand(f) ? 'info' : 'fail';
  }
  if (!fate.sent) return 'fail';
  return isWriteCommand(f) ? 'info' : 'fail';
}

const decoder = new TextDecoder();

/** Command data back as text (null stays null). */
export function dataText(data: Uint8Array | null): string | null {
  return data === null ? null : decoder.decode(data);
}

/** A stat as recorded in the history: ZooKeeper's field names, times in ms. */
export function statValue(stat: Stat): Record<string, number> {
  return {
    czxid: stat.czxid,
    mzxid: stat.mzxid,
    pzxid: stat.pzxid,
    ctime: stat.ctimeMs,
    mtime: stat.mtimeMs,
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: stat.ephemeralOwner,
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}

/** A completed reply's history value and, for a multi that failed, the error that failed it. */
export interface ShapedReply {
  value: unknown;
  /** Set when the header said OK but the op still failed (a multi with an error result). */
  error?: string;
}

/**
 * The history value of an OK reply: create → `{path, stat}` (the created path); setData → the new stat;
 * getData → `{data, ...stat}`; exists → the stat; getChildren → `{children, stat}`; multi →
 * per-op results `{ok, path?, stat?, error?}`; getEphemerals → the paths; getAllChildrenNumber →
 * the count; delete, sync, addWatch, removeWatches, close → null.
 */
export function shapeReply(result: ReplyResult | null): ShapedReply {
  if (result === null) return { value: null };
  switch (result.type) {
    case 'create':
      return { value: result.stat === undefined ? { path: result.path } : { path: result.path, stat: statValue(result.stat) } };
    case 'setData':
    case 'exists':
      return { value: statValue(result.stat) };
    case 'getData':
      return { value: { data: dataText(result.data), ...statValue(result.stat) } };
    case 'getChildren':
      return { value: { children: [...result.children], stat: statValue(result.stat) } };
    case 'multi': {
      const value = result.results.map((r) => {
        if (r.type === 'error') return { ok: false, error: errorName(r.err) };
        if (r.type === 'create') return { ok: true, path: r.path };
        if (r.type === 'setData') return { ok: true, stat: statValue(r.stat) };
        return { ok: true };
      });
      // A failed multi still has header err 0; the op that failed it carries the real code,
      // the ones before it say OK (rolled back) and the ones after RUNTIMEINCONSISTENCY.
      const errors = result.results.flatMap((r) => (r.type === 'error' ? [r.err] : []));
      if (errors.length === 0) return { value };
      const failing = errors.find((err) => err !== ErrorCode.OK && err !== ErrorCode.RUNTIMEINCONSISTENCY) ?? errors[0]!;
      return { value, error: errorName(failing) };
    }
    case 'getEphemerals':
      return { value: [...result.paths] };
    case 'getAllChildrenNumber':
      return { value: result.count };
    default:
      return { value: null };
  }
}

/** A completion: its type, its history value and, unless ok, the error. */
export interface Completion {
  type: CompletionType;
  value: unknown;
  error?: string;
}

/** The completion of an op the server answered (header error `err`, body `result`). */
export function completionOfReply(f: CommandName, err: number, result: ReplyResult | null): Completion {
  // exists on a missing node is an answer, not a failure: "no such node" (null stat).
  if (f === 'exists' && err === ErrorCode.NONODE) return { type: 'ok', value: null };
  if (err !== ErrorCode.OK) return { type: completionType(f, { kind: 'reply', err }), value: null, error: errorName(err) };
  const shaped = shapeReply(result);
  if (shaped.error !== undefined) return { type: 'fail', value: shaped.value, error: shaped.error };
  return { type: 'ok', value: shaped.value };
}

/** The completion of an op that will get no reply. */
export function completionOfLoss(f: CommandName, error: LostReason, sent: boolean): Completion {
  return { type: completionType(f, { kind: 'lost', error, sent }), value: null, error };
}
