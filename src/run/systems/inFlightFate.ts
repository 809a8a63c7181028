/**
 * What became of a proposal a fault caught in flight ("crash the leader after its PROPOSAL
 * reached one follower, before any COMMIT"). ZAB allows exactly two fates: the txn reached the
 * log of the next leader and is committed in the new epoch, or it did not and is discarded
 * everywhere. The client that wrote it may only have seen `info` (its reply was lost) — or `ok`
 * if committed, `fail` if discarded; anything else is a violation. Which fate happened is
 * reported on the fault, so a scenario shows the window it hit and how ZAB resolved it.
 *
 * The txn is found through the PROPOSAL's payload (session and path), the client op as that
 * session's last write to that path invoked before the proposal: a workload runs one op at a
 * time per session, so there is exactly one candidate.
 */
import type { HistoryOp } from '../../checker/history/op.ts';
import type { ZabEvent } from '../../checker/zab/events.ts';
import type { FaultRecord } from '../../faults/record.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { CheckOutcome, CheckViolation } from '../system.ts';

interface Proposed {
  timeUs: number;
  session: string;
  type: string;
  path: string | undefined;
}

const TXN_F: Record<string, string> = { create: 'create', create2: 'create', createContainer: 'create', delete: 'delete', setData: 'setData', multi: 'multi', closeSession: 'close' };
const WRITE_F: ReadonlySet<string> = new Set(Object.values(TXN_F));
/** Proposals remembered (the oldest are forgotten; a fault names a recent one). */
const MAX_REMEMBERED = 50_000;

export class InFlightFate {
  private readonly proposals = new Map<number, Proposed>();

  constructor(sim: Simulation) {
    sim.trace.listen((timeUs, kind, _node, data) => {
      if (kind !== 'send') return;
      const msg = (data as unknown[])[3] as { type?: string; txn?: { zxid: number; sessionId: number; body: { type: string; path?: string } } } | null;
      if (msg?.type !== 'PROPOSAL' || msg.txn === undefined || this.proposals.has(msg.txn.zxid)) return;
      if (this.proposals.size >= MAX_REMEMBERED) this.proposals.delete(this.proposals.keys().next().value!);
      const t = msg.txn;
      this.proposals.set(t.zxid, { timeUs, session: `0x${t.sessionId.toString(16)}`, type: t.body.type, path: t.body.path });
    });
  }

  /**
   * Adds `detail.inFlight` to every fault fired by a proposal in flight, and judges the client's
   * outcome against the fate. Returns undefined when no fault caught a proposal.
   */
  explain(faults: FaultRecord[], zab: readonly ZabEvent[], history: readonly HistoryOp[]): CheckOutcome | undefined {
    const violations: CheckViolation[] = [];
    let caught = 0;
    let judged = 0;
    for (const f of faults) {
      const m = /PROPOSAL 0x([0-9a-f]+)/.exec(f.cause ?? '');
      if (!f.fired || m === null) continue;
      caught++;
      const zxid = parseInt(m[1]!, 16);
      const verdict = fateOf(zxid, zab);
      const p = this.proposals.get(zxid);
      const op = p === undefined ? undefined : clientOp(p, history);
      f.detail = {
        ...f.detail,
        inFlight: {
          zxid: `0x${zxid.toString(16)}`,
          ...verdict,
          ...(op !== undefined ? { clientOp: { index: op.index, process: op.process, f: op.f, outcome: op.type, ...(op.error !== undefined ? { error: op.error } : {}) } } : {}),
        },
      };
      const fate = verdict.fate;
      if (op === undefined) continue;
      judged++;
      // An error txn (a write that failed validation) commits as the client's failure.
      if (fate === 'committed' && op.type === 'fail' && p!.type !== 'error') {
        violations.push({ property: 'in-flight-fate', message: `txn 0x${zxid.toString(16)} was committed, but the client was told it failed (op #${op.index}, ${String(op.error)})`, witness: [op] });
      } else if (fate === 'discarded' && op.type === 'ok') {
        violations.push({ property: 'in-flight-fate', message: `txn 0x${zxid.toString(16)} was discarded everywhere, but the client was told it succeeded (op #${op.index})`, witness: [op] });
      }
    }
    if (caught === 0) return undefined;
    return { verdict: violations.length > 0 ? 'illegal' : 'ok', violations, note: `${judged} in-flight txn(s) matched to their client op` };
  }
}

/**
 * ZAB's rule: a txn of epoch e is committed iff it is in the history of the first leader
 * established in a later epoch (that leader syncs its whole log to its quorum); otherwise every
 * later leader descends from a history without it. Logs are followed through `log`, `truncate`,
 * SNAP and disk-loss events up to that establishment.
 */
function fateOf(zxid: number, zab: readonly ZabEvent[]): { fate: 'committed' | 'discarded' | 'undecided'; by?: string; epoch?: number; atMs?: number } {
  const epoch = Math.floor(zxid / 2 ** 32);
  const has = new Map<string, boolean>();
  for (const e of zab) {
    if (e.kind === 'log' && e.zxid === zxid) has.set(e.node, true);
    else if (e.kind === 'truncate' && e.toZxid < zxid) has.set(e.node, false);
    else if ((e.kind === 'syncSnap' || e.kind === 'diskLoss') && e.node !== undefined) has.set(e.node, false);
    else if (e.kind === 'establish' && e.epoch > epoch) {
      return { fate: has.get(e.node) === true ? 'committed' : 'discarded', by: e.node, epoch: e.epoch, atMs: (e.atUs ?? 0) / 1000 };
    }
  }
  return { fate: 'undecided' };
}

/** The completion of the session's last write to the path invoked before the proposal. */
function clientOp(p: Proposed, history: readonly HistoryOp[]): HistoryOp | undefined {
  const f = TXN_F[p.type];
  let invoke: HistoryOp | undefined;
  for (const op of history) {
    if (op.time > p.timeUs) break;
    if (op.type !== 'invoke' || op.session !== p.session) continue;
    if (f !== undefined ? op.f !== f : !WRITE_F.has(op.f)) continue;
    const path = (op.value as { path?: string } | null)?.path;
    if (p.path === undefined || path === p.path) invoke = op;
  }
  if (invoke === undefined) return undefined;
  return history.find((o) => o.index > invoke!.index && o.process === invoke!.process && o.type !== 'invoke');
}
