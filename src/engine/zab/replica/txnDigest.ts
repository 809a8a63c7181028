import type { Txn } from '../../request/txn.ts';
import { TxnSlotCache } from '../../request/txnSlotCache.ts';

/**
 * Digests by txn. Every replica reports the same txn object (the network hands followers the
 * leader's) when it logs and when it applies it, about ten times per txn in a five-server
 * ensemble; formatting the string once is enough, since txns are never modified.
 */
const digests = new TxnSlotCache<string>(4096);

/**
 * A cheap identity for a txn, for the ZAB checker: two txns with the same zxid but a different
 * origin (session, request, leader time, kind) get different digests. Replicas that hold the
 * same txn always agree on it.
 */
export function txnDigest(txn: Txn): string {
  let digest = digests.get(txn);
  if (digest === undefined) {
    digest = `${txn.sessionId.toString(16)}:${txn.cxid}:${txn.timeMs}:${txn.body.type}`;
    digests.set(txn, digest);
  }
  return digest;
}
