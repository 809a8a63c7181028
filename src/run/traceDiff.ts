import { decodeMulti } from '@msgpack/msgpack';
import type { TraceEvent, TraceKind } from '../sim/trace/traceEvent.ts';
import { CanonicalEncoder } from '../sim/trace/canonicalEncoder.ts';

/** The first place two traces disagree. `a` or `b` is undefined when one trace ended early. */
export interface TraceDivergence {
  index: number;
  a: TraceEvent | undefined;
  b: TraceEvent | undefined;
}

/** Decodes trace bytes into events. */
export function* readTrace(bytes: Uint8Array): Generator<TraceEvent> {
  let index = 0;
  for (const raw of decodeMulti(bytes)) {
    const [timeUs, kind, node, data] = raw as [number, TraceKind, string, unknown];
    yield { index: index++, timeUs, kind, node, data };
  }
}

/** Compares two traces event by event; returns the first divergence, or undefined when equal. */
export function firstDivergence(a: Uint8Array, b: Uint8Array): TraceDivergence | undefined {
  const enc = new CanonicalEncoder(1024);
  const ia = readTrace(a);
  const ib = readTrace(b);
  for (let index = 0; ; index++) {
    const ea = ia.next();
    const eb = ib.next();
    if (ea.done && eb.done) return undefined;
    if (ea.done || eb.done) return { index, a: ea.done ? undefined : ea.value, b: eb.done ? undefined : eb.value };
    const ba = Buffer.from(enc.encode([ea.value.timeUs, ea.value.kind, ea.value.node, ea.value.data]));
    const bb = enc.encode([eb.value.timeUs, eb.value.kind, eb.value.node, eb.value.data]);
    if (!ba.equals(bb)) return { index, a: ea.value, b: eb.value };
  }
}

/** A JSON.stringify replacer that shows byte arrays (txn data, snapshots) by their length. */
export function bytesAsLength(_key: string, v: unknown): unknown {
  return v instanceof Uint8Array ? `<${v.length} bytes>` : v;
}

/** One-line rendering of an event for divergence reports. */
export function describeEvent(e: TraceEvent | undefined): string {
  if (e === undefined) return '(trace ended)';
  return `#${e.index} t=${e.timeUs}µs ${e.node || '-'} ${e.kind} ${JSON.stringify(e.data, bytesAsLength)}`;
}
