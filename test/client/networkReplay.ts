/**
 * Replays a conformance trace end to end: one ZkClient process per session label, talking to
 * the standalone server process over the simulated network, one record at a time. It checks
 * what the core replay (`src/conformance/replay.ts`) cannot: that the client library and the
 * host adapter carry every answer and notification unchanged, and that each session sees its
 * notifications and replies interleaved exactly as the real server's client did (an event on
 * the writer's own session before the write's reply, another session's event before its next
 * reply). Traces using what a client library cannot express (dropping a connection without
 * closing, presenting a wrong password, raw create flags, TTL, removeWatches, ...) are skipped,
 * and so are traces timed to the millisecond (`sleep`): here every record takes network time.
 */
import { matches } from '../../src/conformance/compare.ts';
import type { Trace, TraceData, TraceMultiOp, TraceOp, TraceRecord } from '../../src/conformance/traceFormat.ts';
import type { CompletionOutput } from '../../src/client/clientOutput.ts';
import type { ClientCommand, CreateModeName, MultiCommandOp } from '../../src/client/commands.ts';
import { MS, World } from './harness.ts';

const MODES: ReadonlySet<unknown> = new Set(['PERSISTENT', 'EPHEMERAL', 'PERSISTENT_SEQUENTIAL', 'EPHEMERAL_SEQUENTIAL', 'CONTAINER']);
const OPS: ReadonlySet<string> = new Set(['create', 'delete', 'setData', 'getData', 'exists', 'getChildren', 'sync', 'multi', 'addWatch', 'removeWatches', 'getEphemerals', 'getAllChildrenNumber']);

/** Why a trace cannot be replayed through a client, or undefined when it can. */
export function unreplayable(trace: Trace): string | undefined {
  const seen = new Set<string>();
  for (const r of trace.records) {
    if (r.kind === 'disconnect') return `line ${r.line}: disconnect without close`;
    // Over the network every record takes time, so a trace timed to the millisecond is not replayable.
    if (r.kind === 'sleep') return `line ${r.line}: sleep needs exact timing`;
    if (r.kind === 'connect') {
      if (seen.has(r.session) || r.password !== undefined) return `line ${r.line}: re-attach by hand`;
      seen.add(r.session);
    }
    if (r.kind !== 'op') continue;
    if (!OPS.has(r.op)) return `line ${r.line}: ${r.op}`;
    const modes = r.op === 'create' ? [r.mode] : r.op === 'multi' ? r.ops.flatMap((o) => (o.op === 'create' ? [o.mode] : [])) : [];
    const bad = modes.find((m) => !MODES.has(m));
    if (bad !== undefined) return `line ${r.line}: create mode ${String(bad)}`;
  }
  return undefined;
}

const text = (d: TraceData): string | null => (d === null || typeof d === 'string' ? d : d.fill.repeat(d.length));

function multiOp(o: TraceMultiOp): MultiCommandOp {
  if (o.op === 'create') return { op: 'create', path: o.path, data: text(o.data), mode: o.mode as CreateModeName };
  if (o.op === 'setData') return { op: 'setData', path: o.path, data: text(o.data), version: o.version };
  return o;
}

function commandOf(r: TraceOp): ClientCommand {
  switch (r.op) {
    case 'create':
      return { f: 'create', value: { path: r.path, data: text(r.data), mode: r.mode as CreateModeName } };
    case 'delete':
      return { f: 'delete', value: { path: r.path, version: r.version } };
    case 'setData':
      return { f: 'setData', value: { path: r.path, data: text(r.data), version: r.version } };
    case 'getData':
    case 'exists':
    case 'getChildren':
      return { f: r.op, value: { path: r.path, watch: r.watch } };
    case 'sync':
      return { f: 'sync', value: { path: r.path } };
    case 'multi':
      return { f: 'multi', value: { ops: r.ops.map(multiOp) } };
    case 'addWatch':
      return { f: 'addWatch', value: { path: r.path, mode: r.mode } };
    case 'removeWatches':
      return { f: 'removeWatches', value: { path: r.path, watcherType: r.watcherType } };
    case 'getEphemerals':
    case 'getAllChildrenNumber':
      return { f: r.op, value: { path: r.path } };
  }
}

type Stat = Record<string, number>;

/** A client completion in the trace's result shape. */
function traceResult(c: CompletionOutput, labelOf: (id: number) => string | null): Record<string, unknown> {
  const stat = (s: Stat) => ({
    czxid: s.czxid, mzxid: s.mzxid, pzxid: s.pzxid, version: s.version, cversion: s.cversion, aversion: s.aversion,
    ephemeralOwner: s.ephemeralOwner === 0 ? null : labelOf(s.ephemeralOwner!), dataLength: s.dataLength, numChildren: s.numChildren,
  });
  const multi = (v: unknown) =>
    (v as Array<{ ok: boolean; path?: string; stat?: Stat; error?: string }>).map((r) =>
      r.ok ? { ok: true, ...(r.path !== undefined ? { path: r.path } : {}), ...(r.stat ? { stat: stat(r.stat) } : {}) } : { ok: false, error: r.error },
    );
  // A failed multi is a success on the wire, with per-op errors.
  if (c.f === 'multi' && Array.isArray(c.value)) return { ok: true, results: multi(c.value) };
  if (c.type !== 'ok') return { ok: false, error: c.error };
  const v = c.value as Record<string, unknown> | null;
  switch (c.f) {
    case 'create':
      return { ok: true, path: v!.path, ...(v!.stat ? { stat: stat(v!.stat as Stat) } : {}) };
    case 'setData':
    case 'exists':
      return { ok: true, stat: v === null ? null : stat(v as Stat) };
    case 'getData': {
      const { data, ...s } = v as { data: string | null } & Stat;
      return { ok: true, data: data === null ? null : new TextEncoder().encode(data), stat: stat(s) };
    }
    case 'getChildren':
      return { ok: true, children: v!.children, stat: stat(v!.stat as Stat) };
    case 'getEphemerals':
      return { ok: true, paths: c.value };
    case 'getAllChildrenNumber':
      return { ok: true, count: c.value };
    default:
      return { ok: true };
  }
}

/** What the network replay found: records matched and the first differences. */
export interface NetworkReplayReport {
  matched: number;
  total: number;
  problems: string[];
}

/** Replays `trace` through clients over the simulated network. */
export function replayOverNetwork(trace: Trace, seed = 1): NetworkReplayReport {
  const w = new World(seed, { tickTimeMs: trace.meta.tickTime });
  const problems: string[] = [];
  const failed = new Set<number>();
  const expectedSeq = new Map<string, string[]>();
  const lineOfCompletion = new Map<string, number[]>();
  const fail = (r: TraceRecord, msg: string) => {
    failed.add(r.line);
    problems.push(`line ${r.line}: ${msg}`);
  };
  const labelOf = (id: number) => [...expectedSeq.keys()].find((l) => w.clientObject(l).session === id) ?? null;
  const push = (label: string, item: string) => expectedSeq.get(label)?.push(item);

  for (const r of trace.records) {
    if (r.kind === 'connect') {
      expectedSeq.set(r.session, []);
      lineOfCompletion.set(r.session, []);
      w.client(r.session, { sessionTimeoutMs: r.timeoutMs });
      w.run(5 * MS);
      const up = w.all(r.session).find((o) => o.type === 'state' && o.state === 'connected');
      const got = up?.type === 'state' ? { ok: true, timeoutMs: up.timeoutMs } : { ok: false };
      if (!matches(r.result, got)) fail(r, `expected ${JSON.stringify(r.result)}, got ${JSON.stringify(got)}`);
    } else if (r.kind === 'op' || r.kind === 'close') {
      push(r.session, `reply:${r.line}`);
      lineOfCompletion.get(r.session)!.push(r.line);
      const done = w.call(r.session, r.kind === 'op' ? commandOf(r) : { f: 'close', value: null });
      w.run(5 * MS);
      if (r.kind !== 'op') {
        if (done.type !== 'ok') fail(r, `close: ${done.type} ${done.error ?? ''}`);
        continue;
      }
      const got = traceResult(done, labelOf);
      if (!matches(r.result, got)) fail(r, `expected ${JSON.stringify(r.result)}, got ${JSON.stringify(got)}`);
    } else if (r.kind === 'event') {
      push(r.session, `event:${r.type}:${r.path}`);
    }
  }
  // Per session: notifications and replies interleaved exactly as in the trace.
  for (const [label, want] of expectedSeq) {
    const lines = [...lineOfCompletion.get(label)!];
    const got = w.all(label).flatMap((o) => (o.type === 'event' ? [`event:${o.event.type}:${o.event.path}`] : o.type === 'ok' || o.type === 'fail' || o.type === 'info' ? [`reply:${lines.shift()}`] : []));
    const at = want.findIndex((item, i) => got[i] !== item);
    if (at >= 0 || got.length !== want.length) {
      const i = at >= 0 ? at : Math.min(want.length, got.length);
      const line = Number(/(?:reply:)(\d+)/.exec(want.slice(i).find((x) => x.startsWith('reply:')) ?? '')?.[1] ?? 0);
      failed.add(line);
      problems.push(`session ${label}: item ${i}: expected ${want[i] ?? '(nothing)'}, got ${got[i] ?? '(nothing)'}`);
    }
  }
  return { matched: trace.records.length - failed.size, total: trace.records.length, problems };
}
