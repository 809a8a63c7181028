/**
 * Hand-written client histories for the recipe check tests: each `op` appends an invoke and
 * (unless pending) its completion, under a fresh process id, with the client, session and
 * reply zxid the real client would record; `factsOf` derives the session facts the driver
 * would have recorded from the same ops.
 */
import type { HistoryOp } from '../../src/checker/history/op.ts';
import { type SessionFacts, isSessionWrite } from '../../src/workloads/driver/sessionFacts.ts';

export interface OpSpec {
  client: string;
  session: string;
  f: string;
  value: unknown;
  type: 'ok' | 'fail' | 'info' | 'pending';
  out?: unknown;
  error?: string;
  zxid?: number;
  call: number;
  ret?: number;
}

export class HistoryBuilder {
  readonly ops: HistoryOp[] = [];
  private process = 0;

  op(s: OpSpec): this {
    const process = this.process++;
    const extra = { client: s.client, session: s.session };
    this.ops.push({ index: this.ops.length, type: 'invoke', process, f: s.f, value: s.value, time: s.call, ...extra });
    if (s.type === 'pending') return this;
    const done: HistoryOp = { index: this.ops.length, type: s.type, process, f: s.f, value: s.out ?? null, time: s.ret ?? s.call + 1, ...extra };
    if (s.error !== undefined) done.error = s.error;
    if (s.zxid !== undefined) done['zxid'] = s.zxid;
    this.ops.push(done);
    return this;
  }
}

/** Session facts from a history's ok writes; `ended` gives sessions that expired, and when. */
export function factsOf(history: readonly HistoryOp[], ended: Record<string, number> = {}): SessionFacts {
  const facts: SessionFacts = {};
  const invokes = new Map<number, HistoryOp>();
  for (const op of history) {
    const session = op['session'] as string;
    facts[session] ??= { session, client: op['client'] as string, states: [{ t: op.time, state: 'connected' }], writeOkInvokeUs: [] };
    if (op.type === 'invoke') invokes.set(op.process, op);
    else if (op.type === 'ok' && isSessionWrite(op.f)) facts[session].writeOkInvokeUs.push(invokes.get(op.process)!.time);
  }
  for (const [session, t] of Object.entries(ended)) {
    const rec = facts[session];
    if (rec === undefined) continue;
    rec.states.push({ t, state: 'expired' });
    rec.endUs = t;
    rec.endKind = 'expired';
  }
  for (const rec of Object.values(facts)) rec.writeOkInvokeUs.sort((a, b) => a - b);
  return facts;
}
