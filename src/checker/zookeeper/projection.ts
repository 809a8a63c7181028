/**
 * The part of a recorded ZooKeeper history the consistency checker can judge soundly.
 *
 * The znode model knows persistent create, delete, setData, getData, exists and sync. A recipe's
 * history also holds ops it cannot follow: ephemeral nodes (removed when a session ends, by a
 * txn no client op records), sequential creates (the name is chosen by the server), containers
 * (deleted by the server), multi, getChildren and the like. Dropping an op is only sound when
 * nothing the checker keeps depends on it, so every path such an op may change is *tainted*, and
 * the projection keeps an op only when its path is untainted and no tainted path lies below it
 * (a delete's NOTEMPTY, a child's create, depend on the children). Reads of other kinds, which
 * change nothing, are simply dropped. Both halves of an operation go together; indexes are kept.
 */
import type { HistoryOp } from '../history/op.ts';

const MODEL_KINDS: ReadonlySet<string> = new Set(['create', 'delete', 'setData', 'getData', 'exists', 'sync']);

const pathOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  const p = (value as { path?: unknown } | null)?.path;
  return typeof p === 'string' ? p : undefined;
};

/** Paths an op may change outside the model: exact paths, and prefixes (sequential names). */
interface Taint {
  exact: Set<string>;
  prefixes: string[];
}

function taintOf(invokes: readonly HistoryOp[]): Taint {
  const t: Taint = { exact: new Set(), prefixes: [] };
  for (const op of invokes) {
    if (op.f === 'create') {
      const v = op.value as { path?: string; mode?: string; sequential?: boolean } | null;
      const mode = v?.mode ?? 'PERSISTENT';
      if (v?.path === undefined) continue;
      if (mode.includes('SEQUENTIAL') || v.sequential === true) t.prefixes.push(v.path);
      else if (mode !== 'PERSISTENT') t.exact.add(v.path);
    } else if (op.f === 'multi') {
      const ops = (op.value as { ops?: { op: string; path: string; mode?: string }[] } | null)?.ops ?? [];
      for (const o of ops) {
        if (o.op === 'create' && (o.mode ?? '').includes('SEQUENTIAL')) t.prefixes.push(o.path);
        else t.exact.add(o.path);
      }
    }
  }
  return t;
}

function isTainted(path: string, t: Taint): boolean {
  if (t.prefixes.some((p) => path.startsWith(p))) return true;
  if (t.exact.has(path)) return true;
  const below = path === '/' ? '/' : `${path}/`;
  for (const e of t.exact) if (e.startsWith(below)) return true;
  return t.prefixes.some((p) => p.startsWith(below));
}

/** What the projection kept and why the rest went. */
export interface ZkProjection {
  history: HistoryOp[];
  /** Operations (invoke + completion) dropped, by reason. */
  dropped: { foreignKind: number; taintedPath: number };
  taintedPaths: number;
}

/** Keeps the operations the znode model can judge (see the module comment). */
export function projectZkHistory(history: readonly HistoryOp[]): ZkProjection {
  const invokes = history.filter((o) => o.type === 'invoke');
  const taint = taintOf(invokes);
  // Pair each invoke with its completion (the next op of the same process).
  const keepInvoke = new Map<number, boolean>();
  const dropped = { foreignKind: 0, taintedPath: 0 };
  const out: HistoryOp[] = [];
  for (const op of history) {
    if (op.type === 'invoke') {
      let keep = MODEL_KINDS.has(op.f);
      if (!keep) dropped.foreignKind++;
      else if (op.f !== 'sync') {
        const path = pathOf(op.value);
        const v = op.value as { mode?: string; sequential?: boolean } | null;
        const plainCreate = op.f !== 'create' || ((v?.mode ?? 'PERSISTENT') === 'PERSISTENT' && v?.sequential !== true);
        if (path === undefined || !plainCreate || isTainted(path, taint)) {
          keep = false;
          dropped.taintedPath++;
        }
      }
      keepInvoke.set(op.process, keep);
      if (keep) out.push(op);
    } else if (keepInvoke.get(op.process) === true) {
      out.push(op);
      keepInvoke.delete(op.process);
    }
  }
  return { history: out, dropped, taintedPaths: taint.exact.size + taint.prefixes.length };
}
