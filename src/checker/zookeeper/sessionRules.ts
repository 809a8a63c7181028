/**
 * Per-session guarantees: fifo-client-order, monotonic-reads and read-your-writes. A session's
 * operations are taken in invocation order ("session order"); ZooKeeper executes a session's
 * requests in that order even when they are pipelined.
 *
 * zxid rules (exact when the server reports zxids):
 * - fifo: completions arrive in session order; a write's txn zxid is greater than every earlier
 *   write's, and not below the zxid of any earlier read of the session.
 * - a read's zxid (the server's last processed zxid) is ≥ the zxid of every earlier operation of
 *   the session: if the largest came from a write that is read-your-writes, else monotonic-reads.
 * - a read that reports the node's mzxid must not report one below an mzxid it already saw for
 *   the path (monotonic-reads), or below the zxid of its own create/setData of it (read-your-writes).
 * Value rules (no zxids needed), only where no delete of the path may have taken effect (so
 * versions only grow and a node, once seen, stays): a later read never sees a smaller version, or
 * no node, after the session saw the node at some version (by reading it: monotonic-reads; by
 * writing it: read-your-writes). After the session's acknowledged delete, a read must not see the
 * node unless some create of it could have taken effect after that delete began.
 */
import { idx, isRead, isWrite, label, mayCreateAfter, mayDelete, observe, type Observation, type ZkContext } from './context.ts';
import { hexZxid, type GuaranteeResult, type ZkGuarantee, type ZkViolation } from './guarantees.ts';
import type { ZkOp } from './zkOp.ts';

/** Results of the three session guarantees. */
export interface SessionResults {
  fifo: GuaranteeResult;
  monotonic: GuaranteeResult;
  ryw: GuaranteeResult;
}

interface Floor {
  /** Highest version seen, and the op that showed it. */
  version?: { v: number; by: ZkOp };
  exists?: ZkOp;
  mzxid?: { z: number; by: ZkOp };
  deletedBy?: ZkOp;
}

const result = (): GuaranteeResult => ({ verdict: 'ok', violations: [], checks: 0 });

/** Checks every session. */
export function checkSessions(ctx: ZkContext): SessionResults {
  const r: SessionResults = { fifo: result(), monotonic: result(), ryw: result() };
  const add = (g: ZkGuarantee, message: string, ops: ZkOp[]): void => {
    const target = g === 'fifo-client-order' ? r.fifo : g === 'monotonic-reads' ? r.monotonic : r.ryw;
    target.verdict = 'illegal';
    target.violations.push({ guarantee: g, message, ops: ops.map(idx) } satisfies ZkViolation);
  };
  for (const ops of ctx.sessions.values()) {
    completionOrder(ops, r, add);
    zxidOrder(ops, r, add);
    valueOrder(ctx, ops, r, add);
  }
  return r;
}

type Add = (g: ZkGuarantee, message: string, ops: ZkOp[]) => void;

function completionOrder(ops: ZkOp[], r: SessionResults, add: Add): void {
  let last: ZkOp | undefined;
  for (const z of ops) {
    const c = z.op.completion;
    if (c === undefined || z.op.status === 'info') continue;
    r.fifo.checks++;
    if (last !== undefined && last.op.completion!.index > c.index) {
      add('fifo-client-order', `${label(last)} was issued before ${label(z)} but completed after it`, [last, z]);
    }
    last = z;
  }
}

function zxidOrder(ops: ZkOp[], r: SessionResults, add: Add): void {
  let maxWrite: ZkOp | undefined;
  let maxRead: ZkOp | undefined;
  for (const z of ops) {
    if (z.zxid === undefined || z.outcome === 'unknown') continue;
    if (isWrite(z.kind)) {
      r.fifo.checks++;
      if (maxWrite !== undefined && maxWrite.zxid! >= z.zxid) {
        add('fifo-client-order', `${label(maxWrite)} (zxid ${hexZxid(maxWrite.zxid!)}) was issued before ${label(z)}, which got zxid ${hexZxid(z.zxid)}`, [maxWrite, z]);
      }
      if (maxRead !== undefined && maxRead.zxid! > z.zxid) {
        add('fifo-client-order', `${label(z)} got zxid ${hexZxid(z.zxid)}, older than the state ${hexZxid(maxRead.zxid!)} an earlier read of the session (${label(maxRead)}) already saw`, [maxRead, z]);
      }
      if (maxWrite === undefined || z.zxid > maxWrite.zxid!) maxWrite = z;
      continue;
    }
    if (maxWrite !== undefined && maxWrite.zxid! > z.zxid) {
      r.ryw.checks++;
      add('read-your-writes', `${label(z)} was served at zxid ${hexZxid(z.zxid)}, before the session's own write ${label(maxWrite)} (zxid ${hexZxid(maxWrite.zxid!)})`, [maxWrite, z]);
    } else if (maxRead !== undefined && maxRead.zxid! > z.zxid) {
      r.monotonic.checks++;
      add('monotonic-reads', `${label(z)} was served at zxid ${hexZxid(z.zxid)}, older than zxid ${hexZxid(maxRead.zxid!)} the session already saw at ${label(maxRead)}`, [maxRead, z]);
    } else {
      r.monotonic.checks++;
      r.ryw.checks++;
    }
    if (maxRead === undefined || z.zxid > maxRead.zxid!) maxRead = z;
  }
}

function valueOrder(ctx: ZkContext, ops: ZkOp[], r: SessionResults, add: Add): void {
  const readFloors = new Map<string, Floor>();
  const writeFloors = new Map<string, Floor>();
  const floor = (m: Map<string, Floor>, p: string): Floor => {
    let f = m.get(p);
    if (f === undefined) m.set(p, (f = {}));
    return f;
  };
  for (const z of ops) {
    const o = observe(z);
    if (o === undefined || z.kind === 'sync') continue;
    if (isRead(z)) {
      compare(ctx, z, o, readFloors.get(z.path), 'monotonic-reads', r.monotonic, add);
      compare(ctx, z, o, writeFloors.get(z.path), 'read-your-writes', r.ryw, add);
    }
    if (isRead(z) || z.outcome !== 'ok') {
      // Reads, and writes that failed with a determinate error, observed the node.
      raise(floor(readFloors, z.path), z, o);
      continue;
    }
    // An acknowledged write: what the session now knows it wrote.
    const wf = floor(writeFloors, z.path);
    if (z.kind === 'delete') {
      wf.deletedBy = z;
      delete wf.exists;
      delete wf.version;
    } else {
      delete wf.deletedBy;
      raise(wf, z, o);
    }
  }
}

function raise(f: Floor, z: ZkOp, o: Observation): void {
  if (o.exists) f.exists = z;
  if (o.version !== undefined && (f.version === undefined || o.version > f.version.v)) f.version = { v: o.version, by: z };
  if (o.mzxid !== undefined && o.exists && (f.mzxid === undefined || o.mzxid > f.mzxid.z)) f.mzxid = { z: o.mzxid, by: z };
}

function compare(ctx: ZkContext, z: ZkOp, o: Observation, f: Floor | undefined, g: ZkGuarantee, res: GuaranteeResult, add: Add): void {
  if (f === undefined) return;
  res.checks++;
  const what = g === 'monotonic-reads' ? 'already saw' : 'wrote';
  if (f.mzxid !== undefined && o.exists && o.mzxid !== undefined && o.mzxid < f.mzxid.z) {
    add(g, `${label(z)} saw ${z.path} with mzxid ${hexZxid(o.mzxid)}, older than the mzxid ${hexZxid(f.mzxid.z)} the session ${what} at ${label(f.mzxid.by)}`, [f.mzxid.by, z]);
    return;
  }
  if (f.deletedBy !== undefined && o.exists && !mayCreateAfter(ctx, z.path, f.deletedBy.op.call)) {
    add(g, `${label(z)} still sees ${z.path} after the session deleted it at ${label(f.deletedBy)}, and no create of it could have followed`, [f.deletedBy, z]);
    return;
  }
  if (mayDelete(ctx, z.path)) return;
  if (f.exists !== undefined && !o.exists) {
    add(g, `${label(z)} found no node ${z.path}, but the session ${what} it at ${label(f.exists)} and nothing ever deletes it`, [f.exists, z]);
    return;
  }
  if (f.version !== undefined && o.version !== undefined && o.version < f.version.v) {
    add(g, `${label(z)} saw ${z.path} at version ${o.version}, older than version ${f.version.v} the session ${what} at ${label(f.version.by)}`, [f.version.by, z]);
  }
}
