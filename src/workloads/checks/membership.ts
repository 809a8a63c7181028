/**
 * Service-registry membership: at the end of the run, the children of the registry znode — as a
 * watcher's final `sync` + `getChildren` shows them, and as the watcher's watch-driven view shows
 * them — must be exactly the nodes of the live member sessions. With session semantics:
 *
 * - a name **must be listed** when one of its sessions had its ephemeral created before the
 *   audit's sync was invoked (tS) and is provably alive when the listing came back (tF: a write
 *   invoked at or after tF completed ok) — members never delete their node, so only expiry or
 *   close could have removed it, and both are excluded;
 * - a name **must not be listed** when every session that may have created it (any create
 *   sent) had its closeSession acknowledged before tS (its ephemerals were deleted by a
 *   committed txn that the synced read sees);
 * - otherwise the name is undecided: the listing is accepted if it matches what the clients'
 *   reports suggest (listed iff the client's latest session was neither reported ended nor cut
 *   off for longer than its timeout), and otherwise the verdict
 *   is unknown — an expired session's node may linger until its closeSession commits, and a
 *   silent session may have expired;
 * - the watcher's view must equal the final listing when it had no notification pending:
 *   ZooKeeper delivers a watch event before any later reply on the same session, so a change
 *   after the view's read would have been announced first.
 *
 * Also, a member's own ephemeral must not vanish while its session is provably alive.
 */
import { type SessionFacts, type SessionRecord, signOfLife } from '../driver/sessionFacts.ts';
import type { WorkloadCheck } from '../workload.ts';
import { checkResult, ms, type Violation } from './result.ts';

/** What one member session did with its registration. */
export interface SessionRegistration {
  client: string;
  session: string;
  /**
   * When its current ephemeral became provably its own (create ok, or an exists showing it as
   * owner); cleared when that node vanished.
   */
  createdUs?: number;
  /** When its closeSession came back ok. */
  closeOkUs?: number;
  /**
   * When it learned its own node was gone while registered (a NodeDeleted event arrived, or a
   * heartbeat's NONODE came back): the deletion happened at or before that time.
   */
  vanishedUs: number[];
}

/** One watcher's part of an audit round. */
export interface WatcherAudit {
  watcher: string;
  session: string;
  outcome: 'pending' | 'listed' | 'unreachable' | 'ended';
  /** When the sync was invoked and when the final listing came back. */
  syncUs: number;
  listedUs?: number;
  children?: string[];
  /** The watcher's view when the listing came back, and whether no notification was pending. */
  view?: string[];
  settled?: boolean;
}

export interface MembershipRound {
  atUs: number;
  watchers: WatcherAudit[];
  /** Member audit writes not yet answered (the round is complete at 0). */
  pendingWrites: number;
}

export interface MembershipInput {
  /** Client names that may register. */
  members: readonly string[];
  /** One per member session, in the order the sessions began. */
  registrations: readonly SessionRegistration[];
  rounds: readonly MembershipRound[];
  facts: SessionFacts;
  /** Negotiated session timeouts (ms) by session, as the clients reported them on connect. */
  sessionTimeoutMs?: Record<string, number>;
  firstAuditUs: number;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const fmt = (xs: readonly string[]) => `[${[...xs].sort().join(', ')}]`;

/** One watcher listing judged name by name; violations and reasons for not deciding. */
function judgeListing(a: WatcherAudit, input: MembershipInput, out: Map<string, Violation>, undecided: string[]): void {
  const listed = new Set(a.children ?? []);
  const tS = a.syncUs;
  const tF = a.listedUs!;
  const names = [...new Set([...input.members, ...listed])].sort();
  for (const name of names) {
    const regs = input.registrations.filter((r) => r.client === name);
    const alive = regs.find((r) => r.createdUs !== undefined && r.createdUs < tS && signOfLife(input.facts[r.session], tF) !== undefined);
    const allClosed = regs.every((r) => r.closeOkUs !== undefined && r.closeOkUs < tS);
    const isListed = listed.has(name);
    if (alive !== undefined && !isListed) {
      const life = signOfLife(input.facts[alive.session], tF)!;
      add(out, `missing ${name}`, {
        property: 'membership',
        message: `${a.watcher}'s listing at ${ms(tF)} lacks ${name}, whose session ${alive.session} created it at ${ms(alive.createdUs!)} and was provably alive then (a write invoked at ${ms(life)} completed ok)`,
        witness: { audit: a, registration: alive },
      });
    } else if (alive === undefined && allClosed && isListed) {
      add(out, `extra ${name}`, {
        property: 'membership',
        message:
          regs.length === 0
            ? `${a.watcher}'s listing at ${ms(tF)} has ${name}, which no session ever tried to create`
            : `${a.watcher}'s listing at ${ms(tF)} has ${name}, though every session that may have created it had closed before the sync at ${ms(tS)}`,
        witness: { audit: a, registrations: regs },
      });
    } else if (alive === undefined && !allClosed) {
      // Only the client's latest session can still be live: a restart means the process that
      // held an earlier one is gone, so that session will expire.
      const latest = regs[regs.length - 1];
      const likely = latest !== undefined && likelyLive(input.facts[latest.session], input.sessionTimeoutMs?.[latest.session], tF);
      if (likely !== isListed) {
        undecided.push(`${name} is ${isListed ? 'listed though its sessions were reported ended, replaced or cut off past their timeout' : 'not listed though its latest session seemed live'} (${a.watcher} at ${ms(tF)})`);
      }
    }
  }
  if (a.settled && a.view !== undefined && !sameSet(a.view, a.children ?? [])) {
    add(out, `view ${a.watcher} ${a.session}`, {
      property: 'watcher-view',
      message: `${a.watcher}'s view ${fmt(a.view)} differs from its own later listing ${fmt(a.children ?? [])} at ${ms(tF)}, with no notification pending`,
      witness: { audit: a },
    });
  }
}

/** Whether a session looks live at `t`: not reported ended, and not disconnected for its whole timeout. */
function likelyLive(rec: SessionRecord | undefined, timeoutMs: number | undefined, t: number): boolean {
  if (rec === undefined || (rec.endUs !== undefined && rec.endUs <= t)) return false;
  const last = rec.states.filter((s) => s.t <= t).pop();
  return !(last?.state === 'disconnected' && timeoutMs !== undefined && t - last.t >= timeoutMs * 1000);
}

function add(out: Map<string, Violation>, key: string, v: Violation): void {
  if (!out.has(key)) out.set(key, v);
}

/** The membership check over every complete audit round; the last complete round decides. */
export function checkMembership(name: string, input: MembershipInput): WorkloadCheck {
  const violations = new Map<string, Violation>();
  for (const r of input.registrations) {
    for (const t of r.vanishedUs) {
      const life = signOfLife(input.facts[r.session], t);
      if (life === undefined) continue;
      add(violations, `vanished ${r.session} ${t}`, {
        property: 'ephemeral-kept',
        message: `${r.client}'s own node was gone at ${ms(t)} although its session ${r.session} was provably alive (a write invoked at ${ms(life)} completed ok)`,
        witness: { registration: r },
      });
    }
  }
  const complete = input.rounds.filter((r) => r.pendingWrites === 0 && r.watchers.every((w) => w.outcome !== 'pending'));
  let undecided: string[] = [];
  for (const round of complete) {
    undecided = [];
    for (const a of round.watchers) {
      if (a.outcome === 'listed') {
        judgeListing(a, input, violations, undecided);
        if (!a.settled) undecided.push(`${a.watcher} had a notification pending at ${ms(a.listedUs!)}`);
      } else {
        undecided.push(`${a.watcher}: ${a.outcome === 'ended' ? 'its session ended' : 'the audit could not reach it'}`);
      }
    }
    if (round.watchers.length === 0) undecided.push('no watcher');
  }
  if (violations.size > 0) return checkResult(name, [...violations.values()]);
  if (complete.length === 0) {
    return checkResult(name, [], input.rounds.length === 0 ? `the run ended before the first audit (${ms(input.firstAuditUs)})` : 'no audit round got every answer before the run ended');
  }
  return checkResult(name, [], undecided.length > 0 ? `at the last complete audit: ${undecided.join('; ')}` : undefined);
}
