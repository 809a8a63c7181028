/**
 * Snapshots of the data tree as plain data (msgpack-able: numbers, strings, Uint8Array,
 * arrays, plain objects), for ZAB SNAP sync and on-disk snapshots, plus a deterministic digest
 * to compare replicas. Nodes are listed in sorted path order, so a parent always precedes its
 * children and equal trees give equal snapshots.
 */
import { copyAcl, type Acl } from './acl.ts';
import { DataTree } from './dataTree.ts';
import { Hasher } from './digest.ts';
import type { StoredStat } from './stat.ts';

/** One node in a snapshot; children are implied by the paths. */
export interface NodeSnapshot {
  path: string;
  data: Uint8Array | null;
  acl: Acl[];
  stat: StoredStat;
  container: boolean;
}

/** A whole tree as plain data. */
export interface TreeSnapshot {
  nodes: NodeSnapshot[];
}

/** Copies the tree into plain data. */
export function snapshotTree(tree: DataTree): TreeSnapshot {
  const nodes: NodeSnapshot[] = [];
  for (const path of tree.sortedPaths()) {
    const node = tree.getNode(path)!;
    nodes.push({ path, data: node.data, acl: copyAcl(node.acl), stat: { ...node.stat }, container: node.container });
  }
  return { nodes };
}

/** Rebuilds a tree from a snapshot (children sets and indexes are recomputed). */
export function restoreTree(snapshot: TreeSnapshot): DataTree {
  const tree = new DataTree();
  const ordered = [...snapshot.nodes].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  for (const n of ordered) {
    tree.insertRaw(n.path, { data: n.data, acl: copyAcl(n.acl), stat: { ...n.stat }, children: new Set(), container: n.container });
  }
  return tree;
}

/** Feeds the tree's canonical content (sorted paths, every stored field) into `hasher`. */
export function hashTree(tree: DataTree, hasher: Hasher): void {
  hasher.int(tree.size);
  for (const path of tree.sortedPaths()) {
    const node = tree.getNode(path)!;
    const s = node.stat;
    hasher.text(path);
    hasher.bytes(node.data);
    hasher.int(node.acl.length);
    for (const entry of node.acl) {
      hasher.int(entry.perms);
      hasher.text(entry.scheme);
      hasher.text(entry.id);
    }
    for (const value of [s.czxid, s.mzxid, s.pzxid, s.ctimeMs, s.mtimeMs, s.version, s.childCreates, s.aversion, s.ephemeralOwner]) {
      hasher.int(value);
    }
    hasher.byte(node.container ? 1 : 0);
  }
}

/** Deterministic 64-bit digest (16 hex digits) of the whole tree. */
export function treeDigest(tree: DataTree): string {
  const hasher = new Hasher();
  hashTree(tree, hasher);
  return hasher.hex();
}
