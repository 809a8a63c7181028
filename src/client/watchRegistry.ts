/**
 * The client's side of watches, after ZooKeeper's `ZKWatchManager`: which paths this session
 * is watching, so that after moving to another connection it can re-register them with
 * SetWatches. Server-side watches belong to a connection and vanish with it; the client's
 * tables survive and are replayed on the next connection with the last zxid the client saw, so
 * the server fires at once anything that changed in between.
 *
 * Registration follows the reply, as ZooKeeper's WatchRegistration does: getData and
 * getChildren watches only when the reply is OK; exists watches on OK (a data watch) and on
 * NONODE (an exist watch). Standard watches are one-shot: the event that fires them removes
 * them (NodeCreated/NodeDataChanged consume data and exist watches, NodeChildrenChanged child
 * watches, NodeDeleted all three); persistent ones stay.
 */
import { AddWatchMode, type ClientRequest, type SetWatchesRequest, WatcherType } from '../engine/request/types.ts';
import type { EventType } from '../engine/watch/events.ts';
import { ErrorCode } from '../engine/tree/errors.ts';

/** Paths watched by this session, by kind. */
export class WatchRegistry {
  private readonly data = new Set<string>();
  private readonly exist = new Set<string>();
  private readonly child = new Set<string>();
  private readonly persistent = new Set<string>();
  private readonly persistentRecursive = new Set<string>();

  /** Registers the watch a request asked for, now that its reply arrived with `err`. */
  onReply(request: ClientRequest, err: number): void {
    switch (request.op) {
      case 'getData':
        if (request.watch && err === ErrorCode.OK) this.data.add(request.path);
        return;
      case 'exists':
        if (!request.watch) return;
        if (err === ErrorCode.OK) this.data.add(request.path);
        else if (err === ErrorCode.NONODE) this.exist.add(request.path);
        return;
      case 'getChildren':
        if (request.watch && err === ErrorCode.OK) this.child.add(request.path);
        return;
      case 'addWatch':
        if (err !== ErrorCode.OK) return;
        if (request.mode === AddWatchMode.PERSISTENT_RECURSIVE) this.persistentRecursive.add(request.path);
        else this.persistent.add(request.path);
        return;
      case 'removeWatches':
        if (err === ErrorCode.OK) for (const set of this.tablesOf(request.watcherType)) set.delete(request.path);
        return;
      default:
        return;
    }
  }

  /** The client tables a removeWatches watcher type covers. */
  private tablesOf(watcherType: number): Set<string>[] {
    switch (watcherType) {
      case WatcherType.CHILDREN:
        return [this.child];
      case WatcherType.DATA:
        return [this.data, this.exist];
      case WatcherType.PERSISTENT:
        return [this.persistent];
      case WatcherType.PERSISTENT_RECURSIVE:
        return [this.persistentRecursive];
      default:
        return [this.data, this.exist, this.child, this.persistent, this.persistentRecursive];
    }
  }

  /** Consumes the one-shot watches an event fires. Returns whether any watch of this client matched. */
  onEvent(type: EventType, path: string): boolean {
    let fired = false;
    const take = (set: Set<string>) => {
      if (set.delete(path)) fired = true;
    };
    switch (type) {
      case 'NodeCreated':
      case 'NodeDataChanged':
        take(this.data);
        take(this.exist);
        break;
      case 'NodeChildrenChanged':
        take(this.child);
        break;
      case 'NodeDeleted':
        take(this.data);
        take(this.exist);
        take(this.child);
        break;
    }
    return fired || this.persistent.has(path) || this.coveredRecursively(path);
  }

  private coveredRecursively(path: string): boolean {
    for (const root of this.persistentRecursive) {
      if (path === root || root === '/' || path.startsWith(root + '/')) return true;
    }
    return false;
  }

  /** Whether nothing is registered. */
  get isEmpty(): boolean {
    return this.data.size + this.exist.size + this.child.size + this.persistent.size + this.persistentRecursive.size === 0;
  }

  /**
   * The SetWatches request that re-registers everything on a new connection, relative to the
   * last zxid the client saw, or undefined when nothing is watched (the Java client then sends
   * none). Paths are sorted so the request is deterministic.
   */
  setWatchesRequest(relativeZxid: number): SetWatchesRequest | undefined {
    if (this.isEmpty) return undefined;
    const sorted = (s: Set<string>) => [...s].sort();
    return {
      op: 'setWatches',
      relativeZxid,
      dataWatches: sorted(this.data),
      existWatches: sorted(this.exist),
      childWatches: sorted(this.child),
      persistentWatches: sorted(this.persistent),
      persistentRecursiveWatches: sorted(this.persistentRecursive),
    };
  }
}
