/**
 * Triggers on protocol phases, client operations, session events and raw protocol events. Each
 * is one predicate over one trace event: phases read the engine's `proto` events (and the send of
 * NEWLEADER), client operations the `invoke`/`complete` history events, sessions the clients'
 * state events and the leader's createSession/closeSession proposals.
 */
import type { ClientProtoEvent } from '../../client/protoEvent.ts';
import { asZabProtoEvent, type ZabProtoEvent } from '../../engine/zab/protoEvent.ts';
import type { TraceKind } from '../../sim/trace/traceEvent.ts';
import type { EventCondition, PhaseName } from '../spec.ts';
import { matchesTarget, type TargetWorld } from '../targets.ts';
import { messageInfo, type EventMatcher } from './matcher.ts';

/** A client's session event in a `proto` trace record, or undefined for a server's event. */
const asClientEvent = (d: unknown): ClientProtoEvent | undefined =>
  typeof d === 'object' && d !== null && typeof (d as { client?: unknown }).client === 'string' ? (d as ClientProtoEvent) : undefined;

/** Matches a protocol phase at a node (and, for sync phases and NEWLEADER, a peer). */
export function phaseMatcher(c: Extract<EventCondition, { phase: PhaseName }>, w: TargetWorld): EventMatcher {
  const nodeOk = (n: string) => c.node === undefined || matchesTarget(n, c.node, w);
  const peerOk = (p: string | undefined) => c.peer === undefined || (p !== undefined && matchesTarget(p, c.peer, w));
  if (c.phase === 'NEWLEADER') {
    return {
      kinds: ['send'],
      observe(_k, node, data) {
        const d = data as unknown[];
        if (messageInfo(d[3])?.type !== 'NEWLEADER' || !nodeOk(node) || !peerOk(d[1] as string)) return undefined;
        return `NEWLEADER ${node}→${String(d[1])}`;
      },
    };
  }
  const test = PHASE_TESTS[c.phase];
  return {
    kinds: ['proto'],
    observe(_k, node, data) {
      const ev = asZabProtoEvent(data);
      if (ev === undefined || !test(ev) || !nodeOk(node)) return undefined;
      const peer = ev.ev === 'sync' || ev.ev === 'learner-lost' ? `n${ev.sid}` : undefined;
      if (!peerOk(peer)) return undefined;
      return `${c.phase} at ${node}${peer !== undefined && isSync(c.phase) ? ` for ${peer}` : ''}`;
    },
  };
}

const isSync = (p: PhaseName) => p === 'SYNC' || p === 'DIFF' || p === 'TRUNC' || p === 'SNAP';

const PHASE_TESTS: Record<Exclude<PhaseName, 'NEWLEADER'>, (ev: ZabProtoEvent) => boolean> = {
  LOOKING: (ev) => ev.ev === 'state' && ev.state === 'LOOKING',
  LEADING: (ev) => ev.ev === 'decided' && ev.state === 'LEADING',
  FOLLOWING: (ev) => ev.ev === 'decided' && ev.state === 'FOLLOWING',
  OBSERVING: (ev) => ev.ev === 'decided' && ev.state === 'OBSERVING',
  DISCOVERY: (ev) => ev.ev === 'epoch-proposed',
  SYNC: (ev) => ev.ev === 'sync',
  DIFF: (ev) => ev.ev === 'sync' && ev.mode === 'DIFF',
  TRUNC: (ev) => ev.ev === 'sync' && ev.mode === 'TRUNC',
  SNAP: (ev) => ev.ev === 'sync' && ev.mode === 'SNAP',
  ESTABLISHED: (ev) => ev.ev === 'established',
  SERVING: (ev) => ev.ev === 'serving',
};

/** Matches a client history event: invoke, or a completion of one type (or any: `complete`). */
export function opMatcher(c: Extract<EventCondition, { op: string }>, w: TargetWorld): EventMatcher {
  return {
    kinds: ['invoke', 'complete'],
    observe(kind, node, data) {
      const d = data as unknown[];
      let f: unknown;
      let error: unknown = null;
      let type: string;
      if (kind === 'invoke') {
        if (c.op !== 'invoke') return undefined;
        [, f] = d;
        type = 'invoke';
      } else {
        type = String(d[1]);
        if (c.op !== 'complete' && c.op !== type) return undefined;
        f = d[2];
        error = d[4] ?? null;
      }
      if (c.f !== undefined && f !== c.f) return undefined;
      if (c.error !== undefined && error !== c.error) return undefined;
      if (c.client !== undefined && !matchesTarget(node, c.client, w)) return undefined;
      return `${type} ${String(f)} by ${node}${error !== null ? ` (${String(error)})` : ''}`;
    },
  };
}

/** Matches a session event at a client, or a session proposal at the leader. */
export function sessionMatcher(c: Extract<EventCondition, { session: string }>, w: TargetWorld): EventMatcher {
  const txnType = c.session === 'created' ? 'createSession' : c.session === 'closing' ? 'closeSession' : undefined;
  return {
    kinds: ['proto'],
    observe(_k, node, data) {
      if (txnType !== undefined) {
        const ev = asZabProtoEvent(data);
        return ev?.ev === 'propose' && ev.type === txnType ? `${txnType} proposed by ${node}` : undefined;
      }
      const ev = asClientEvent(data);
      if (ev === undefined || ev.client !== c.session) return undefined;
      if (c.client !== undefined && !matchesTarget(node, c.client, w)) return undefined;
      return `session ${c.session} at ${node}${typeof ev.session === 'string' ? ` (${ev.session})` : ''}`;
    },
  };
}

/** Matches any protocol event by its `ev` name and field values. */
export function protoMatcher(c: Extract<EventCondition, { proto: string }>, w: TargetWorld): EventMatcher {
  const match = Object.entries(c.match ?? {});
  return {
    kinds: ['proto'],
    observe(_k, node, data) {
      const ev = asZabProtoEvent(data);
      // Field values are matched by name: `match` comes from the scenario, checked at load.
      if (ev === undefined || ev.ev !== c.proto || match.some(([k, v]) => (ev as Readonly<Record<string, unknown>>)[k] !== v)) return undefined;
      if (c.node !== undefined && !matchesTarget(node, c.node, w)) return undefined;
      return `${c.proto} at ${node}`;
    },
  };
}
