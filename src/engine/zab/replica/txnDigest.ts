import type { Txn } from '../../request/txn.ts';

/**
 * A cheap identity for a txn, for the ZAB checker: two txns with the same zxid but a different
 * origin (session, request, leader time, kind) get different digests. Replicas that hold the
 * same txn always agree on it.
 */
export function txnDigest(txn: Txn): string {
  return `${txn.sessionId.toString(16)}:${txn.cxid}:${txn.timeMs}:${txn.body.type}`;
}
