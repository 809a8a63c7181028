/**
 * The ZooKeeper consistency checker: parses a client history into ZooKeeper operations and checks
 * each guarantee separately, so a report names exactly which one broke. zxid-based rules are used
 * wherever the history carries zxids (they are exact); value-based rules cover the rest.
 */
import type { HistoryOp } from '../history/op.ts';
import { pairOperations } from '../history/operations.ts';
import { znodeModel, type ZnodeInitial } from '../linearizability/models/znodeMap.ts';
import { combineVerdicts, type CheckBudget } from '../verdict.ts';
import { buildContext } from './context.ts';
import { ZK_GUARANTEES, type GuaranteeResult, type ZkCheckResult, type ZkGuarantee } from './guarantees.ts';
import { checkLinearizableWrites } from './linearizableWrites.ts';
import { checkSequentialReads } from './sequentialReads.ts';
import { checkSessions } from './sessionRules.ts';
import { checkSyncReads } from './syncRead.ts';
import { parseZkOp } from './zkOp.ts';
import { replayByZxid } from './zxidReplay.ts';

/** Options for {@link checkZooKeeper}. */
export interface ZkCheckOptions {
  /**
   * Znodes that exist before the history starts, by path. Default: none (a fresh ensemble), which
   * is what the simulator produces; paths used by the history must not pre-exist otherwise.
   */
  initial?: ZnodeInitial;
}

/** Checks a ZooKeeper client history. Throws `ZkOpError`/`HistoryError` for malformed ops. */
export function checkZooKeeper(history: readonly HistoryOp[], budget: CheckBudget = {}, options: ZkCheckOptions = {}): ZkCheckResult {
  const ops = pairOperations(history, { keepFailed: true }).map(parseZkOp);
  const ctx = buildContext(ops);
  const model = znodeModel(options.initial);
  const replay = replayByZxid(ctx, model);
  const sessions = checkSessions(ctx);
  const guarantees: Record<ZkGuarantee, GuaranteeResult> = {
    'linearizable-writes': checkLinearizableWrites(ctx, model, replay, budget),
    'fifo-client-order': sessions.fifo,
    'monotonic-reads': sessions.monotonic,
    'read-your-writes': sessions.ryw,
    'sync-read': checkSyncReads(ctx),
    'sequential-reads': checkSequentialReads(ctx, model, replay),
  };
  return {
    verdict: combineVerdicts(ZK_GUARANTEES.map((g) => guarantees[g].verdict)),
    guarantees,
    operationCount: ops.length,
    sessionCount: ctx.sessions.size,
  };
}
