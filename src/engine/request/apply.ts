/**
 * Apply: the replica half of the pipeline (ZooKeeper's DataTree.processTxn). Every replica runs
 * the same txns through here, in zxid order, and gets the same tree, the same result and the
 * same watch triggers. Nothing here validates client input: prep did. A txn that does not fit
 * the tree (missing parent, wrong counter, zxid going backwards) is an engine bug and throws.
 */
import { assert, assertNever } from '../assert.ts';
import type { ZkDatabase } from '../db/zkDatabase.ts';
import { statOfNode } from '../tree/dataTree.ts';
import { ErrorCode } from '../tree/errors.ts';
import { parentOf } from '../tree/paths.ts';
import type { WatchTrigger } from '../watch/events.ts';
import type { MultiOpResult, TxnResult } from './results.ts';
import type { CreateTxn, DeleteTxn, MultiSubTxn, MultiTxn, SetDataTxn, Txn } from './txn.ts';

/** What applying one txn produced: the result for the requester and triggers in order. */
export interface ApplyOutcome {
  result: TxnResult;
  triggers: WatchTrigger[];
}

function applyCreate(db: ZkDatabase, txn: Txn, body: CreateTxn, triggers: WatchTrigger[]): MultiOpResult & { type: 'create' } {
  const parentPath = parentOf(body.path);
  const parent = db.tree.getNode(parentPath);
  assert(parent !== undefined, () => `apply create ${body.path}: no parent`);
  // Pair assertion with prep: its view of the parent's counter must match the tree's.
  assert(
    ((parent.stat.childCreates + 1) | 0) === body.parentChildCreates,
    `apply create ${body.path}: counter ${parent.stat.childCreates} vs txn ${body.parentChildCreates}`,
  );
  const node = db.tree.createNode({
    path: body.path,
    data: body.data,
    acl: body.acl,
    ephemeralOwner: body.ephemeralOwner,
    container: body.container,
    zxid: txn.zxid,
    timeMs: txn.timeMs,
  });
  triggers.push({ type: 'NodeCreated', path: body.path }, { type: 'NodeChildrenChanged', path: parentPath });
  return { type: 'create', path: body.path, stat: statOfNode(node) };
}

function applyDelete(db: ZkDatabase, zxid: number, path: string, triggers: WatchTrigger[]): void {
  db.tree.deleteNode(path, zxid);
  // The node's own event first, then the parent's (the measured order, §1.10).
  triggers.push({ type: 'NodeDeleted', path }, { type: 'NodeChildrenChanged', path: parentOf(path) });
}

function applySetData(db: ZkDatabase, txn: Txn, body: SetDataTxn, triggers: WatchTrigger[]): MultiOpResult & { type: 'setData' } {
  const result = setDataOnTree(db, txn, body);
  triggers.push({ type: 'NodeDataChanged', path: body.path });
  return result;
}

function setDataOnTree(db: ZkDatabase, txn: Txn, body: SetDataTxn): MultiOpResult & { type: 'setData' } {
  const node = db.tree.setData(body.path, body.data, body.version, txn.zxid, txn.timeMs);
  return { type: 'setData', stat: statOfNode(node) };
}

function applySub(db: ZkDatabase, txn: Txn, sub: MultiSubTxn, triggers: WatchTrigger[]): MultiOpResult {
  switch (sub.type) {
    case 'create':
      return applyCreate(db, txn, sub, triggers);
    case 'delete':
    case 'deleteContainer':
      applyDelete(db, txn.zxid, (sub as DeleteTxn).path, triggers);
      return { type: 'delete' };
    case 'setData':
      return applySetData(db, txn, sub, triggers);
    case 'check':
      return { type: 'check' };
    case 'error':
      return { type: 'error', err: sub.err };
    default:
      return assertNever(sub, 'multi sub-txn');
  }
}

function applyMulti(db: ZkDatabase, txn: Txn, body: MultiTxn, triggers: WatchTrigger[]): TxnResult {
  const failed = body.txns.some((sub) => sub.type === 'error');
  if (failed) {
    // A failed multi is all error sub-txns (prep guarantees it): no effect, no triggers.
    assert(body.txns.every((sub) => sub.type === 'error'), 'failed multi with live sub-txns');
    return { type: 'multi', results: body.txns.map((sub) => ({ type: 'error', err: (sub as { err: number }).err })) };
  }
  return { type: 'multi', results: body.txns.map((sub) => applySub(db, txn, sub, triggers)) };
}

function applyCloseSession(db: ZkDatabase, txn: Txn, paths: string[], triggers: WatchTrigger[]): TxnResult {
  // Pair assertion with prep: by the time the close applies, exactly the listed ephemerals exist.
  const current = db.tree.ephemeralsOf(txn.sessionId);
  assert(
    current.length === paths.length && current.every((p, i) => p === paths[i]),
    `closeSession ${txn.sessionId}: tree has [${current.join(',')}], txn lists [${paths.join(',')}]`,
  );
  for (const path of paths) applyDelete(db, txn.zxid, path, triggers);
  db.sessions.delete(txn.sessionId);
  return { type: 'closeSession' };
}

/**
 * Applies one txn to the database: mutates the tree and session table, advances
 * lastProcessedZxid, and returns the requester's result plus the watch triggers in the order
 * ZooKeeper fires them. Zxids must strictly increase.
 */
export function applyTxn(db: ZkDatabase, txn: Txn): ApplyOutcome {
  assert(txn.zxid > db.lastProcessedZxid, () => `apply zxid ${txn.zxid} not after ${db.lastProcessedZxid}`);
  const body = txn.body;
  if (body.type === 'setData') {
    // The most common txn, on every replica: its one trigger goes in a list of that size (a
    // first push onto an empty list would make room for 17).
    const setResult = setDataOnTree(db, txn, body);
    db.lastProcessedZxid = txn.zxid;
    return { result: setResult, triggers: [{ type: 'NodeDataChanged', path: body.path }] };
  }
  const triggers: WatchTrigger[] = [];
  let result: TxnResult;
  switch (body.type) {
    case 'createSession':
      db.sessions.set(txn.sessionId, body.timeoutMs);
      result = { type: 'createSession' };
      break;
    case 'closeSession':
      result = applyCloseSession(db, txn, body.paths, triggers);
      break;
    case 'create':
      result = applyCreate(db, txn, body, triggers);
      break;
    case 'delete':
    case 'deleteContainer':
      applyDelete(db, txn.zxid, body.path, triggers);
      result = { type: 'delete' };
      break;
    case 'error':
      result = { type: 'error', err: body.err };
      break;
    case 'multi':
      result = applyMulti(db, txn, body, triggers);
      break;
    default:
      return assertNever(body, 'txn body');
  }
  db.lastProcessedZxid = txn.zxid;
  return { result, triggers };
}

/** The error code a result carries: 0 for success (including a failed multi, as on the wire). */
export function resultErrorCode(result: TxnResult): number {
  return result.type === 'error' ? result.err : ErrorCode.OK;
}

