/**
 * sequential-reads: a read served at zxid L (the server's last processed zxid) returns exactly
 * the znode's state after every txn with zxid ≤ L. Checked on the paths whose write order is known
 * exactly from zxids (see zxidReplay.ts); also, a reported mzxid must be the zxid of the last
 * create/setData at or before L.
 */
import type { Operation } from '../history/operations.ts';
import type { Model } from '../linearizability/model.ts';
import type { SparseMap, ZnodeInput } from '../linearizability/models/index.ts';
import { idx, isRead, label, observe, type ZkContext } from './context.ts';
import { hexZxid, type GuaranteeResult } from './guarantees.ts';
import { stateAt, type Replay } from './zxidReplay.ts';
import type { ZkOp } from './zkOp.ts';

/** The last acknowledged create/setData at or before `zxid` (writes are in zxid order). */
function lastModifier(writes: ZkOp[], zxid: number): ZkOp | undefined {
  for (let i = writes.length - 1; i >= 0; i--) {
    const w = writes[i]!;
    if (w.zxid! > zxid || w.outcome !== 'ok') continue;
    return w.kind === 'delete' ? undefined : w;
  }
  return undefined;
}

const G = 'sequential-reads';

/** Checks zxid-tagged reads against the replayed timelines. */
export function checkSequentialReads(ctx: ZkContext, model: Model<SparseMap, ZnodeInput>, replay: Replay): GuaranteeResult {
  const res: GuaranteeResult = { verdict: 'ok', violations: [], checks: 0 };
  for (const z of ctx.ops) {
    if (!isRead(z) || z.zxid === undefined) continue;
    const timeline = replay.timelines.get(z.path);
    const input = timeline && model.prepare(z.op as Operation);
    if (timeline === undefined || input === undefined) continue;
    res.checks++;
    const { state, by } = stateAt(timeline, z.zxid);
    const setter = by === undefined ? 'the initial tree' : `${label(by)} at zxid ${hexZxid(by.zxid!)}`;
    const ops = by === undefined ? [idx(z)] : [idx(by), idx(z)];
    if (model.step(state, input) === undefined) {
      res.verdict = 'illegal';
      res.violations.push({
        guarantee: G,
        message: `${label(z)} was served at zxid ${hexZxid(z.zxid)} and returned ${model.describeInput(input)}, but the txns up to that zxid leave ${model.describeState(state)} (last set by ${setter})`,
        ops,
      });
      continue;
    }
    const o = observe(z);
    if (o?.exists && o.mzxid !== undefined) {
      const modifier = lastModifier(timeline.writes, z.zxid);
      if (modifier !== undefined && o.mzxid !== modifier.zxid) {
        res.verdict = 'illegal';
        res.violations.push({
          guarantee: G,
          message: `${label(z)} reports mzxid ${hexZxid(o.mzxid)}, but at zxid ${hexZxid(z.zxid)} the node was last modified by ${label(modifier)} at zxid ${hexZxid(modifier.zxid!)}`,
          ops: [idx(modifier), idx(z)],
        });
      }
    }
  }
  return res;
}
