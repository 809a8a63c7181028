/**
 * Turns apply's txn result into the reply a client sees for the request that caused it.
 */
import { assert } from '../assert.ts';
import type { TxnResult } from '../request/results.ts';
import type { WriteRequest } from '../request/types.ts';
import type { ReplyResult } from './effects.ts';

/** The reply header error and body for a write's txn result. */
export function replyForWrite(request: WriteRequest, result: TxnResult): { err: number; result: ReplyResult | null } {
  switch (result.type) {
    case 'error':
      return { err: result.err, result: null };
    case 'create':
      // Plain create (opcode 1) answers with the path only; create2 and friends add the stat.
      return { err: 0, result: request.op === 'create' ? { type: 'create', path: result.path } : result };
    case 'delete':
    case 'setData':
      return { err: 0, result };
    case 'multi':
      // A failed multi still has header err 0; its per-op results carry the codes. In 3.8.0 a
      // create inside a multi answers with its path only (ZOOKEEPER-4026 came in 3.9).
      return {
        err: 0,
        result: {
          type: 'multi',
          results: result.results.map((r) => (r.type === 'create' ? { type: 'create', path: r.path } : r)),
        },
      };
    case 'createSession':
    case 'closeSession':
      assert(false, () => `session txn result for a ${request.op} request`);
  }
}
