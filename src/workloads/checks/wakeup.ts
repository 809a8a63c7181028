/**
 * No lost wake-up: a client waiting for its predecessor's znode to go (an exists watch set
 * while the node existed) must be woken when it goes. The workload audits each waiting client
 * after it stops issuing new work: the waiter itself syncs and asks `exists` on its predecessor
 * (without a watch). ZooKeeper promises a client sees a watch event before it sees the state
 * change that fired it — and after a reconnect, SetWatches fires NodeDeleted for a watched node
 * that is gone — so an `exists` that answers "no node" while the waiter has had no event is a
 * proven lost wake-up. Anything less (the audit could not reach the waiter, the run ended
 * before an audit round finished) is `unknown`, never a guess.
 */
import type { WorkloadCheck } from '../workload.ts';
import { checkResult, ms, type Violation } from './result.ts';

/** How one waiter's audit came out. */
export type WaiterOutcome =
  /** The predecessor still exists: waiting is right. */
  | 'present'
  /** The waiter was woken (or stopped waiting) before the audit's answer. */
  | 'woken'
  /** Its session ended (or the process restarted): it no longer waits. */
  | 'ended'
  /** The predecessor is gone and no event came: a lost wake-up. */
  | 'lost'
  /** The audit's request failed (connection loss): no answer. */
  | 'unreachable'
  /** No answer yet (the run ended first). */
  | 'pending';

export interface WaiterAudit {
  client: string;
  session: string;
  /** The predecessor znode it watched, and since when it waited. */
  predecessor: string;
  waitingSinceUs: number;
  outcome: WaiterOutcome;
  /** When the outcome was decided. */
  atUs?: number;
}

/** One audit round: every client waiting when it began. */
export interface AuditRound {
  atUs: number;
  waiters: WaiterAudit[];
}

/** Whether every waiter of the round has an answer. */
export function roundComplete(r: AuditRound): boolean {
  return r.waiters.every((w) => w.outcome !== 'pending');
}

/** The lost wake-ups of all rounds, as violations (one per wait, however many rounds saw it). */
export function lostWakeups(rounds: readonly AuditRound[], property = 'lost-wake-up'): Violation[] {
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const r of rounds) {
    for (const w of r.waiters) {
      const key = `${w.session} ${w.predecessor} ${w.waitingSinceUs}`;
      if (w.outcome !== 'lost' || seen.has(key)) continue;
      seen.add(key);
      out.push({
        property,
        message: `${w.client} (session ${w.session}) waited from ${ms(w.waitingSinceUs)} for ${w.predecessor}, which was gone at the audit (${ms(w.atUs ?? r.atUs)}), and was never notified`,
        witness: w,
      });
    }
  }
  return out;
}

/**
 * The check: illegal on any proven lost wake-up; otherwise decided by the last complete round
 * (ok if each of its waiters was answered), unknown when no round completed or the last complete
 * round could not reach a waiter.
 */
export function checkWakeups(name: string, rounds: readonly AuditRound[], firstAuditUs: number): WorkloadCheck {
  const violations = lostWakeups(rounds);
  if (violations.length > 0) return checkResult(name, violations);
  const complete = rounds.filter(roundComplete);
  const last = complete[complete.length - 1];
  if (last === undefined) {
    const silent = rounds[rounds.length - 1]?.waiters.filter((w) => w.outcome === 'pending').map((w) => `${w.client} (waiting for ${w.predecessor})`);
    const why = silent === undefined ? `the run ended before the first audit (${ms(firstAuditUs)})` : `no audit round got every answer before the run ended (the last had none from ${silent.join(', ')})`;
    return checkResult(name, [], why);
  }
  const unreachable = last.waiters.filter((w) => w.outcome === 'unreachable');
  if (unreachable.length > 0) {
    return checkResult(name, [], `the audit at ${ms(last.atUs)} could not reach ${unreachable.map((w) => `${w.client} (waiting for ${w.predecessor})`).join(', ')}`);
  }
  return checkResult(name, []);
}
