/** The shape every trigger condition compiles to. */
import type { TraceKind } from '../../sim/trace/traceEvent.ts';

/**
 * Watches trace events for one condition. `observe` is called for every event of `kinds`, in
 * trace order, after the role view has seen it; it returns a short description of the event when
 * the condition holds right there (the trigger then fires inside that event), else undefined.
 */
export interface EventMatcher {
  readonly kinds: readonly TraceKind[];
  observe(kind: TraceKind, node: string, data: unknown): string | undefined;
}

/** A payload's message type (`type` for server packets, `t` for the client wire) and zxid. */
export function messageInfo(payload: unknown): { type: string; zxid: number | undefined } | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as { type?: unknown; t?: unknown; zxid?: unknown; txn?: { zxid?: unknown } | null };
  const type = typeof p.type === 'string' ? p.type : typeof p.t === 'string' ? p.t : undefined;
  if (type === undefined) return undefined;
  const zxid = typeof p.zxid === 'number' ? p.zxid : typeof p.txn?.zxid === 'number' ? p.txn.zxid : undefined;
  return { type, zxid };
}

/** A zxid as ZooKeeper prints it. */
export function hexZxid(zxid: number): string {
  return `0x${zxid.toString(16)}`;
}
