/**
 * Outstanding change records (ZooKeeper's `outstandingChanges`): what prep knows about nodes
 * touched by txns that were prepped but not yet applied. Prep always looks here first and falls
 * back to the applied tree, so several txns can be in flight (as in the ZAB pipeline) and each
 * is validated against the state all earlier txns will produce.
 *
 * Records are retired when their txn is applied; a path's latest record is only dropped if no
 * newer record for that path replaced it.
 */
import { assert } from '../assert.ts';
import type { Acl } from '../tree/acl.ts';
import type { DataTree } from '../tree/dataTree.ts';
import { lookupKey } from '../tree/paths.ts';

/** The part of a node prep needs to validate requests. */
export interface NodeView {
  version: number;
  childCreates: number;
  numChildren: number;
  ephemeralOwner: number;
  container: boolean;
  acl: readonly Acl[];
}

/** A pending change: `node` null means the txn deletes the path. */
export interface ChangeRecord {
  zxid: number;
  path: string;
  node: NodeView | null;
}

/** Read/write access prep uses; implemented by ChangeRecords and by a multi's overlay. */
export interface ChangeView {
  /** The node as it will be once every outstanding txn is applied; null if absent. */
  get(path: string): NodeView | null;
  /** Records this txn's effect on `path`. */
  put(record: ChangeRecord): void;
}

/** The view of an applied node. */
export function viewOfTree(tree: DataTree, path: string): NodeView | null {
  const node = tree.getNode(path);
  if (node === undefined) return null;
  return {
    version: node.stat.version,
    childCreates: node.stat.childCreates,
    numChildren: node.children.size,
    ephemeralOwner: node.stat.ephemeralOwner,
    container: node.container,
    acl: node.acl,
  };
}

/** The leader's queue of outstanding change records over one applied tree. */
export class ChangeRecords implements ChangeView {
  private readonly queue: ChangeRecord[] = [];
  private readonly latest = new Map<string, ChangeRecord>();

  constructor(private readonly tree: DataTree) {}

  /** See ChangeView.get. */
  get(path: string): NodeView | null {
    const key = lookupKey(path);
    const record = this.latest.get(key);
    if (record !== undefined) return record.node;
    return viewOfTree(this.tree, key);
  }

  /** See ChangeView.put. Zxids never go backwards within the queue. */
  put(record: ChangeRecord): void {
    // Index -1 of an empty array is a slow generic lookup in V8: read the last record only if there is one.
    const last = this.queue.length > 0 ? this.queue[this.queue.length - 1] : undefined;
    assert(last === undefined || last.zxid <= record.zxid, () => `change record zxid ${record.zxid} after ${last?.zxid}`);
    const keyed = { ...record, path: lookupKey(record.path) };
    this.queue.push(keyed);
    this.latest.set(keyed.path, keyed);
  }

  /** The session's ephemerals in the applied tree (closeSession's starting point). */
  treeEphemerals(sessionId: number): string[] {
    return this.tree.ephemeralsOf(sessionId);
  }

  /** Records in prep order (closeSession walks them to correct its ephemeral list). */
  pending(): readonly ChangeRecord[] {
    return this.queue;
  }

  /** Drops the records of every txn up to and including `zxid` (it has been applied). */
  retireThrough(zxid: number): void {
    while (this.queue.length > 0 && this.queue[0]!.zxid <= zxid) {
      const record = this.queue.shift()!;
      if (this.latest.get(record.path) === record) this.latest.delete(record.path);
    }
  }

  /** Forgets everything (a new leader starts with nothing in flight). */
  clear(): void {
    this.queue.length = 0;
    this.latest.clear();
  }

  /** Number of outstanding records. */
  get size(): number {
    return this.queue.length;
  }
}

/**
 * A multi's scratch view: later ops see earlier ones' records, but nothing reaches the base
 * unless the whole multi succeeds (ZooKeeper's rollbackPendingChanges, done by construction).
 */
export class ChangeOverlay implements ChangeView {
  private readonly records: ChangeRecord[] = [];
  private readonly latest = new Map<string, ChangeRecord>();

  constructor(private readonly base: ChangeView) {}

  /** See ChangeView.get. */
  get(path: string): NodeView | null {
    const record = this.latest.get(lookupKey(path));
    return record !== undefined ? record.node : this.base.get(path);
  }

  /** See ChangeView.put. */
  put(record: ChangeRecord): void {
    const keyed = { ...record, path: lookupKey(record.path) };
    this.records.push(keyed);
    this.latest.set(keyed.path, keyed);
  }

  /** Pushes every record to the base, in order. */
  commit(): void {
    for (const record of this.records) this.base.put(record);
  }
}
