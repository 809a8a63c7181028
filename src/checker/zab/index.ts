/** The ZAB property checker and its event vocabulary. */
export { checkZab } from './check.ts';
export { fmtZxid, makeZxid, readZabEvents, toZabEvent, ZAB_EVENT_KINDS, zxidEpoch, type NodeRef, type ZabEvent, type ZabEventKind } from './events.ts';
export { ZAB_PROPERTIES, type ZabCheckResult, type ZabProperty, type ZabViolation } from './properties.ts';
export { zabReportJson, zabReportLines } from './report.ts';
