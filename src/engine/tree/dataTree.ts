/**
 * The replicated data tree. Mutators assume the txn was validated by prep: a missing parent or
 * an existing node here is an engine bug (InvariantError), never a ZooKeeper error. Every
 * replica applies the same txns through these mutators, so their behaviour must depend only on
 * their arguments and the tree (no clocks, no randomness; iteration is insertion or sorted
 * order, both deterministic).
 *
 * Data arrays are treated as immutable values and shared, never copied or written to.
 */
import { assert } from '../assert.ts';
import { type Acl, OPEN_ACL, READ_ACL, copyAcl } from './acl.ts';
import { ROOT_PATH, baseName, childPath, lookupKey, parentOf } from './paths.ts';
import { type Stat, type StoredStat, newStoredStat, reportStat } from './stat.ts';

/** One node: stored stat, data, ACL, child names; `container` marks createContainer nodes. */
export interface DataNode {
  data: Uint8Array | null;
  acl: Acl[];
  stat: StoredStat;
  children: Set<string>;
  container: boolean;
}

/** Length of stored data as the Stat reports it (null and empty are both 0). */
export function dataLength(data: Uint8Array | null): number {
  return data === null ? 0 : data.length;
}

/** The ZooKeeper data tree with its ephemeral and container indexes. */
export class DataTree {
  private readonly nodes = new Map<string, DataNode>();
  private readonly ephemeralsBySession = new Map<number, Set<string>>();
  private readonly containers = new Set<string>();

  /**
   * A fresh tree as a new 3.8.0 server has it: `/` (one child), `/zookeeper` with `config`
   * (read-only ACL, aversion −1) and `quota`; every stat zero, every data an empty array.
   */
  static fresh(): DataTree {
    const tree = new DataTree();
    tree.insertRaw(ROOT_PATH, systemNode(OPEN_ACL));
    tree.insertRaw('/zookeeper', systemNode(OPEN_ACL));
    tree.insertRaw('/zookeeper/quota', systemNode(OPEN_ACL));
    const config = systemNode(READ_ACL);
    // ZooKeeper installs the read-only ACL with a version −1 setACL, leaving aversion at −1.
    config.stat.aversion = -1;
    tree.insertRaw('/zookeeper/config', config);
    return tree;
  }

  /**
   * Inserts a node exactly as given, linking it into its parent's child set and the indexes.
   * Only for building fresh trees and restoring snapshots: the parent must already be there.
   */
  insertRaw(path: string, node: DataNode): void {
    assert(!this.nodes.has(path), () => `insertRaw: ${path} already present`);
    if (path !== ROOT_PATH) {
      const parent = this.nodes.get(parentOf(path));
      assert(parent !== undefined, () => `insertRaw: parent of ${path} missing`);
      parent.children.add(baseName(path));
    }
    this.nodes.set(path, node);
    this.indexNode(path, node);
  }

  /** The node at `path` (`""` means the root, as in ZooKeeper), or undefined. */
  getNode(path: string): DataNode | undefined {
    return this.nodes.get(lookupKey(path));
  }

  /** The client-visible Stat of the node, or undefined when it does not exist. */
  statOf(path: string): Stat | undefined {
    const node = this.getNode(path);
    return node === undefined ? undefined : statOfNode(node);
  }

  /** Child names, sorted (ZooKeeper returns hash order; see docs/deviations.md). */
  childrenOf(path: string): string[] | undefined {
    const node = this.getNode(path);
    return node === undefined ? undefined : [...node.children].sort();
  }

  /** Number of nodes, root included. */
  get size(): number {
    return this.nodes.size;
  }

  /** All paths in sorted order (deterministic for snapshots and digests). */
  sortedPaths(): string[] {
    return [...this.nodes.keys()].sort();
  }

  /** The session's ephemeral paths, sorted. */
  ephemeralsOf(sessionId: number): string[] {
    return [...(this.ephemeralsBySession.get(sessionId) ?? [])].sort();
  }

  /** Session ids that own at least one ephemeral, ascending. */
  ephemeralOwners(): number[] {
    return [...this.ephemeralsBySession.keys()].sort((a, b) => a - b);
  }

  /** Paths of container nodes, sorted. */
  containerPaths(): string[] {
    return [...this.containers].sort();
  }

  /**
   * `getAllChildrenNumber` as 3.8.0 computes it: `/` counts every node but the root; any other
   * path counts the keys under `path + "/"` (so `""` counts every node, the root included).
   */
  allChildrenNumber(path: string): number {
    if (path === ROOT_PATH) return this.nodes.size - 1;
    const prefix = `${path}/`;
    let count = 0;
    for (const key of this.nodes.keys()) if (key.startsWith(prefix)) count++;
    return count;
  }

  /** Creates a node; the parent's creation counter and pzxid advance (not its mzxid). */
  createNode(args: {
    path: string;
    data: Uint8Array | null;
    acl: readonly Acl[];
    ephemeralOwner: number;
    container: boolean;
    zxid: number;
    timeMs: number;
  }): DataNode {
    const { path, zxid } = args;
    assert(path !== ROOT_PATH && !this.nodes.has(path), () => `createNode: ${path} exists`);
    const parent = this.nodes.get(parentOf(path));
    assert(parent !== undefined, () => `createNode: parent of ${path} missing`);
    assert(!isEphemeralNode(parent), () => `createNode: parent of ${path} is ephemeral`);
    const node: DataNode = {
      data: args.data,
      acl: copyAcl(args.acl),
      stat: newStoredStat(zxid, args.timeMs, args.ephemeralOwner),
      children: new Set(),
      container: args.container,
    };
    parent.children.add(baseName(path));
    parent.stat.childCreates = (parent.stat.childCreates + 1) | 0;
    parent.stat.pzxid = zxid;
    this.nodes.set(path, node);
    this.indexNode(path, node);
    return node;
  }

  /** Deletes a childless node; the parent's pzxid moves, its creation counter does not. */
  deleteNode(path: string, zxid: number): void {
    const node = this.nodes.get(path);
    assert(node !== undefined, () => `deleteNode: ${path} missing`);
    assert(node.children.size === 0, () => `deleteNode: ${path} has children`);
    const parent = this.nodes.get(parentOf(path));
    assert(parent !== undefined, () => `deleteNode: parent of ${path} missing`);
    parent.children.delete(baseName(path));
    parent.stat.pzxid = zxid;
    this.nodes.delete(path);
    this.unindexNode(path, node);
  }

  /** Replaces a node's data with the version prep computed. */
  setData(path: string, data: Uint8Array | null, version: number, zxid: number, timeMs: number): DataNode {
    const node = this.nodes.get(path);
    assert(node !== undefined, () => `setData: ${path} missing`);
    node.data = data;
    node.stat.version = version;
    node.stat.mzxid = zxid;
    node.stat.mtimeMs = timeMs;
    return node;
  }

  private indexNode(path: string, node: DataNode): void {
    const owner = node.stat.ephemeralOwner;
    if (owner !== 0) {
      let set = this.ephemeralsBySession.get(owner);
      if (set === undefined) {
        set = new Set();
        this.ephemeralsBySession.set(owner, set);
      }
      set.add(path);
    }
    if (node.container) this.containers.add(path);
  }

  private unindexNode(path: string, node: DataNode): void {
    const owner = node.stat.ephemeralOwner;
    const set = this.ephemeralsBySession.get(owner);
    if (set !== undefined) {
      set.delete(path);
      if (set.size === 0) this.ephemeralsBySession.delete(owner);
    }
    this.containers.delete(path);
  }
}

/** Whether a node is a plain ephemeral (containers keep ephemeralOwner 0 here). */
export function isEphemeralNode(node: DataNode): boolean {
  return node.stat.ephemeralOwner !== 0;
}

/** The client-visible Stat of a node. */
export function statOfNode(node: DataNode): Stat {
  return reportStat(node.stat, dataLength(node.data), node.children.size);
}

/** Iterates (path, node) of a tree's direct children for a canonical path. */
export function childPaths(parent: string, node: DataNode): string[] {
  return [...node.children].sort().map((name) => childPath(parent, name));
}

function systemNode(acl: readonly Acl[]): DataNode {
  return { data: new Uint8Array(0), acl: copyAcl(acl), stat: newStoredStat(0, 0, 0), children: new Set(), container: false };
}
