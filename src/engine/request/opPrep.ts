/**
 * The single-op half of prep: each write op (create, delete, setData, check) validated against
 * a view of the tree plus the outstanding change records, in exactly ZooKeeper 3.8.0's order of
 * checks (§1.4), because which error wins is client-visible. prep.ts turns a whole request into a
 * txn with these; multi.ts runs them over a multi's overlay.
 */
import { ErrorCode } from '../tree/errors.ts';
import { Perms, aclAllows, copyAcl, isAclAcceptable } from '../tree/acl.ts';
import { hasNul, isSpecialPath, isValidPath, rawParentOf, sequentialSuffix } from '../tree/paths.ts';
import { type ChangeView, type NodeView } from './changeRecords.ts';
import type { CheckRequest, CreateRequest, DeleteRequest, SetDataRequest } from './types.ts';
import { CreateFlags } from './types.ts';
import type { CheckTxn, CreateTxn, DeleteTxn, SetDataTxn } from './txn.ts';

/** A prepped op: its txn body, or the error that stopped it. */
export type PrepOutcome<T> = { ok: true; txn: T } | { ok: false; err: number };

function fail(err: number): { ok: false; err: number } {
  return { ok: false, err };
}

/** `checkAndIncVersion`: −1 matches anything, otherwise an exact match; returns the next version. */
function nextVersion(current: number, expected: number): number | null {
  if (expected !== -1 && expected !== current) return null;
  return (current + 1) | 0;
}

/** Whether the node is a plain ephemeral (a container is not). */
function isEphemeralView(node: NodeView): boolean {
  return node.ephemeralOwner !== 0 && !node.container;
}

/** Preps one create-family op (create, create2, createContainer, createTTL). */
export function prepCreate(req: CreateRequest, view: ChangeView, zxid: number, sessionId: number): PrepOutcome<CreateTxn> {
  const flags = req.flags;
  // 1. validateCreateRequest: unknown flag, then TTL (extended types are off in 3.8.0 defaults).
  if (!Number.isInteger(flags) || flags < 0 || flags > 6) return fail(ErrorCode.BADARGUMENTS);
  const ttlMode = flags === CreateFlags.PERSISTENT_WITH_TTL || flags === CreateFlags.PERSISTENT_SEQUENTIAL_WITH_TTL;
  if (ttlMode) return fail(ErrorCode.UNIMPLEMENTED);
  if (req.ttlMs !== undefined && req.ttlMs >= 0) return fail(ErrorCode.BADARGUMENTS);
  // 2. validatePathForCreate: only "has a slash" and "no NUL"; the rest waits for step 7.
  const parentPath = rawParentOf(req.path);
  if (parentPath === null || hasNul(req.path)) return fail(ErrorCode.BADARGUMENTS);
  // 3. fixupACL.
  if (!isAclAcceptable(req.acl)) return fail(ErrorCode.INVALIDACL);
  // 4. The parent, as it will be once in-flight txns apply.
  const parent = view.get(parentPath);
  if (parent === null) return fail(ErrorCode.NONODE);
  // 5. CREATE permission on the parent.
  if (!aclAllows(parent.acl, Perms.CREATE)) return fail(ErrorCode.NOAUTH);
  // 6. The suffix comes from the stored creation counter, read before this create bumps it.
  const sequential = (flags & 2) !== 0 && flags !== CreateFlags.CONTAINER;
  const path = sequential ? req.path + sequentialSuffix(parent.childCreates) : req.path;
  // 7. Full validation of the final path.
  if (!isValidPath(path)) return fail(ErrorCode.BADARGUMENTS);
  // 8. Already there (including nodes created by in-flight txns).
  if (view.get(path) !== null) return fail(ErrorCode.NODEEXISTS);
  // 9. No children under a plain ephemeral.
  if (isEphemeralView(parent)) return fail(ErrorCode.NOCHILDRENFOREPHEMERALS);
  // Only the createContainer opcode makes a container; flag 4 on plain create is persistent.
  const container = req.op === 'createContainer';
  const ephemeral = !container && (flags === CreateFlags.EPHEMERAL || flags === CreateFlags.EPHEMERAL_SEQUENTIAL);
  const ephemeralOwner = ephemeral ? sessionId : 0;
  const parentChildCreates = (parent.childCreates + 1) | 0;
  view.put({ zxid, path: parentPath, node: { ...parent, childCreates: parentChildCreates, numChildren: parent.numChildren + 1 } });
  view.put({
    zxid,
    path,
    node: { version: 0, childCreates: 0, numChildren: 0, ephemeralOwner, container, acl: copyAcl(req.acl) },
  });
  return { ok: true, txn: { type: 'create', path, data: req.data, acl: copyAcl(req.acl), ephemeralOwner, container, parentChildCreates } };
}

/**
 * Preps a delete (user delete, or the container manager's deleteContainer). Only "has a slash",
 * "no NUL" and "not special" are checked up front, so `/t/` gives NONODE, not BADARGUMENTS.
 */
export function prepDelete(
  req: DeleteRequest | { op: 'deleteContainer'; path: string },
  view: ChangeView,
  zxid: number,
): PrepOutcome<DeleteTxn> {
  const parentPath = rawParentOf(req.path);
  if (parentPath === null || hasNul(req.path) || isSpecialPath(req.path)) return fail(ErrorCode.BADARGUMENTS);
  const parent = view.get(parentPath);
  if (parent === null) return fail(ErrorCode.NONODE);
  const node = view.get(req.path);
  if (node === null) return fail(ErrorCode.NONODE);
  if (req.op === 'delete') {
    // DELETE is checked on the parent: a READ-only node itself can still be deleted.
    if (!aclAllows(parent.acl, Perms.DELETE)) return fail(ErrorCode.NOAUTH);
    // The version check precedes the children check (§1.4).
    if (nextVersion(node.version, req.version) === null) return fail(ErrorCode.BADVERSION);
    if (node.numChildren > 0) return fail(ErrorCode.NOTEMPTY);
  } else {
    if (node.numChildren > 0) return fail(ErrorCode.NOTEMPTY);
    // ZooKeeper refuses to let the container manager delete a plain ephemeral.
    if (isEphemeralView(node)) return fail(ErrorCode.BADVERSION);
  }
  view.put({ zxid, path: parentPath, node: { ...parent, numChildren: parent.numChildren - 1 } });
  view.put({ zxid, path: req.path, node: null });
  return { ok: true, txn: { type: req.op, path: req.path } };
}

/** Preps setData: full path validation, NONODE, NOAUTH (WRITE), then BADVERSION. */
export function prepSetData(req: SetDataRequest, view: ChangeView, zxid: number): PrepOutcome<SetDataTxn> {
  if (!isValidPath(req.path)) return fail(ErrorCode.BADARGUMENTS);
  const node = view.get(req.path);
  if (node === null) return fail(ErrorCode.NONODE);
  if (!aclAllows(node.acl, Perms.WRITE)) return fail(ErrorCode.NOAUTH);
  const version = nextVersion(node.version, req.version);
  if (version === null) return fail(ErrorCode.BADVERSION);
  view.put({ zxid, path: req.path, node: { ...node, version } });
  return { ok: true, txn: { type: 'setData', path: req.path, data: req.data, version } };
}

/** Preps check (multi only): full path validation, NONODE, NOAUTH (READ), then BADVERSION. */
export function prepCheck(req: CheckRequest, view: ChangeView): PrepOutcome<CheckTxn> {
  if (!isValidPath(req.path)) return fail(ErrorCode.BADARGUMENTS);
  const node = view.get(req.path);
  if (node === null) return fail(ErrorCode.NONODE);
  if (!aclAllows(node.acl, Perms.READ)) return fail(ErrorCode.NOAUTH);
  if (nextVersion(node.version, req.version) === null) return fail(ErrorCode.BADVERSION);
  return { ok: true, txn: { type: 'check', path: req.path, version: req.version } };
}
