/**
 * The ZooKeeper client-op vocabulary shared by the znode model and the ZooKeeper consistency
 * checker: how a paired {@link Operation} reads as a create/delete/setData/getData/exists/sync.
 *
 * Input convention (JSONL shown; EDN is the same with keywords):
 * - invoke: `{"type":"invoke","process":3,"session":7,"f":"setData","value":{"path":"/a","data":"x","version":-1}}`
 * - ok completion: `value` holds the results: getData `{"data":"x","version":2,"mzxid":..}`,
 *   exists a stat `{"version":2}` or `null` (no node), setData the new stat `{"version":3}`,
 *   create the created path (or `{"path":..}`), delete/sync `null`. A `zxid` field on the
 *   completion is the server-reported zxid: the txn's zxid for writes, the server's last
 *   processed zxid for reads and sync.
 * - fail completion: `error` is the ZooKeeper code: `NONODE`, `NODEEXISTS`, `BADVERSION`,
 *   `NOTEMPTY` (also accepted in Jepsen style, e.g. `no-node`). Any other `fail` error is treated
 *   as "did not happen, told us nothing". Connection loss and timeouts must be `info`.
 * - `session` (on the invoke or completion) names the ZooKeeper session; default: the process.
 */
import type { HistoryOp } from '../history/op.ts';
import type { Operation } from '../history/operations.ts';

/** The operations understood. */
export type ZkKind = 'create' | 'delete' | 'setData' | 'getData' | 'exists' | 'sync';

/** Outcome: `ok`, a determinate ZooKeeper error, `unknown` (info), or `ignored` (other failure). */
export type ZkOutcome = 'ok' | 'NONODE' | 'NODEEXISTS' | 'BADVERSION' | 'NOTEMPTY' | 'unknown' | 'ignored';

/** A parsed ZooKeeper operation. */
export interface ZkOp {
  op: Operation;
  kind: ZkKind;
  path: string;
  /** Data written by create/setData. */
  data: unknown;
  /** Expected version of delete/setData; -1 matches any. */
  version: number;
  outcome: ZkOutcome;
  /** Results of an ok read or write, when reported. */
  result: { exists?: boolean; data?: unknown; version?: number; mzxid?: number };
  /** Server-reported zxid on the completion, when present. */
  zxid: number | undefined;
  session: string;
}

/** A ZooKeeper op the parser could not understand; carries the event for file:line reports. */
export class ZkOpError extends Error {
  constructor(
    message: string,
    readonly event: HistoryOp,
  ) {
    super(message);
    this.name = 'ZkOpError';
  }
}

const KINDS: ReadonlySet<string> = new Set(['create', 'delete', 'setData', 'getData', 'exists', 'sync']);
const ERRORS: Record<string, ZkOutcome> = { NONODE: 'NONODE', NODEEXISTS: 'NODEEXISTS', BADVERSION: 'BADVERSION', NOTEMPTY: 'NOTEMPTY' };

/** True when `kind` changes the tree. */
export function isWrite(kind: ZkKind): boolean {
  return kind === 'create' || kind === 'delete' || kind === 'setData';
}

function normaliseError(e: unknown): ZkOutcome {
  const name = typeof e === 'string' ? e : typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  return ERRORS[name.toUpperCase().replace(/[-_ ]/g, '')] ?? 'ignored';
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** Parses one operation; throws {@link ZkOpError} for an unknown `f` or a missing path. */
export function parseZkOp(op: Operation): ZkOp {
  if (!KINDS.has(op.f)) throw new ZkOpError(`expected a ZooKeeper op (create, delete, setData, getData, exists, sync), got ${JSON.stringify(op.f)}`, op.invoke);
  const kind = op.f as ZkKind;
  const args = obj(op.input) ?? {};
  const path = typeof op.input === 'string' ? op.input : args.path;
  if (typeof path !== 'string' && kind !== 'sync') throw new ZkOpError(`expected ${kind} to have a value {"path": "/..."}`, op.invoke);
  const version = int(args.version) ?? -1;
  const outcome: ZkOutcome = op.status === 'ok' ? 'ok' : op.status === 'info' ? 'unknown' : normaliseError(op.completion?.error);
  const result: ZkOp['result'] = {};
  if (op.status === 'ok') {
    const out = obj(op.output);
    if (kind === 'exists') {
      result.exists = typeof op.output === 'boolean' ? op.output : out !== undefined ? (typeof out.exists === 'boolean' ? out.exists : true) : false;
    }
    if (kind === 'getData') {
      result.exists = true;
      result.data = out !== undefined && 'data' in out ? out.data : op.output;
    }
    if (out !== undefined) {
      const v = int(out.version);
      const m = int(out.mzxid);
      if (v !== undefined) result.version = v;
      if (m !== undefined) result.mzxid = m;
    }
  }
  const sessionField = op.invoke.session ?? op.completion?.session;
  return {
    op,
    kind,
    path: typeof path === 'string' ? path : '',
    data: args.data ?? null,
    version,
    outcome,
    result,
    zxid: int(op.completion?.zxid),
    session: sessionField === undefined || sessionField === null ? `p${op.process}` : String(sessionField),
  };
}
