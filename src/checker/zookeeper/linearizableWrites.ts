/**
 * linearizable-writes. Three rules, each sound on its own:
 * 1. zxid/real time: if write a was acknowledged before write b was invoked, zxid(a) < zxid(b);
 *    and no two acknowledged writes share a zxid.
 * 2. zxid replay: applying a path's writes in zxid order reproduces their reported results.
 * 3. model search: the write sub-history (create/delete/setData with their results, failed
 *    writes with determinate errors, unknown writes as optional) is linearizable against the
 *    znode model. Reads are left out: ZooKeeper does not promise linearizable reads.
 */
import type { Operation } from '../history/operations.ts';
import { checkOperations } from '../linearizability/check.ts';
import type { Model } from '../linearizability/model.ts';
import type { SparseMap, ZnodeInput } from '../linearizability/models/index.ts';
import { minimalWitness } from '../linearizability/witness.ts';
import type { CheckBudget } from '../verdict.ts';
import { idx, label, type ZkContext } from './context.ts';
import { hexZxid, type GuaranteeResult, type ZkViolation } from './guarantees.ts';
import type { Replay } from './zxidReplay.ts';
import { isWrite, type ZkOp } from './zkOp.ts';

const G = 'linearizable-writes';

/** Rule 1: zxid order agrees with real-time order, and zxids are unique. */
function zxidRealTime(writes: ZkOp[], out: ZkViolation[]): number {
  const tagged = writes.filter((z) => z.outcome === 'ok' && z.zxid !== undefined);
  const byZxid = new Map<number, ZkOp>();
  for (const z of tagged) {
    const other = byZxid.get(z.zxid!);
    if (other !== undefined) out.push({ guarantee: G, message: `${label(other)} and ${label(z)} both report zxid ${hexZxid(z.zxid!)}`, ops: [idx(other), idx(z)] });
    else byZxid.set(z.zxid!, z);
  }
  const byCall = [...tagged].sort((a, b) => a.op.call - b.op.call);
  const byRet = [...tagged].sort((a, b) => a.op.ret - b.op.ret);
  let done = 0;
  let maxBefore: ZkOp | undefined;
  for (const b of byCall) {
    while (done < byRet.length && byRet[done]!.op.ret < b.op.call) {
      const a = byRet[done++]!;
      if (maxBefore === undefined || a.zxid! > maxBefore.zxid!) maxBefore = a;
    }
    if (maxBefore !== undefined && maxBefore.zxid! >= b.zxid! && maxBefore !== b) {
      out.push({
        guarantee: G,
        message: `${label(maxBefore)} was acknowledged with zxid ${hexZxid(maxBefore.zxid!)} before ${label(b)} began, yet ${label(b)} got the older zxid ${hexZxid(b.zxid!)}`,
        ops: [idx(maxBefore), idx(b)],
      });
    }
  }
  return tagged.length;
}

/** Checks linearizable writes; `model` is a fresh znode model with the initial tree. */
export function checkLinearizableWrites(ctx: ZkContext, model: Model<SparseMap, ZnodeInput>, replay: Replay, budget: CheckBudget): GuaranteeResult {
  const writes = ctx.ops.filter((z) => isWrite(z.kind));
  const violations: ZkViolation[] = [];
  let checks = zxidRealTime(writes, violations);
  for (const f of replay.failures) {
    violations.push({
      guarantee: G,
      message: `applying ${f.path}'s writes in zxid order, ${label(f.write)} at zxid ${hexZxid(f.write.zxid!)} cannot have its reported result (${f.write.outcome}) when the node is: ${f.stateDescription}`,
      ops: f.previous ? [idx(f.previous), idx(f.write)] : [idx(f.write)],
    });
  }
  checks += replay.timelines.size + replay.failures.length;
  const ops: Operation[] = writes.map((z) => z.op);
  const result = checkOperations(model, ops, budget);
  checks += result.operationCount;
  if (result.verdict === 'illegal') {
    const witness = minimalWitness(model, result, budget);
    const shown = witness?.operations ?? result.illegal!.operations;
    violations.push({
      guarantee: G,
      message: `no single order of the writes to ${result.illegal!.key} explains their results: ${witness?.explanation.join(' ') ?? ''}`.trim(),
      ops: shown.map((o) => o.invoke.index),
    });
  }
  const verdict = violations.length > 0 ? 'illegal' : result.verdict;
  return { verdict, violations, checks };
}
