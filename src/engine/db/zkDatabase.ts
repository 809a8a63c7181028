/**
 * The replicated state of one server (ZooKeeper's ZKDatabase): the data tree, the sessions
 * that exist (with the timeout their createSession txn carried) and the last applied zxid.
 * Snapshots are plain data; the digest covers all three, so equal digests mean replicas that
 * applied the same history.
 */
import { DataTree } from '../tree/dataTree.ts';
import { Hasher } from '../tree/digest.ts';
import { type TreeSnapshot, hashTree, restoreTree, snapshotTree } from '../tree/snapshot.ts';

/** Tree + sessions + last applied zxid. */
export interface ZkDatabase {
  tree: DataTree;
  /** sessionId → timeoutMs, for every session whose createSession applied and close did not. */
  sessions: Map<number, number>;
  lastProcessedZxid: number;
}

/** A database snapshot as plain data. */
export interface DatabaseSnapshot {
  tree: TreeSnapshot;
  /** [sessionId, timeoutMs] pairs, ascending by id. */
  sessions: Array<[number, number]>;
  lastProcessedZxid: number;
}

/** A fresh database: fresh tree, no sessions, zxid 0. */
export function freshDatabase(): ZkDatabase {
  return { tree: DataTree.fresh(), sessions: new Map(), lastProcessedZxid: 0 };
}

/** Copies the database into plain data (deterministic order throughout). */
export function snapshotDatabase(db: ZkDatabase): DatabaseSnapshot {
  const sessions = [...db.sessions.entries()].sort((a, b) => a[0] - b[0]);
  return { tree: snapshotTree(db.tree), sessions, lastProcessedZxid: db.lastProcessedZxid };
}

/** Rebuilds a database from a snapshot. */
export function restoreDatabase(snapshot: DatabaseSnapshot): ZkDatabase {
  return {
    tree: restoreTree(snapshot.tree),
    sessions: new Map(snapshot.sessions.map(([id, timeoutMs]) => [id, timeoutMs] as [number, number])),
    lastProcessedZxid: snapshot.lastProcessedZxid,
  };
}

/** Deterministic 64-bit digest (16 hex digits) of tree, sessions and last zxid. */
export function databaseDigest(db: ZkDatabase): string {
  const hasher = new Hasher();
  hashTree(db.tree, hasher);
  const sessions = [...db.sessions.entries()].sort((a, b) => a[0] - b[0]);
  hasher.int(sessions.length);
  for (const [id, timeoutMs] of sessions) {
    hasher.int(id);
    hasher.int(timeoutMs);
  }
  hasher.int(db.lastProcessedZxid);
  return hasher.hex();
}
