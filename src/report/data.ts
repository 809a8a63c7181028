/**
 * Turns a run's result and outcome into the compact JSON the page's scripts draw from. Ops are
 * rows of numbers with repeated strings (f, error, server) in one table, so ~20,000 ops stay a
 * few MB. Latency and throughput are bucketed here, not in the page, so they are testable.
 */
import type { HistoryOp } from '../checker/history/op.ts';
import type { RunResult } from '../run/runScenario.ts';
import type { SystemOutcome } from '../run/system.ts';
import { errorText, pairForReport, type ReportOp, summarizeValue } from './ops.ts';

/** Beyond this many operations the timeline shows the first ones only (charts count all). */
export const MAX_TIMELINE_OPS = 50_000;

/** ok, fail, info, pending: the status codes of an op row. */
export const STATUS_CODES = ['ok', 'fail', 'info', 'pending'] as const;

/**
 * One op: [lane, startUs, endUs (-1: none), status, f, input, output, error, zxid (-1: none),
 * server, history index]. f, error and server are indexes into `strings` (-1: none).
 */
export type OpRow = [number, number, number, number, number, string, string, number, number, number, number];

/** A fault as the report shows it; times in ms of virtual time. */
export interface FaultView {
  name: string;
  kind: string;
  target: string;
  resolvedTo: string[];
  fired: boolean;
  atMs: number | null;
  endMs: number | null;
  phase: string;
  cause: string;
  skipped: string;
  reason: string;
}

export interface Buckets {
  sizeMs: number;
  /** Start of each bucket (ms). */
  t: number[];
  /** Latency of ok ops completing in the bucket (ms), null when none did. */
  p50: (number | null)[];
  p90: (number | null)[];
  p99: (number | null)[];
  max: (number | null)[];
  /** Completions per second. */
  ok: number[];
  fail: number[];
  info: number[];
}

export interface ReportData {
  endUs: number;
  strings: string[];
  lanes: { process: number; client: string }[];
  ops: OpRow[];
  /** How many operations the history had (the timeline may show fewer). */
  totalOps: number;
  /** Per server: samples [timeUs, role, epoch, lastZxid], in time order. */
  servers: { name: string; samples: [number, string, number, number][] }[];
  faults: FaultView[];
  violations: { check: string; property: string; message: string; witnessOps: number[]; traceEvents: number }[];
  buckets: Buckets;
}

/** Builds the embedded data. Deterministic: equal inputs give equal output. */
export function buildReportData(result: RunResult, outcome: SystemOutcome): ReportData {
  const history = outcome.history ?? [];
  const ops = pairForReport(history);
  const samples = serverSamples(outcome.report);
  const simMs = result.stats?.simTimeMs;
  let endUs = typeof simMs === 'number' && Number.isFinite(simMs) ? Math.max(0, Math.round(simMs * 1000)) : 0;
  for (const o of ops) endUs = Math.max(endUs, o.endUs ?? o.startUs);
  for (const s of samples) endUs = Math.max(endUs, s.timeUs);

  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const intern = (s: string): number => {
    if (s === '') return -1;
    let id = stringIds.get(s);
    if (id === undefined) stringIds.set(s, (id = strings.push(s) - 1));
    return id;
  };

  const lanes = lanesOf(ops);
  const laneOf = new Map(lanes.map((l, i) => [l.process, i]));
  const rows: OpRow[] = ops.slice(0, MAX_TIMELINE_OPS).map((o) => opRow(o, laneOf.get(o.process)!, intern));

  const servers = new Map<string, [number, string, number, number][]>();
  for (const s of samples) {
    let list = servers.get(s.server);
    if (list === undefined) servers.set(s.server, (list = []));
    list.push([s.timeUs, s.role, s.epoch, s.lastZxid]);
  }

  return {
    endUs,
    strings,
    lanes,
    ops: rows,
    totalOps: ops.length,
    servers: [...servers.keys()].sort(byNodeName).map((name) => ({ name, samples: servers.get(name)! })),
    faults: normalizeFaults(result.faults),
    violations: Object.entries(result.checks).flatMap(([check, c]) =>
      c.violations.map((v) => ({ check, property: String(v.property), message: String(v.message), witnessOps: witnessOpIndexes(v.witness, ops), traceEvents: traceEventsOf(v.witness)?.length ?? 0 })),
    ),
    buckets: bucketize(ops, endUs),
  };
}

function opRow(o: ReportOp, lane: number, intern: (s: string) => number): OpRow {
  const c = o.completion;
  const zxid = typeof c?.zxid === 'number' && Number.isSafeInteger(c.zxid) ? c.zxid : -1;
  const server = typeof c?.server === 'string' ? c.server : '';
  return [lane, o.startUs, o.endUs ?? -1, STATUS_CODES.indexOf(o.status), intern(o.f), summarizeValue(o.invoke?.value), summarizeValue(c?.value), intern(errorText(c?.error)), zxid, intern(server), o.index];
}

/** One lane per process, grouped by client (c2 before c10), then by process id. */
function lanesOf(ops: readonly ReportOp[]): { process: number; client: string }[] {
  const byProcess = new Map<number, string>();
  for (const o of ops) if (!byProcess.has(o.process) || byProcess.get(o.process) === '') byProcess.set(o.process, o.client);
  return [...byProcess.entries()].map(([process, client]) => ({ process, client })).sort((a, b) => byNodeName(a.client, b.client) || a.process - b.process);
}

/** Orders names like n2 before n10. */
export function byNodeName(a: string, b: string): number {
  const ma = /^(.*?)(\d+)$/.exec(a);
  const mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) return Number(ma[2]) - Number(mb[2]);
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Sample {
  server: string;
  timeUs: number;
  role: string;
  epoch: number;
  lastZxid: number;
}

/** The server samples of `outcome.report`, tolerating a system that reports something else. */
function serverSamples(report: unknown): Sample[] {
  const list = (report as { servers?: unknown } | undefined)?.servers;
  if (!Array.isArray(list)) return [];
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  return list
    .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null)
    .map((s) => ({ server: String(s.server), timeUs: num(s.timeUs), role: String(s.role), epoch: num(s.epoch), lastZxid: num(s.lastZxid) }));
}

/** `result.faults` is unknown[] at the type level; read what a FaultRecord carries. */
export function normalizeFaults(faults: readonly unknown[] | undefined): FaultView[] {
  const str = (x: unknown) => (x === undefined || x === null ? '' : typeof x === 'string' ? x : JSON.stringify(x));
  const ms = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return (faults ?? [])
    .filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null)
    .map((f) => ({
      name: str(f.name),
      kind: str(f.kind),
      target: Array.isArray(f.target) ? f.target.map(String).join(', ') : str(f.target),
      resolvedTo: Array.isArray(f.resolvedTo) ? f.resolvedTo.map(String) : [],
      fired: f.fired === true,
      atMs: ms(f.atMs),
      endMs: ms(f.endMs),
      phase: str(f.phase),
      cause: str(f.cause),
      skipped: str(f.skipped),
      reason: str(f.reason),
    }));
}

/** A witness that is a list of history ops (the zookeeper check), else undefined. */
export function witnessHistoryOps(witness: unknown): HistoryOp[] | undefined {
  if (!Array.isArray(witness) || witness.length === 0) return undefined;
  const isOp = (x: unknown) => typeof x === 'object' && x !== null && typeof (x as HistoryOp).index === 'number' && typeof (x as HistoryOp).type === 'string';
  return witness.every(isOp) ? (witness as HistoryOp[]) : undefined;
}

/** The trace events of a ZAB witness (`{ traceEvents: [...] }`), else undefined. */
export function traceEventsOf(witness: unknown): unknown[] | undefined {
  const t = (witness as { traceEvents?: unknown } | null | undefined)?.traceEvents;
  return typeof witness === 'object' && witness !== null && Array.isArray(t) ? t : undefined;
}

/** History indexes (of the operations' first event) of a witness's ops, to mark on the timeline. */
function witnessOpIndexes(witness: unknown, ops: readonly ReportOp[]): number[] {
  const list = witnessHistoryOps(witness);
  if (list === undefined) return [];
  const byEvent = operationsByEventIndex(ops);
  const out = new Set<number>();
  for (const w of list) out.add(byEvent.get(w.index)?.index ?? w.index);
  return [...out].sort((a, b) => a - b);
}

/** Each history index (invoke or completion) → its operation. */
export function operationsByEventIndex(ops: readonly ReportOp[]): Map<number, ReportOp> {
  const m = new Map<number, ReportOp>();
  for (const o of ops) {
    if (o.invoke) m.set(o.invoke.index, o);
    if (o.completion) m.set(o.completion.index, o);
  }
  return m;
}

/** 100 ms buckets, or the smallest round size (200, 250, 500, 1000, ... ms) keeping ~500 of them. */
export function bucketSizeMs(endUs: number): number {
  const raw = endUs / 1000 / 500;
  if (!(raw <= 1e12)) return 100; // NaN or absurd: never loop forever
  for (let p = 1; ; p *= 10) for (const m of [100, 200, 250, 500]) if (m * p >= raw) return m * p;
}

/** Latency percentiles and completion rates per bucket of completion time. */
export function bucketize(ops: readonly ReportOp[], endUs: number): Buckets {
  const sizeMs = bucketSizeMs(endUs);
  const n = Math.max(1, Math.ceil(endUs / 1000 / sizeMs));
  const lat: number[][] = Array.from({ length: n }, () => []);
  const counts = { ok: new Array<number>(n).fill(0), fail: new Array<number>(n).fill(0), info: new Array<number>(n).fill(0) };
  for (const o of ops) {
    if (o.endUs === undefined || o.status === 'pending') continue;
    const b = Math.min(n - 1, Math.max(0, Math.floor(o.endUs / 1000 / sizeMs)));
    counts[o.status][b]!++;
    if (o.status === 'ok' && o.invoke !== undefined) lat[b]!.push((o.endUs - o.startUs) / 1000);
  }
  const perSecond = (c: number[]) => c.map((x) => round3(x / (sizeMs / 1000)));
  const pct = (q: number) => lat.map((l) => (l.length === 0 ? null : round3(quantile(l, q))));
  for (const l of lat) l.sort((a, b) => a - b);
  return {
    sizeMs,
    t: Array.from({ length: n }, (_, i) => i * sizeMs),
    p50: pct(0.5),
    p90: pct(0.9),
    p99: pct(0.99),
    max: lat.map((l) => (l.length === 0 ? null : round3(l[l.length - 1]!))),
    ok: perSecond(counts.ok),
    fail: perSecond(counts.fail),
    info: perSecond(counts.info),
  };
}

/** Nearest-rank quantile of a sorted, non-empty list. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
