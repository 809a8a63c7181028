/**
 * multi prep: one txn for all ops. Ops run in order against a scratch overlay so later ops see
 * earlier ones (create a, then a/b; create z twice gives NODEEXISTS on the second). On the
 * first failure the overlay is dropped (nothing was recorded) and the txn lists OK for the ops
 * before, the failing code, and RUNTIMEINCONSISTENCY after: still one zxid, no effects.
 */
import { ErrorCode } from '../tree/errors.ts';
import { ChangeOverlay, type ChangeView } from './changeRecords.ts';
import { prepCheck, prepCreate, prepDelete, prepSetData, type PrepOutcome } from './opPrep.ts';
import type { MultiOpRequest, MultiRequest } from './types.ts';
import type { MultiSubTxn, MultiTxn } from './txn.ts';

function prepOne(op: MultiOpRequest, view: ChangeView, zxid: number, sessionId: number): PrepOutcome<MultiSubTxn> {
  switch (op.op) {
    case 'create':
    case 'create2':
    case 'createContainer':
    case 'createTTL':
      return prepCreate(op, view, zxid, sessionId);
    case 'delete':
      return prepDelete(op, view, zxid);
    case 'setData':
      return prepSetData(op, view, zxid);
    case 'check':
      return prepCheck(op, view);
  }
}

/** Preps a multi into one MultiTxn; commits its change records only if every op succeeded. */
export function prepMulti(req: MultiRequest, base: ChangeView, zxid: number, sessionId: number): MultiTxn {
  const overlay = new ChangeOverlay(base);
  const txns: MultiSubTxn[] = [];
  for (let i = 0; i < req.ops.length; i++) {
    const outcome = prepOne(req.ops[i]!, overlay, zxid, sessionId);
    if (outcome.ok) {
      txns.push(outcome.txn);
      continue;
    }
    const failed: MultiSubTxn[] = req.ops.map((_, j) => ({
      type: 'error',
      err: j < i ? ErrorCode.OK : j === i ? outcome.err : ErrorCode.RUNTIMEINCONSISTENCY,
    }));
    return { type: 'multi', txns: failed };
  }
  overlay.commit();
  return { type: 'multi', txns };
}
