/**
 * sync-read: after a session's `sync` completes, a read it issues reflects every write
 * acknowledged (to any session) before the sync was invoked.
 * - zxid rule: the read's zxid is ≥ the zxid of each such write.
 * - value rule, for paths no delete may have touched: the read sees the node, at a version ≥ the
 *   version each such create/setData produced. After such an acknowledged delete, the read must
 *   not see the node unless some create of it could have taken effect after that delete began.
 */
import { idx, isRead, label, mayCreateAfter, mayDelete, observe, type ZkContext } from './context.ts';
import { hexZxid, type GuaranteeResult } from './guarantees.ts';
import { isWrite, type ZkOp } from './zkOp.ts';

const G = 'sync-read';

/** Checks every read that follows a completed sync in its session. */
export function checkSyncReads(ctx: ZkContext): GuaranteeResult {
  const res: GuaranteeResult = { verdict: 'ok', violations: [], checks: 0 };
  const acked = ctx.ops.filter((z) => isWrite(z.kind) && z.outcome === 'ok').sort((a, b) => a.op.ret - b.op.ret);
  const fail = (message: string, ops: ZkOp[]): void => {
    res.verdict = 'illegal';
    res.violations.push({ guarantee: G, message, ops: ops.map(idx) });
  };
  for (const ops of ctx.sessions.values()) {
    let sync: ZkOp | undefined;
    let before: ZkOp[] = [];
    for (const z of ops) {
      if (z.kind === 'sync') {
        if (z.outcome !== 'ok') continue;
        sync = z;
        before = acked.filter((w) => w.op.ret < z.op.call);
        continue;
      }
      if (sync === undefined || !isRead(z)) continue;
      const o = observe(z);
      if (o === undefined) continue;
      res.checks++;
      if (z.zxid !== undefined) {
        const newer = before.filter((w) => w.zxid !== undefined && w.zxid > z.zxid!).sort((a, b) => b.zxid! - a.zxid!)[0];
        if (newer !== undefined) {
          fail(`${label(z)} follows ${label(sync)} but was served at zxid ${hexZxid(z.zxid)}, before ${label(newer)} (zxid ${hexZxid(newer.zxid!)}) which was acknowledged before the sync began`, [newer, sync, z]);
          continue;
        }
      }
      const onPath = before.filter((w) => w.path === z.path);
      const lastDelete = onPath.filter((w) => w.kind === 'delete').at(-1);
      if (lastDelete !== undefined && o.exists && !mayCreateAfter(ctx, z.path, lastDelete.op.call)) {
        fail(`${label(z)} follows ${label(sync)} but still sees ${z.path}, deleted by ${label(lastDelete)} before the sync began; no create of it could have followed`, [lastDelete, sync, z]);
        continue;
      }
      if (mayDelete(ctx, z.path)) continue;
      const creator = onPath.find((w) => w.kind === 'create');
      if (creator !== undefined && !o.exists) {
        fail(`${label(z)} follows ${label(sync)} but finds no ${z.path}, created by ${label(creator)} before the sync began and never deleted`, [creator, sync, z]);
        continue;
      }
      let newest: { v: number; w: ZkOp } | undefined;
      for (const w of onPath) {
        const v = observe(w)?.version;
        if (v !== undefined && (newest === undefined || v > newest.v)) newest = { v, w };
      }
      if (newest !== undefined && o.version !== undefined && o.version < newest.v) {
        fail(`${label(z)} follows ${label(sync)} but sees ${z.path} at version ${o.version}; ${label(newest.w)} had made it version ${newest.v} before the sync began`, [newest.w, sync, z]);
      }
    }
  }
  return res;
}
