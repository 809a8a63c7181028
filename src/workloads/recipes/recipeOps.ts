/**
 * The client history as the recipe checks read it: each invoke paired with its completion,
 * with the client, session, reply zxid and error, and the znode writes it asked for.
 *
 * Pairing is tolerant, because a check must answer rather than throw: an invoke while the
 * same process still has an op pending (a crashed client restarted under its old process id)
 * leaves the earlier op pending, and a pending op is indeterminate, exactly like `info`.
 */
import type { HistoryOp } from '../../checker/history/op.ts';

/** One operation of a recipe's history. */
export interface RecipeOp {
  /** History index of the invoke (for witnesses). */
  index: number;
  client: string;
  session: string | null;
  f: string;
  input: unknown;
  /** `info` also for an op that never completed. */
  status: 'ok' | 'fail' | 'info';
  output: unknown;
  error?: string;
  /** The reply zxid: the txn's for an ok write. */
  zxid?: number;
  /** Invoke time. */
  call: number;
  /** Completion time of an ok or fail op; undefined for an indeterminate one. */
  ret?: number;
}

/** Pairs a history into operations, in invoke order. */
export function recipeOps(history: readonly HistoryOp[]): RecipeOp[] {
  const ops: RecipeOp[] = [];
  const pending = new Map<number, RecipeOp>();
  for (const h of history) {
    if (h.type === 'invoke') {
      const op: RecipeOp = { index: h.index, client: String(h['client'] ?? ''), session: typeof h['session'] === 'string' ? h['session'] : null, f: h.f, input: h.value, status: 'info', output: undefined, call: h.time };
      pending.set(h.process, op);
      ops.push(op);
      continue;
    }
    const op = pending.get(h.process);
    if (op === undefined || op.f !== h.f) continue;
    pending.delete(h.process);
    op.status = h.type;
    op.output = h.value;
    if (typeof h.error === 'string') op.error = h.error;
    if (typeof h['zxid'] === 'number') op.zxid = h['zxid'];
    if (h.type !== 'info') op.ret = h.time;
  }
  return ops;
}

/** A znode write an operation asked for (a multi asks for several, all or none). */
export interface WriteIntent {
  kind: 'create' | 'delete' | 'setData';
  path: string;
  data?: string | null;
  /** Expected version of a delete or setData (−1: any). */
  version?: number;
}

interface RawWrite {
  op?: string;
  path?: unknown;
  data?: unknown;
  version?: unknown;
}

function intent(kind: string, raw: RawWrite): WriteIntent[] {
  if ((kind !== 'create' && kind !== 'delete' && kind !== 'setData') || typeof raw.path !== 'string') return [];
  const w: WriteIntent = { kind, path: raw.path };
  if (typeof raw.data === 'string' || raw.data === null) w.data = raw.data;
  w.version = typeof raw.version === 'number' ? raw.version : -1;
  return [w];
}

/**
 * The writes `op` asked for. The path of a sequential create is the one the reply named (only
 * known when ok); before that it is the prefix the client sent.
 */
export function writesOf(op: RecipeOp): WriteIntent[] {
  const input = (op.input ?? {}) as RawWrite & { ops?: RawWrite[] };
  if (op.f === 'multi') return (Array.isArray(input.ops) ? input.ops : []).flatMap((o) => intent(String(o.op), o));
  const ws = intent(op.f, input);
  const created = (op.output as { path?: unknown } | null | undefined)?.path;
  if (op.f === 'create' && op.status === 'ok' && typeof created === 'string' && ws[0] !== undefined) ws[0].path = created;
  return ws;
}

/** The last component of a path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
