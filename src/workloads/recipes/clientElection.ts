/**
 * The election workload (kind `election`): ZooKeeper's leader-election recipe among the
 * clients. Every client is a candidate in a {@link SequentialLine} under `/election` (lowest
 * node leads, the others watch their predecessor). A new leader announces itself by writing its
 * name to the persistent `/election-leader`. Before `stopAtUs` a leader resigns after a drawn
 * term (deletes its node) and rejoins after a pause, so leadership moves around; after it,
 * leaders stay, and candidates whose attempt failed still rejoin, so the election can settle.
 *
 * Checks:
 * - `single-leader`: no two clients believed they led at once while both sessions were provably
 *   alive (`checks/exclusion.ts`);
 * - `leader-liveness`: in the audits after the stop, some client leads and proves it is alive
 *   (its write to `/election-leader` completes ok while it still leads). The last round that got
 *   every answer decides: ok with a proven leader; illegal when a candidate's predecessor is
 *   gone and it was never woken (the line is stuck: `checks/wakeup.ts`); unknown otherwise —
 *   a leader may legitimately be missing while a crashed leader's session has yet to expire.
 */
import { z } from 'zod';
import { checkExclusion } from '../checks/exclusion.ts';
import { checkResult, ms } from '../checks/result.ts';
import { type AuditRound, lostWakeups, roundComplete } from '../checks/wakeup.ts';
import { ClientDriver } from '../driver/clientDriver.ts';
import type { WorkloadCheck, WorkloadContext, WorkloadDefinition } from '../workload.ts';
import { auditParams, drawAroundUs, firstAuditUs, scheduleAudits } from './recipeTiming.ts';
import { SequentialLine } from './sequentialLine.ts';

export const ELECTION_PATH = '/election';
export const LEADER_PATH = '/election-leader';

const params = z.strictObject({
  /** Mean time a leader leads before resigning (only before the stop). */
  termMs: z.number().positive().default(300),
  /** Mean pause before a candidate (re)joins the election. */
  rejoinMs: z.number().positive().default(50),
  /** Pause before retrying a failed request. */
  retryMs: z.number().positive().default(50),
  ...auditParams,
  /** TEST-ONLY MUTATION: lead right after creating the node, without checking to be lowest. */
  unsafeSkipLowestCheck: z.boolean().default(false),
  /** TEST-ONLY MUTATION: look at the predecessor without a watch, so a resignation wakes no one. */
  unsafeNoWatch: z.boolean().default(false),
});
export type ElectionParams = z.infer<typeof params>;

/** One leader's liveness audit: does it still lead when its write comes back ok? */
interface LeaderAudit {
  client: string;
  session: string;
  outcome: 'pending' | 'leads' | 'stepped-down' | 'unreachable' | 'ended';
}

interface LivenessRound {
  atUs: number;
  leaders: LeaderAudit[];
  waiters: AuditRound;
}

export const electionWorkload: WorkloadDefinition<ElectionParams> = {
  name: 'election',
  parseParams: (raw) => params.parse(raw ?? {}),
  start(ctx, p) {
    const d = new ClientDriver(ctx);
    const rounds: LivenessRound[] = [];

    const joinLater = (client: string) => d.after(drawAroundUs(ctx, p.rejoinMs), () => line.enter(client));
    const begin = (client: string) => {
      line.ensureParent(client);
      d.call(client, { f: 'create', value: { path: LEADER_PATH, data: '', mode: 'PERSISTENT' } });
      joinLater(client);
    };

    const line: SequentialLine = new SequentialLine(d, {
      parent: ELECTION_PATH,
      retryUs: Math.round(p.retryMs * 1000),
      skipLowestCheck: p.unsafeSkipLowestCheck,
      noWatch: p.unsafeNoWatch,
      onTurn(client) {
        const term = line.turnOf(client);
        d.call(client, { f: 'setData', value: { path: LEADER_PATH, data: client } });
        if (ctx.nowUs() >= ctx.stopAtUs) return;
        d.after(drawAroundUs(ctx, p.termMs), () => {
          if (term !== undefined && line.turnOf(client) === term && ctx.nowUs() < ctx.stopAtUs) line.leave(client);
        });
      },
      onOut(client, why) {
        if (why === 'restarted') begin(client);
        else joinLater(client);
      },
    });

    const pendingLeaderAudits = new Map<string, LeaderAudit[]>();
    d.onState((client, change) => {
      if (change !== 'expired' && change !== 'closed' && change !== 'restarted') return;
      for (const a of pendingLeaderAudits.get(client) ?? []) if (a.outcome === 'pending') a.outcome = 'ended';
      pendingLeaderAudits.delete(client);
    });

    const auditRound = () => {
      const round: LivenessRound = { atUs: ctx.nowUs(), leaders: [], waiters: line.auditWaiters() };
      for (const client of ctx.clients) {
        const term = line.turnOf(client);
        if (term === undefined) continue;
        const a: LeaderAudit = { client, session: term.session, outcome: 'pending' };
        round.leaders.push(a);
        if (!d.connected(client)) {
          a.outcome = 'unreachable';
          continue;
        }
        pendingLeaderAudits.set(client, [...(pendingLeaderAudits.get(client) ?? []), a]);
        d.call(client, { f: 'setData', value: { path: LEADER_PATH, data: client } }, (r) => {
          if (a.outcome !== 'pending') return;
          a.outcome = line.turnOf(client) !== term ? 'stepped-down' : r.type === 'ok' ? 'leads' : 'unreachable';
        });
      }
      rounds.push(round);
    };

    for (const c of ctx.clients) begin(c);
    scheduleAudits(ctx, p, auditRound);

    return {
      finish: () => [
        checkExclusion('single-leader', line.holds, d.facts, { property: 'single-leader', role: 'believed they led' }),
        livenessCheck(rounds, ctx, p, (c) => d.ended(c)),
      ],
    };
  },
};

function livenessCheck(rounds: readonly LivenessRound[], ctx: WorkloadContext, p: ElectionParams, ended: (c: string) => boolean): WorkloadCheck {
  const name = 'leader-liveness';
  const stuck = lostWakeups(rounds.map((r) => r.waiters));
  const complete = rounds.filter((r) => r.leaders.every((a) => a.outcome !== 'pending') && roundComplete(r.waiters));
  const last = complete[complete.length - 1];
  if (last === undefined) {
    const latest = rounds[rounds.length - 1];
    const why = latest === undefined ? `the run ended before the first audit (${ms(firstAuditUs(ctx, p))})` : `no audit round got every answer before the run ended; the last: ${describeRound(latest)}`;
    return checkResult(name, stuck, why);
  }
  if (last.leaders.some((a) => a.outcome === 'leads') || stuck.length > 0) return checkResult(name, stuck);
  if (ctx.clients.every(ended)) return checkResult(name, [], 'every client session had ended by the end of the run: no live candidate');
  return checkResult(name, [], `no client was proven to lead at the audit of ${describeRound(last)}; a leaderless line is legal while a crashed or cut-off predecessor's session has not expired`);
}

/** A round in one line: who believed it led and what each waiter's audit found. */
function describeRound(r: LivenessRound): string {
  const leaders = r.leaders.map((a) => `${a.client} leads? ${a.outcome}`);
  const waiters = r.waiters.waiters.map((w) => `${w.client} waits for ${w.predecessor} (${w.outcome})`);
  return [ms(r.atUs), ...leaders, ...waiters].join('; ');
}
