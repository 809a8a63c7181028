/**
 * Operations as the report shows them: each invoke paired with its completion, and short text
 * for values. Unlike the checkers' pairing this never throws: a report must render whatever
 * history a broken run produced, so a stray completion becomes an operation of its own.
 */
import type { HistoryOp } from '../checker/history/op.ts';
import { safeStringify, truncate } from './escape.ts';

/** How an operation ended; `pending` never completed before the run ended. */
export type ReportStatus = 'ok' | 'fail' | 'info' | 'pending';

export interface ReportOp {
  /** History index of the invoke (of the completion, for an unpaired one). */
  index: number;
  process: number;
  client: string;
  f: string;
  status: ReportStatus;
  invoke: HistoryOp | undefined;
  completion: HistoryOp | undefined;
  /** Virtual time (µs) of the invoke and of the completion (equal for an unpaired completion). */
  startUs: number;
  endUs: number | undefined;
}

/** Pairs a history into operations, in invocation order. */
export function pairForReport(history: readonly HistoryOp[]): ReportOp[] {
  const all: ReportOp[] = [];
  const pending = new Map<number, ReportOp>();
  for (const op of history) {
    const time = typeof op.time === 'number' && Number.isFinite(op.time) ? op.time : 0;
    if (op.type === 'invoke') {
      const r: ReportOp = { index: op.index, process: op.process, client: clientOf(op), f: String(op.f), status: 'pending', invoke: op, completion: undefined, startUs: time, endUs: undefined };
      all.push(r);
      pending.set(op.process, r);
      continue;
    }
    const r = pending.get(op.process);
    if (r === undefined) {
      all.push({ index: op.index, process: op.process, client: clientOf(op), f: String(op.f), status: statusOf(op.type), invoke: undefined, completion: op, startUs: time, endUs: time });
      continue;
    }
    pending.delete(op.process);
    r.completion = op;
    r.status = statusOf(op.type);
    r.endUs = time;
    if (r.client === '') r.client = clientOf(op);
  }
  return all;
}

function statusOf(type: string): ReportStatus {
  return type === 'ok' || type === 'fail' || type === 'info' ? type : 'info';
}

function clientOf(op: HistoryOp): string {
  return typeof op.client === 'string' ? op.client : '';
}

/** Keys of a ZooKeeper Stat that are noise at a glance; `version` stays. */
const STAT_NOISE = new Set(['czxid', 'mzxid', 'pzxid', 'ctime', 'mtime', 'cversion', 'aversion', 'ephemeralOwner', 'dataLength', 'numChildren']);

/** Drops Stat noise from objects that look like a Stat (they carry czxid and mzxid). */
function withoutStatNoise(v: unknown, depth = 0): unknown {
  if (typeof v !== 'object' || v === null || depth > 8) return v;
  if (Array.isArray(v)) return v.map((x) => withoutStatNoise(x, depth + 1));
  const o = v as Record<string, unknown>;
  const isStat = 'czxid' in o && 'mzxid' in o;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) if (!(isStat && STAT_NOISE.has(k))) out[k] = withoutStatNoise(x, depth + 1);
  return out;
}

/** One-line text for a value in a tooltip: JSON without Stat noise, cut to `max`. */
export function summarizeValue(v: unknown, max = 100): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return truncate(v, max);
  return truncate(safeStringify(withoutStatNoise(v)), max);
}

/** Full text for a value in a witness table, cut only when huge. */
export function fullValue(v: unknown, max = 2000): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return truncate(v, max);
  return truncate(safeStringify(v), max);
}

/** Text for an error field, which may be any JSON. */
export function errorText(e: unknown): string {
  if (e === undefined || e === null) return '';
  return typeof e === 'string' ? e : truncate(safeStringify(e), 200);
}

/** A zxid as ZooKeeper logs it (hex); anything else as text. */
export function zxidText(z: unknown): string {
  if (typeof z === 'number' && Number.isSafeInteger(z) && z >= 0) return `0x${z.toString(16)}`;
  return z === undefined || z === null ? '' : String(z);
}
