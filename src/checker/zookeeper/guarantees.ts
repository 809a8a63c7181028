/**
 * The ZooKeeper guarantees the consistency checker names, and its result types.
 * Exact definitions are in docs/checkers.md ("ZooKeeper consistency checker").
 */
import type { Verdict } from '../verdict.ts';

/** Each checked guarantee. */
export type ZkGuarantee =
  /** Writes (create/delete/setData) are linearizable: one order, consistent with real time. */
  | 'linearizable-writes'
  /** A session's requests take effect in the order it issued them. */
  | 'fifo-client-order'
  /** A session never observes an older state than one it already observed. */
  | 'monotonic-reads'
  /** A session's reads reflect its own acknowledged writes. */
  | 'read-your-writes'
  /** A read issued after `sync` completes reflects every write acknowledged before the sync began. */
  | 'sync-read'
  /** A read returns exactly the state after the txns up to the zxid it reports (sequential consistency). */
  | 'sequential-reads';

/** All guarantees, in report order. */
export const ZK_GUARANTEES: readonly ZkGuarantee[] = ['linearizable-writes', 'fifo-client-order', 'monotonic-reads', 'read-your-writes', 'sync-read', 'sequential-reads'];

/** One broken guarantee, with the operations (history indexes of their invokes) that show it. */
export interface ZkViolation {
  guarantee: ZkGuarantee;
  message: string;
  ops: number[];
}

/** Per-guarantee outcome. */
export interface GuaranteeResult {
  verdict: Verdict;
  violations: ZkViolation[];
  /** How many individual comparisons were made; 0 means the history gave nothing to check. */
  checks: number;
}

/** The ZooKeeper checker's result. */
export interface ZkCheckResult {
  verdict: Verdict;
  guarantees: Record<ZkGuarantee, GuaranteeResult>;
  operationCount: number;
  sessionCount: number;
}

/** Formats a zxid the way ZooKeeper logs do. */
export function hexZxid(z: number): string {
  return `0x${z.toString(16)}`;
}
