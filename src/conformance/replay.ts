/**
 * Replays a conformance trace against the standalone server core and reports which records
 * match. Sessions are matched by label (the simulator assigns its own ids); each label has at
 * most one live connection. Events are matched in order per session: an event record is
 * paired with the next notification that session receives, and an event the trace places
 * before a session's own op must have arrived before that op's reply.
 *
 * Virtual time only moves on `sleep`. The replay ticks the server at every tick boundary it
 * crosses and at the end of the sleep, and after each tick pings every session that still has
 * a connection — as a live client's pings would — so only disconnected sessions expire.
 */
import { assert } from '../engine/assert.ts';
import { formatZxid } from '../engine/zxid.ts';
import type { ConnId, ServerEffect } from '../engine/server/effects.ts';
import { StandaloneServer } from '../engine/server/standaloneServer.ts';
import { sessionPassword } from '../engine/session/sessionId.ts';
import { matches, printable } from './compare.ts';
import { type Trace, TraceFormatError, type TraceOp, type TraceRecord } from './traceFormat.ts';
import { type GotResult, requestOf, traceResult } from './translate.ts';

/** One record whose simulated outcome differs from the trace. */
export interface Mismatch {
  line: number;
  expected: unknown;
  got: unknown;
}

/** Replay outcome: records matched over records replayed (meta excluded), and every mismatch. */
export interface ReplayReport {
  file: string;
  matched: number;
  total: number;
  /** The same counts per record kind (op, event, connect, close, disconnect, sleep). */
  byKind: Record<string, { matched: number; total: number }>;
  mismatches: Mismatch[];
}

interface SessionState {
  sessionId: number;
  connId: ConnId | null;
  xid: number;
}

interface ExpectedEvent {
  line: number;
  type: string;
  path: string;
}

/** The replay machine: one server, label ↔ session bookkeeping, per-session event queues. */
class Replayer {
  private readonly server: StandaloneServer;
  private readonly sessions = new Map<string, SessionState>();
  private readonly labelBySessionId = new Map<number, string>();
  private readonly labelByConn = new Map<ConnId, string>();
  private readonly expected = new Map<string, ExpectedEvent[]>();
  private readonly received = new Map<string, Array<{ type: string; path: string }>>();
  private readonly failedLines = new Set<number>();
  readonly mismatches: Mismatch[] = [];
  private nextConnId = 1;
  private nowMs = 0;

  constructor(private readonly trace: Trace) {
    this.server = new StandaloneServer({ tickTimeMs: trace.meta.tickTime });
  }

  run(): ReplayReport {
    for (const record of this.trace.records) this.replay(record);
    for (const label of [...this.expected.keys()].sort()) this.flushExpected(label, 'no such event arrived');
    for (const label of [...this.received.keys()].sort()) this.flushReceived(label, this.trace.records.at(-1)?.line ?? 0);
    const total = this.trace.records.length;
    const byKind: ReplayReport['byKind'] = {};
    for (const record of this.trace.records) {
      const counts = (byKind[record.kind] ??= { matched: 0, total: 0 });
      counts.total++;
      if (!this.failedLines.has(record.line)) counts.matched++;
    }
    return { file: this.trace.file, matched: total - this.failedLines.size, total, byKind, mismatches: this.mismatches };
  }

  private fail(line: number, expected: unknown, got: unknown): void {
    this.failedLines.add(line);
    this.mismatches.push({ line, expected, got: printable(got) });
  }

  private labelOf = (sessionId: number): string => this.labelBySessionId.get(sessionId) ?? formatZxid(sessionId);

  private session(record: TraceRecord & { session: string }): SessionState {
    const state = this.sessions.get(record.session);
    if (state === undefined) throw new TraceFormatError(this.trace.file, record.line, `session "${record.session}" used before its connect record`);
    return state;
  }

  private replay(record: TraceRecord): void {
    switch (record.kind) {
      case 'meta':
        return;
      case 'connect':
        return this.connect(record);
      case 'op':
        return this.op(record);
      case 'event':
        this.session(record);
        this.queue(this.expected, record.session).push({ line: record.line, type: record.type, path: record.path });
        return this.pair(record.session);
      case 'close':
        return this.close(record);
      case 'disconnect': {
        const state = this.session(record);
        if (state.connId !== null) {
          this.labelByConn.delete(state.connId);
          this.server.disconnect(state.connId);
          state.connId = null;
        }
        return;
      }
      case 'sleep':
        return this.sleep(record.ms);
    }
  }

  private connect(record: Extract<TraceRecord, { kind: 'connect' }>): void {
    const existing = this.sessions.get(record.session);
    const connId = this.nextConnId++;
    const passwd = record.password === 'wrong' ? new Uint8Array(16).fill(7) : existing ? sessionPassword(existing.sessionId) : undefined;
    const request = existing === undefined ? { timeoutMs: record.timeoutMs } : { sessionId: existing.sessionId, passwd, timeoutMs: record.timeoutMs };
    this.labelByConn.set(connId, record.session);
    const effects = this.server.connect(connId, request);
    let got: GotResult = { ok: false, error: 'CONNECTIONLOSS' };
    for (const effect of effects) {
      if (effect.type === 'connectResponse' && effect.connId === connId) {
        if (effect.sessionId === 0) {
          got = { ok: false, error: 'SESSIONEXPIRED' };
          continue;
        }
        got = { ok: true, timeoutMs: effect.timeoutMs };
        const state = existing ?? { sessionId: effect.sessionId, connId: null, xid: 1 };
        state.connId = connId;
        this.sessions.set(record.session, state);
        this.labelBySessionId.set(effect.sessionId, record.session);
      } else {
        this.consume(effect);
      }
    }
    if (!matches(record.result, got)) this.fail(record.line, record.result, got);
  }

  private op(record: TraceOp & { line: number }): void {
    const state = this.session(record);
    this.flushReceived(record.session, record.line);
    let got: GotResult = { ok: false, error: 'CONNECTIONLOSS' };
    if (state.connId !== null) {
      const connId = state.connId;
      const xid = state.xid++;
      let replied = false;
      for (const effect of this.server.request(connId, xid, requestOf(record))) {
        if (effect.type === 'reply' && effect.connId === connId && effect.xid === xid) {
          got = traceResult(record, effect.err, effect.result, this.labelOf);
          replied = true;
          // Events the trace places before this op were due before its reply.
          this.flushExpected(record.session, 'no event arrived before the reply');
        } else {
          this.consume(effect);
        }
      }
      if (!replied) this.flushExpected(record.session, 'no event arrived before the connection closed');
    }
    if (!matches(record.result, got)) this.fail(record.line, record.result, got);
  }

  private close(record: TraceRecord & { session: string }): void {
    const state = this.session(record);
    this.flushReceived(record.session, record.line);
    if (state.connId === null) return this.fail(record.line, 'closeSession on a live connection', 'no connection');
    const connId = state.connId;
    const xid = state.xid++;
    let ok = false;
    for (const effect of this.server.request(connId, xid, { op: 'closeSession' })) {
      if (effect.type === 'reply' && effect.connId === connId && effect.xid === xid) ok = effect.err === 0;
      else this.consume(effect);
    }
    if (!ok) this.fail(record.line, 'closeSession OK', 'closeSession failed');
  }

  private sleep(ms: number): void {
    const endMs = this.nowMs + ms;
    const tickMs = this.trace.meta.tickTime;
    while (this.nowMs < endMs) {
      this.nowMs = Math.min(endMs, (Math.floor(this.nowMs / tickMs) + 1) * tickMs);
      for (const effect of this.server.tick(this.nowMs)) this.consume(effect);
      for (const label of [...this.sessions.keys()].sort()) {
        const state = this.sessions.get(label)!;
        if (state.connId === null) continue;
        for (const effect of this.server.request(state.connId, -2, { op: 'ping' })) {
          if (effect.type !== 'reply') this.consume(effect);
        }
      }
    }
  }

  /** Handles an effect that is not the reply being waited for. */
  private consume(effect: ServerEffect): void {
    const label = this.labelByConn.get(effect.connId);
    if (effect.type === 'event') {
      assert(label !== undefined, `event for unknown connection ${String(effect.connId)}`);
      this.queue(this.received, label).push({ type: effect.event.type, path: effect.event.path });
      this.pair(label);
    } else if (effect.type === 'closeConnection') {
      this.labelByConn.delete(effect.connId);
      const state = label === undefined ? undefined : this.sessions.get(label);
      if (state !== undefined && state.connId === effect.connId) state.connId = null;
    }
  }

  private queue<T>(map: Map<string, T[]>, label: string): T[] {
    let queue = map.get(label);
    if (queue === undefined) {
      queue = [];
      map.set(label, queue);
    }
    return queue;
  }

  /** Pairs expected and received events of one session, in order. */
  private pair(label: string): void {
    const want = this.queue(this.expected, label);
    const have = this.queue(this.received, label);
    while (want.length > 0 && have.length > 0) {
      const e = want.shift()!;
      const g = have.shift()!;
      if (e.type !== g.type || e.path !== g.path) this.fail(e.line, { type: e.type, path: e.path }, g);
    }
  }

  private flushExpected(label: string, why: string): void {
    for (const e of this.expected.get(label)?.splice(0) ?? []) this.fail(e.line, { type: e.type, path: e.path }, why);
  }

  /** Events a session received that the trace never recorded before its next record. */
  private flushReceived(label: string, line: number): void {
    for (const g of this.received.get(label)?.splice(0) ?? []) this.fail(line, `no event for session ${label}`, { unexpectedEvent: g });
  }
}

/** Replays a parsed trace. Throws TraceFormatError for records that cannot be replayed. */
export function replayTrace(trace: Trace): ReplayReport {
  return new Replayer(trace).run();
}

/** The report as text: `matched/total`, then one line per mismatch. */
export function formatReport(report: ReplayReport): string {
  const kinds = Object.entries(report.byKind).map(([kind, c]) => `${kind} ${c.matched}/${c.total}`);
  const lines = [`${report.file}: ${report.matched}/${report.total} records match (${kinds.join(', ')})`];
  for (const m of report.mismatches) {
    lines.push(`  line ${m.line}: expected ${JSON.stringify(m.expected)}`);
    lines.push(`  ${' '.repeat(String(m.line).length + 5)}  got ${JSON.stringify(m.got)}`);
  }
  return lines.join('\n');
}
