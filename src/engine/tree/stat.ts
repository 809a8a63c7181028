/**
 * Node metadata. ZooKeeper stores a `StatPersisted` and derives the client `Stat` from it:
 * the stored `cversion` counts child *creations* only (our `childCreates`), and the reported
 * cversion is `2·childCreates − numChildren`, i.e. creates + deletes (§1.2). That is why the
 * root reports −1 and `/zookeeper` −2.
 */

/** What the tree stores per node (plain data: snapshots copy it as is). */
export interface StoredStat {
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctimeMs: number;
  mtimeMs: number;
  version: number;
  /** Hidden creation counter: ZooKeeper's stored cversion; also the sequential counter. */
  childCreates: number;
  aversion: number;
  /** Owning session id for ephemerals, 0 otherwise (containers report 0 too). */
  ephemeralOwner: number;
}

/** The Stat a client sees. */
export interface Stat {
  czxid: number;
  mzxid: number;
  pzxid: number;
  ctimeMs: number;
  mtimeMs: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: number;
  dataLength: number;
  numChildren: number;
}

/** Reported cversion from the stored creation counter (`DataNode.copyStat`). */
export function reportedCversion(childCreates: number, numChildren: number): number {
  return (childCreates * 2 - numChildren) | 0;
}

/** Builds the client Stat from stored fields plus what is derived from the node. */
export function reportStat(stored: StoredStat, dataLength: number, numChildren: number): Stat {
  return {
    czxid: stored.czxid,
    mzxid: stored.mzxid,
    pzxid: stored.pzxid,
    ctimeMs: stored.ctimeMs,
    mtimeMs: stored.mtimeMs,
    version: stored.version,
    cversion: reportedCversion(stored.childCreates, numChildren),
    aversion: stored.aversion,
    ephemeralOwner: stored.ephemeralOwner,
    dataLength,
    numChildren,
  };
}

/** A fresh stored stat for a node created by txn `zxid` at `timeMs`. */
export function newStoredStat(zxid: number, timeMs: number, ephemeralOwner: number): StoredStat {
  return {
    czxid: zxid,
    mzxid: zxid,
    pzxid: zxid,
    ctimeMs: timeMs,
    mtimeMs: timeMs,
    version: 0,
    childCreates: 0,
    aversion: 0,
    ephemeralOwner,
  };
}
