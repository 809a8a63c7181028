/**
 * Turns a run's trace into the ZAB checker's event vocabulary (src/checker/zab/events.ts): the
 * engine's `proto` events (`established`, `propose`, and the `zab` family: log, commit, apply,
 * truncate, snapshotLoad, syncSnap, recover), the kernel's crash / restart / disk wipe, and
 * client acknowledgements. Each event keeps its index in the trace so a violation points back
 * at the run. {@link ZabEventLog} does it live while a run traces; {@link zabEventsFromTrace}
 * does it afterwards, from a run directory's trace.msgpack and history, with the same mapping.
 */
import type { HistoryOp } from '../../checker/history/op.ts';
import type { ZabEvent } from '../../checker/zab/events.ts';
import { asZabProtoEvent } from '../../engine/zab/protoEvent.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { readTrace } from '../traceDiff.ts';

/** The ZAB event a server's trace event stands for, if any. */
export function zabEventOf(eventIndex: number, atUs: number, kind: string, node: string, data: unknown): ZabEvent | undefined {
  const base = { eventIndex, atUs };
  if (kind === 'crash') return { ...base, kind: 'crash', node };
  if (kind === 'restart') return { ...base, kind: 'restart', node };
  if (kind === 'disk') return Array.isArray(data) && data[0] === 'wipe' ? { ...base, kind: 'diskLoss', node } : undefined;
  if (kind !== 'proto') return undefined;
  const p = asZabProtoEvent(data);
  if (p === undefined) return undefined;
  if (p.ev === 'established') return { ...base, kind: 'establish', node, epoch: p.epoch };
  if (p.ev === 'propose') return { ...base, kind: 'propose', node, epoch: p.epoch, zxid: p.zxid, digest: p.digest };
  if (p.ev !== 'zab') return undefined;
  if (p.kind === 'log' || p.kind === 'apply') return { ...base, kind: p.kind, node, zxid: p.zxid, digest: p.digest };
  if (p.kind === 'commit') return { ...base, kind: 'commit', node, zxid: p.zxid };
  if (p.kind === 'truncate') return { ...base, kind: 'truncate', node, toZxid: p.toZxid };
  return { ...base, kind: p.kind, node, zxid: p.zxid };
}

/** A completed op the ZAB checker holds the cluster to: a write acknowledged with its zxid. */
export function isAckedWrite(op: { type: string; f?: string; zxid?: unknown }): op is { type: 'ok'; f: string; zxid: number } {
  return op.type === 'ok' && typeof op.zxid === 'number' && op.f !== undefined && ACKED_WRITES.has(op.f);
}

const ACKED_WRITES: ReadonlySet<string> = new Set(['create', 'delete', 'setData', 'multi']);

/** Collects a running simulation's ZAB events as they are traced. */
export class ZabEventLog {
  readonly events: ZabEvent[] = [];

  constructor(
    private readonly sim: Simulation,
    isServer: (node: string) => boolean,
  ) {
    sim.trace.listen((timeUs, kind, node, data) => {
      if (!isServer(node)) return;
      const e = zabEventOf(sim.trace.count - 1, timeUs, kind, node, data);
      if (e !== undefined) this.events.push(e);
    });
  }

  /** A write with txn `zxid` was acknowledged to a client (call right after its completion is traced). */
  clientAck(zxid: number, server?: string): void {
    this.events.push({ eventIndex: this.sim.trace.count - 1, atUs: this.sim.nowUs, kind: 'clientAck', zxid, ...(server !== undefined ? { node: server } : {}) });
  }
}

/**
 * The ZAB events of a recorded run: its trace (trace.msgpack) and, for client acknowledgements,
 * its history (history.jsonl): the trace records each completion in history order, so the n-th
 * traced completion is the n-th completed op of the history, which carries the zxid and server.
 */
export function zabEventsFromTrace(trace: Uint8Array, isServer: (node: string) => boolean, history: readonly HistoryOp[] = []): ZabEvent[] {
  const events: ZabEvent[] = [];
  const completions = history.filter((op) => op.type !== 'invoke');
  let completed = 0;
  for (const e of readTrace(trace)) {
    if (e.kind === 'complete') {
      const op = completions[completed++];
      if (op !== undefined && isAckedWrite(op)) events.push({ eventIndex: e.index, atUs: e.timeUs, kind: 'clientAck', zxid: op.zxid, ...(typeof op.server === 'string' ? { node: op.server } : {}) });
      continue;
    }
    if (!isServer(e.node)) continue;
    const z = zabEventOf(e.index, e.timeUs, e.kind, e.node, e.data);
    if (z !== undefined) events.push(z);
  }
  return events;
}
