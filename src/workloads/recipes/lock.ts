/**
 * The lock workload (kind `lock`): ZooKeeper's distributed-lock recipe. Each client repeatedly
 * takes the lock under `/lock` through a {@link SequentialLine} (create EPHEMERAL_SEQUENTIAL
 * `/lock/<client>.<attempt>-`, list, hold if lowest, else watch the predecessor), holds it for a
 * drawn time — writing its name to the protected persistent znode `/lock-resource` meanwhile,
 * if enabled — and releases it by deleting its node, then thinks and tries again. At
 * `stopAtUs` it starts no new attempt; attempts under way run to their end.
 *
 * Checks:
 * - `mutual-exclusion`: no two clients held the lock at once while both sessions were provably
 *   alive (`checks/exclusion.ts`);
 * - `no-lost-wakeup`: at the audits after the stop, no waiting client's predecessor was gone
 *   without the client being notified (`checks/wakeup.ts`).
 */
import { z } from 'zod';
import { checkExclusion } from '../checks/exclusion.ts';
import { type AuditRound, checkWakeups } from '../checks/wakeup.ts';
import { ClientDriver } from '../driver/clientDriver.ts';
import type { WorkloadDefinition } from '../workload.ts';
import { auditParams, drawAroundUs, firstAuditUs, scheduleAudits } from './recipeTiming.ts';
import { SequentialLine } from './sequentialLine.ts';

export const LOCK_PATH = '/lock';
export const LOCK_RESOURCE_PATH = '/lock-resource';

const params = z.strictObject({
  /** Mean time a client holds the lock. */
  holdMs: z.number().positive().default(20),
  /** Mean pause between a release (or a failed attempt) and the next attempt. */
  thinkMs: z.number().positive().default(20),
  /** Whether a holder writes to `/lock-resource` while it holds the lock. */
  writeWhileHolding: z.boolean().default(true),
  /** Pause before retrying a failed request. */
  retryMs: z.number().positive().default(50),
  ...auditParams,
  /** TEST-ONLY MUTATION: take the lock right after creating the node, without checking to be lowest. */
  unsafeSkipLowestCheck: z.boolean().default(false),
  /** TEST-ONLY MUTATION: look at the predecessor without a watch, so waiters are never woken. */
  unsafeNoWatch: z.boolean().default(false),
});
export type LockParams = z.infer<typeof params>;

export const lockWorkload: WorkloadDefinition<LockParams> = {
  name: 'lock',
  parseParams: (raw) => params.parse(raw ?? {}),
  start(ctx, p) {
    const d = new ClientDriver(ctx);
    const rounds: AuditRound[] = [];

    const attemptLater = (client: string) => {
      if (ctx.nowUs() >= ctx.stopAtUs) return;
      d.after(drawAroundUs(ctx, p.thinkMs), () => {
        if (ctx.nowUs() < ctx.stopAtUs) line.enter(client);
      });
    };
    const begin = (client: string) => {
      line.ensureParent(client);
      d.call(client, { f: 'create', value: { path: LOCK_RESOURCE_PATH, data: '', mode: 'PERSISTENT' } });
      attemptLater(client);
    };

    const line: SequentialLine = new SequentialLine(d, {
      parent: LOCK_PATH,
      retryUs: Math.round(p.retryMs * 1000),
      skipLowestCheck: p.unsafeSkipLowestCheck,
      noWatch: p.unsafeNoWatch,
      onTurn(client) {
        const hold = line.turnOf(client);
        if (p.writeWhileHolding) d.call(client, { f: 'setData', value: { path: LOCK_RESOURCE_PATH, data: `${client} ${hold?.node}` } });
        // Release this very hold: a later one (after a restart) has its own timer.
        d.after(drawAroundUs(ctx, p.holdMs), () => {
          if (hold !== undefined && line.turnOf(client) === hold) line.leave(client);
        });
      },
      onOut(client, why) {
        if (why === 'restarted') begin(client);
        else attemptLater(client);
      },
    });

    for (const c of ctx.clients) begin(c);
    scheduleAudits(ctx, p, () => rounds.push(line.auditWaiters()));

    return {
      finish: () => [
        checkExclusion('mutual-exclusion', line.holds, d.facts, { property: 'mutual-exclusion', role: 'held the lock' }),
        checkWakeups('no-lost-wakeup', rounds, firstAuditUs(ctx, p)),
      ],
    };
  },
};
