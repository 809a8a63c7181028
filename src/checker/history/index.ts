/** The history model: Jepsen-style op events and their pairing into operations. */
export type { HistoryOp, OpType } from './op.ts';
export { isOpType } from './op.ts';
export type { Operation, OperationStatus, PairOptions } from './operations.ts';
export { HistoryError, historyTimes, pairOperations, renumber, subHistory } from './operations.ts';
