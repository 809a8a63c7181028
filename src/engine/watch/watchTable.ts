/**
 * One watch table (ZooKeeper keeps two: data watches, which exists and getData share, and
 * child watches). Each (path, connection) pair holds one mode; as in 3.8.0 the latest
 * registration sets it, so a one-shot getData watch on a path with a persistent watch turns
 * it back into a one-shot watch. Iteration is insertion order, hence deterministic.
 */
import type { EventType } from './events.ts';

/** A connection as the watch tables know it (the host's connection id). */
export type ConnId = number | string;

/** standard = one-shot; persistent watches stay; recursive ones also cover descendants. */
export type WatchMode = 'standard' | 'persistent' | 'persistentRecursive';

/** What `trigger` returns when nothing is reached (most triggers): shared, never modified. */
const NONE_REACHED: readonly ConnId[] = [];

/** Ancestors of a canonical path, nearest first, ending with `/` (the path itself excluded). */
export function ancestorsOf(path: string): string[] {
  const result: string[] = [];
  let current = path;
  while (current !== '/' && current.length > 0) {
    const cut = current.lastIndexOf('/');
    current = cut <= 0 ? '/' : current.slice(0, cut);
    result.push(current);
  }
  return result;
}

/** A path → (connection → mode) table with the reverse index for dropping connections. */
export class WatchTable {
  private readonly byPath = new Map<string, Map<ConnId, WatchMode>>();
  private readonly byConn = new Map<ConnId, Set<string>>();
  private recursiveCount = 0;

  /** Registers (or re-moders) the watch of `conn` on `path`. */
  add(path: string, conn: ConnId, mode: WatchMode): void {
    let watchers = this.byPath.get(path);
    if (watchers === undefined) {
      watchers = new Map();
      this.byPath.set(path, watchers);
    }
    const previous = watchers.get(conn);
    if (previous === 'persistentRecursive') this.recursiveCount--;
    if (mode === 'persistentRecursive') this.recursiveCount++;
    watchers.set(conn, mode);
    let paths = this.byConn.get(conn);
    if (paths === undefined) {
      paths = new Set();
      this.byConn.set(conn, paths);
    }
    paths.add(path);
  }

  /** The mode of `conn`'s watch on `path`, if any. */
  modeOf(path: string, conn: ConnId): WatchMode | undefined {
    return this.byPath.get(path)?.get(conn);
  }

  /** Removes `conn`'s watch on `path` if its mode passes `filter`; true if one was removed. */
  remove(path: string, conn: ConnId, filter: (mode: WatchMode) => boolean = () => true): boolean {
    const watchers = this.byPath.get(path);
    const mode = watchers?.get(conn);
    if (watchers === undefined || mode === undefined || !filter(mode)) return false;
    this.dropEntry(path, conn, watchers, mode);
    return true;
  }

  /** Drops every watch of a connection (it closed; watches belong to connections). */
  removeConnection(conn: ConnId): void {
    const paths = this.byConn.get(conn);
    if (paths === undefined) return;
    for (const path of [...paths]) this.remove(path, conn);
    this.byConn.delete(conn);
  }

  /**
   * The connections an event of `type` on `path` reaches, each once, in registration order.
   * One-shot watches on `path` are consumed even for suppressed connections (those already
   * notified by the other table for the same delete), as ZooKeeper does. Recursive watches on
   * `path` or an ancestor see everything but NodeChildrenChanged.
   */
  trigger(path: string, type: EventType, suppress: ReadonlySet<ConnId>): readonly ConnId[] {
    // Nothing watches the path and no recursive watch could cover it: the common case, answered
    // without building the bookkeeping below (every applied txn asks).
    if (!this.byPath.has(path) && (this.recursiveCount === 0 || type === 'NodeChildrenChanged')) return NONE_REACHED;
    const reached: ConnId[] = [];
    const seen = new Set<ConnId>();
    const reach = (conn: ConnId): void => {
      if (seen.has(conn)) return;
      seen.add(conn);
      if (!suppress.has(conn)) reached.push(conn);
    };
    const own = this.byPath.get(path);
    if (own !== undefined) {
      for (const [conn, mode] of [...own]) {
        if (mode === 'persistentRecursive') {
          if (type !== 'NodeChildrenChanged') reach(conn);
          continue;
        }
        reach(conn);
        if (mode === 'standard') this.dropEntry(path, conn, own, mode);
      }
    }
    if (this.recursiveCount > 0 && type !== 'NodeChildrenChanged') {
      for (const ancestor of ancestorsOf(path)) {
        for (const [conn, mode] of this.byPath.get(ancestor) ?? []) {
          if (mode === 'persistentRecursive') reach(conn);
        }
      }
    }
    return reached;
  }

  /** Total registrations (for tests and invariants). */
  get size(): number {
    let total = 0;
    for (const watchers of this.byPath.values()) total += watchers.size;
    return total;
  }

  private dropEntry(path: string, conn: ConnId, watchers: Map<ConnId, WatchMode>, mode: WatchMode): void {
    watchers.delete(conn);
    if (mode === 'persistentRecursive') this.recursiveCount--;
    if (watchers.size === 0) this.byPath.delete(path);
    const paths = this.byConn.get(conn);
    if (paths !== undefined) {
      paths.delete(path);
      if (paths.size === 0) this.byConn.delete(conn);
    }
  }
}
