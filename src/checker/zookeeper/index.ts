/** The ZooKeeper consistency checker and its op vocabulary. */
export { checkZooKeeper, type ZkCheckOptions } from './check.ts';
export { ZK_GUARANTEES, hexZxid, type GuaranteeResult, type ZkCheckResult, type ZkGuarantee, type ZkViolation } from './guarantees.ts';
export { parseZkOp, ZkOpError, isWrite, type ZkKind, type ZkOp, type ZkOutcome } from './zkOp.ts';
export { zkReportJson, zkReportLines } from './report.ts';
export { projectZkHistory, type ZkProjection } from './projection.ts';
