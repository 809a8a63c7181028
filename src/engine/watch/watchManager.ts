/**
 * Server-side watches (§1.10): the data table (getData, exists) and the child table
 * (getChildren), keyed per connection. Turns apply's triggers into notifications: one per
 * connection per trigger (a node delete seen by data, exists and child watches of one
 * connection sends one NodeDeleted), in trigger order, so a multi's events come in op order
 * and a child's NodeDeleted precedes its parent's NodeChildrenChanged.
 */
import type { DataTree } from '../tree/dataTree.ts';
import { type EventType, type WatchTrigger, type WatchedEvent } from './events.ts';
import { type ConnId, WatchTable } from './watchTable.ts';
import { AddWatchMode, WatcherType, type SetWatchesRequest } from '../request/types.ts';

/** No connection suppressed (most triggers): one shared, never-modified set. */
const NO_CONNS: ReadonlySet<ConnId> = new Set();

/** What `fire` returns when nothing fires: shared, never modified. */
const NO_NOTIFICATIONS: readonly Notification[] = [];

/** One notification to send. */
export interface Notification {
  connId: ConnId;
  event: WatchedEvent;
}

function notify(connId: ConnId, type: EventType, path: string): Notification {
  return { connId, event: { type, state: 'SyncConnected', path, zxid: -1 } };
}

/** Both watch tables and the rules that connect them. */
export class WatchManager {
  /** Data watches (getData and exists share them, as in ZooKeeper). */
  readonly data = new WatchTable();
  /** Child watches (getChildren). */
  readonly child = new WatchTable();

  /** getData/exists with watch=true: a one-shot data watch. */
  watchData(path: string, conn: ConnId): void {
    this.data.add(path, conn, 'standard');
  }

  /** getChildren with watch=true: a one-shot child watch. */
  watchChildren(path: string, conn: ConnId): void {
    this.child.add(path, conn, 'standard');
  }

  /** addWatch: PERSISTENT goes in both tables, PERSISTENT_RECURSIVE only in the data table. */
  addWatch(path: string, conn: ConnId, mode: number): void {
    if (mode === AddWatchMode.PERSISTENT_RECURSIVE) {
      this.data.add(path, conn, 'persistentRecursive');
      return;
    }
    this.data.add(path, conn, 'persistent');
    this.child.add(path, conn, 'persistent');
  }

  /** removeWatches: true if anything was removed (the server answers NOWATCHER otherwise). */
  removeWatches(path: string, conn: ConnId, watcherType: number): boolean {
    switch (watcherType) {
      case WatcherType.CHILDREN:
        return this.child.remove(path, conn);
      case WatcherType.DATA:
        return this.data.remove(path, conn);
      case WatcherType.ANY: {
        const fromChild = this.child.remove(path, conn);
        const fromData = this.data.remove(path, conn);
        return fromChild || fromData;
      }
      case WatcherType.PERSISTENT: {
        const fromChild = this.child.remove(path, conn, (m) => m === 'persistent');
        const fromData = this.data.remove(path, conn, (m) => m === 'persistent');
        return fromChild || fromData;
      }
      case WatcherType.PERSISTENT_RECURSIVE:
        return this.data.remove(path, conn, (m) => m === 'persistentRecursive');
      default:
        return false;
    }
  }

  /** Drops every watch of a closed connection. */
  removeConnection(conn: ConnId): void {
    this.data.removeConnection(conn);
    this.child.removeConnection(conn);
  }

  /** Notifications for apply's triggers, in order. */
  fire(triggers: readonly WatchTrigger[]): readonly Notification[] {
    // Every applied txn on every replica asks, and almost always nothing is watched: the list
    // is only made once there is something to put in it.
    let out: Notification[] | undefined;
    for (let i = 0; i < triggers.length; i++) {
      const { type, path } = triggers[i]!;
      if (type === 'NodeChildrenChanged') {
        for (const conn of this.child.trigger(path, type, NO_CONNS)) (out ??= []).push(notify(conn, type, path));
        continue;
      }
      const fromData = this.data.trigger(path, type, NO_CONNS);
      for (const conn of fromData) (out ??= []).push(notify(conn, type, path));
      if (type === 'NodeDeleted') {
        for (const conn of this.child.trigger(path, type, new Set(fromData))) (out ??= []).push(notify(conn, type, path));
      }
    }
    return out ?? NO_NOTIFICATIONS;
  }

  /**
   * SetWatches after a client moved connections: each watch either fires at once (the node
   * changed after `relativeZxid`, or appeared/vanished) or is re-registered on `conn`.
   */
  setWatches(req: SetWatchesRequest, conn: ConnId, tree: DataTree): Notification[] {
    const out: Notification[] = [];
    for (const path of req.dataWatches) {
      const node = tree.getNode(path);
      if (node === undefined) out.push(notify(conn, 'NodeDeleted', path));
      else if (node.stat.mzxid > req.relativeZxid) out.push(notify(conn, 'NodeDataChanged', path));
      else this.data.add(path, conn, 'standard');
    }
    for (const path of req.existWatches) {
      if (tree.getNode(path) !== undefined) out.push(notify(conn, 'NodeCreated', path));
      else this.data.add(path, conn, 'standard');
    }
    for (const path of req.childWatches) {
      const node = tree.getNode(path);
      if (node === undefined) out.push(notify(conn, 'NodeDeleted', path));
      else if (node.stat.pzxid > req.relativeZxid) out.push(notify(conn, 'NodeChildrenChanged', path));
      else this.child.add(path, conn, 'standard');
    }
    for (const path of req.persistentWatches) this.addWatch(path, conn, AddWatchMode.PERSISTENT);
    for (const path of req.persistentRecursiveWatches) this.addWatch(path, conn, AddWatchMode.PERSISTENT_RECURSIVE);
    return out;
  }
}
