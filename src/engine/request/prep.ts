/**
 * Prep: the leader half of the pipeline (ZooKeeper's PrepRequestProcessor). Turns one write
 * request into one txn, validating against the applied tree *plus* the outstanding change
 * records of txns already prepped. Every outcome is a txn: a failed write becomes an `error`
 * txn and still consumes its zxid. The checks run in exactly ZooKeeper 3.8.0's order (§1.4),
 * because which error wins is client-visible.
 */
import { rawParentOf } from '../tree/paths.ts';
import { type ChangeRecords } from './changeRecords.ts';
import { prepMulti } from './multi.ts';
import { prepCreate, prepDelete, prepSetData, type PrepOutcome } from './opPrep.ts';
import type { WriteRequest } from './types.ts';
import type { Txn, TxnBody } from './txn.ts';

export type { PrepOutcome } from './opPrep.ts';

/** Who is asking, and the zxid and time this txn gets. */
export interface PrepContext {
  changes: ChangeRecords;
  sessionId: number;
  cxid: number;
  zxid: number;
  timeMs: number;
}

function txnOf(ctx: PrepContext, body: TxnBody): Txn {
  return { zxid: ctx.zxid, timeMs: ctx.timeMs, sessionId: ctx.sessionId, cxid: ctx.cxid, body };
}

function bodyOf(outcome: PrepOutcome<TxnBody>): TxnBody {
  return outcome.ok ? outcome.txn : { type: 'error', err: outcome.err };
}

/**
 * Preps one client write into its txn, recording its change records in `ctx.changes` when it
 * succeeds. Always returns a txn: failures are `error` txns that still consume `ctx.zxid`.
 */
export function prepWrite(req: WriteRequest, ctx: PrepContext): Txn {
  switch (req.op) {
    case 'create':
    case 'create2':
    case 'createContainer':
    case 'createTTL':
      return txnOf(ctx, bodyOf(prepCreate(req, ctx.changes, ctx.zxid, ctx.sessionId)));
    case 'delete':
      return txnOf(ctx, bodyOf(prepDelete(req, ctx.changes, ctx.zxid)));
    case 'setData':
      return txnOf(ctx, bodyOf(prepSetData(req, ctx.changes, ctx.zxid)));
    case 'multi':
      return txnOf(ctx, prepMulti(req, ctx.changes, ctx.zxid, ctx.sessionId));
  }
}

/** createSession: the session exists on every replica once this applies. */
export function prepCreateSession(timeoutMs: number, ctx: PrepContext): Txn {
  return txnOf(ctx, { type: 'createSession', timeoutMs });
}

/**
 * closeSession: lists the session's ephemerals as they will be after every in-flight txn
 * (applied ones, plus creates minus deletes among the outstanding records, in prep order), and
 * records a delete for each so later requests see them gone. Sorted for determinism.
 */
export function prepCloseSession(ctx: PrepContext): Txn {
  const paths = new Set(ctx.changes.treeEphemerals(ctx.sessionId));
  for (const record of ctx.changes.pending()) {
    if (record.node === null) paths.delete(record.path);
    else if (record.node.ephemeralOwner === ctx.sessionId && !record.node.container) paths.add(record.path);
  }
  const sorted = [...paths].sort();
  for (const path of sorted) {
    const parentPath = rawParentOf(path)!;
    const parent = ctx.changes.get(parentPath);
    if (parent !== null) ctx.changes.put({ zxid: ctx.zxid, path: parentPath, node: { ...parent, numChildren: parent.numChildren - 1 } });
    ctx.changes.put({ zxid: ctx.zxid, path, node: null });
  }
  return txnOf(ctx, { type: 'closeSession', paths: sorted });
}

/** deleteContainer, submitted by the container manager as session 0. */
export function prepDeleteContainer(path: string, ctx: PrepContext): Txn {
  return txnOf(ctx, bodyOf(prepDelete({ op: 'deleteContainer', path }, ctx.changes, ctx.zxid)));
}
