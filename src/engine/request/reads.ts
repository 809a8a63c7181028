/**
 * Reads (ZooKeeper's FinalRequestProcessor read cases): answered from the applied tree, no
 * txn, no path validation — `""` reads the root and malformed paths just do not exist — with
 * one exception: exists on a path containing NUL gives BADARGUMENTS. Watches are registered on
 * the asking connection: exists registers even on a missing node, getData and getChildren do not.
 */
import { ErrorCode } from '../tree/errors.ts';
import { Perms, aclAllows } from '../tree/acl.ts';
import { type DataTree, statOfNode } from '../tree/dataTree.ts';
import { hasNul } from '../tree/paths.ts';
import type { Stat } from '../tree/stat.ts';
import type { ConnId } from '../watch/watchTable.ts';
import type { WatchManager } from '../watch/watchManager.ts';
import type { MultiReadOp, ReadRequest } from './types.ts';

/** Result of one op inside a multiRead. */
export type MultiReadResult =
  | { type: 'getData'; data: Uint8Array | null; stat: Stat }
  | { type: 'getChildren'; children: string[] }
  | { type: 'error'; err: number };

/** A successful read's reply body. */
export type ReadResult =
  | { type: 'getData'; data: Uint8Array | null; stat: Stat }
  | { type: 'exists'; stat: Stat }
  | { type: 'getChildren'; children: string[]; stat: Stat }
  | { type: 'sync'; path: string }
  | { type: 'getEphemerals'; paths: string[] }
  | { type: 'getAllChildrenNumber'; count: number }
  | { type: 'multiRead'; results: MultiReadResult[] };

/** A read's outcome: an error code, or OK with its body. */
export type ReadOutcome = { err: 0; result: ReadResult } | { err: number; result: null };

/** Where a read runs: the tree, the watch tables, and who asks. */
export interface ReadContext {
  tree: DataTree;
  watches: WatchManager;
  connId: ConnId;
  sessionId: number;
}

function failed(err: number): ReadOutcome {
  return { err, result: null };
}

function ok(result: ReadResult): ReadOutcome {
  return { err: ErrorCode.OK, result };
}

function multiReadOne(op: MultiReadOp, tree: DataTree): MultiReadResult {
  const node = tree.getNode(op.path);
  if (node === undefined) return { type: 'error', err: ErrorCode.NONODE };
  if (!aclAllows(node.acl, Perms.READ)) return { type: 'error', err: ErrorCode.NOAUTH };
  if (op.op === 'getData') return { type: 'getData', data: node.data, stat: statOfNode(node) };
  return { type: 'getChildren', children: [...node.children].sort() };
}

/** Serves one read, registering its watch if asked. */
export function serveRead(req: ReadRequest, ctx: ReadContext): ReadOutcome {
  const { tree, watches, connId } = ctx;
  switch (req.op) {
    case 'exists': {
      if (hasNul(req.path)) return failed(ErrorCode.BADARGUMENTS);
      // The watch is registered before the lookup, so a missing node gets a creation watch.
      if (req.watch) watches.watchData(req.path, connId);
      const node = tree.getNode(req.path);
      return node === undefined ? failed(ErrorCode.NONODE) : ok({ type: 'exists', stat: statOfNode(node) });
    }
    case 'getData':
    case 'getChildren': {
      const node = tree.getNode(req.path);
      if (node === undefined) return failed(ErrorCode.NONODE);
      if (!aclAllows(node.acl, Perms.READ)) return failed(ErrorCode.NOAUTH);
      if (req.op === 'getData') {
        if (req.watch) watches.watchData(req.path, connId);
        return ok({ type: 'getData', data: node.data, stat: statOfNode(node) });
      }
      if (req.watch) watches.watchChildren(req.path, connId);
      return ok({ type: 'getChildren', children: [...node.children].sort(), stat: statOfNode(node) });
    }
    case 'sync':
      return ok({ type: 'sync', path: req.path });
    case 'getEphemerals': {
      const all = tree.ephemeralsOf(ctx.sessionId);
      const prefix = req.prefixPath.trim();
      const paths = prefix === '' || prefix === '/' ? all : all.filter((p) => p.startsWith(req.prefixPath));
      return ok({ type: 'getEphemerals', paths });
    }
    case 'getAllChildrenNumber': {
      const node = tree.getNode(req.path);
      if (node === undefined) return failed(ErrorCode.NONODE);
      if (!aclAllows(node.acl, Perms.READ)) return failed(ErrorCode.NOAUTH);
      return ok({ type: 'getAllChildrenNumber', count: tree.allChildrenNumber(req.path) });
    }
    case 'multiRead':
      return ok({ type: 'multiRead', results: req.ops.map((op) => multiReadOne(op, tree)) });
  }
}
