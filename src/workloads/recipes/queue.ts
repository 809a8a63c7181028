/**
 * The queue recipe: producers add PERSISTENT_SEQUENTIAL `/queue/item-` znodes with unique data;
 * consumers list `/queue`, take the lowest item, read it and claim it by deleting it. A
 * successful delete is a consumption (the item is delivered to the application); NONODE means
 * another consumer got it first, so the consumer tries the next one; an indeterminate delete
 * leaves the item in doubt and is not delivered.
 *
 * Audit: at stop + settle, once every live client is idle (or 2 × settle later), one live
 * client syncs and lists `/queue`, so that `queueCheck.ts`
 * can tell a lost item from one still waiting. If the chosen client cannot finish (it is cut
 * off), the next live one tries.
 *
 * Test-only `bug: 'nonode-is-success'`: a consumer that takes NONODE on its delete as a
 * successful claim, and so delivers items another consumer already took.
 */
import { z } from 'zod';
import { ClientDriver } from '../driver/clientDriver.ts';
import type { WorkloadDefinition } from '../workload.ts';
import { type Delivery, ITEM_PREFIX, QUEUE_PATH, type QueueAudit, checkQueue } from './queueCheck.ts';
import { whenQuiet } from './whenQuiet.ts';

const params = z.strictObject({
  /** How many clients produce (the first ones); the rest consume. */
  producers: z.number().int().min(1).max(64).default(1),
  /** Mean time between one producer's items. */
  produceIntervalMs: z.number().positive().default(20),
  /** Mean pause of a consumer after an item or an empty listing. */
  consumeIntervalMs: z.number().positive().default(10),
  /** Time after the workload stop before the audit. */
  settleMs: z.number().nonnegative().default(500),
  /** Test-only: a deliberately broken consumer. */
  bug: z.enum(['none', 'nonode-is-success']).default('none'),
});
export type QueueParams = z.infer<typeof params>;

const ITEM_NAME = ITEM_PREFIX.slice(QUEUE_PATH.length + 1);
const AUDIT_RETRY_US = 1_000_000;

export const queueWorkload: WorkloadDefinition<QueueParams> = {
  name: 'queue',
  parseParams: (raw) => params.parse(raw ?? {}),
  start(ctx, p) {
    const d = new ClientDriver(ctx);
    const producers = new Set(ctx.clients.slice(0, p.producers));
    const deliveries: Delivery[] = [];
    let audit: QueueAudit | undefined;
    let submitted = 0;
    // A restarted client starts new loops; the old ones' scheduled steps must die.
    const generation = new Map<string, number>();
    const live = (c: string, gen: number) => ctx.nowUs() < ctx.stopAtUs && !d.ended(c) && generation.get(c) === gen;
    const jitter = (meanMs: number) => {
      const us = Math.round(meanMs * 1000);
      return ctx.rng.range(Math.ceil(us / 2), Math.floor((us * 3) / 2) + 1);
    };

    const produce = (c: string, gen: number) => {
      if (!live(c, gen)) return;
      const data = `${c}#${++submitted}`;
      d.call(c, { f: 'create', value: { path: ITEM_PREFIX, data, mode: 'PERSISTENT_SEQUENTIAL' } }, () => d.after(jitter(p.produceIntervalMs), () => produce(c, gen)));
    };

    const consume = (c: string, gen: number) => {
      if (!live(c, gen)) return;
      d.call(c, { f: 'getChildren', value: { path: QUEUE_PATH } }, (r) => {
        if (r.type !== 'ok') return d.after(jitter(p.consumeIntervalMs), () => consume(c, gen));
        // Sequence numbers are zero-padded, so name order is queue order.
        const names = (r.value as { children: string[] }).children.filter((n) => n.startsWith(ITEM_NAME)).sort();
        take(c, gen, names);
      });
    };
    const take = (c: string, gen: number, names: string[]) => {
      if (!live(c, gen)) return;
      const name = names.shift();
      if (name === undefined) return d.after(jitter(p.consumeIntervalMs), () => consume(c, gen));
      const path = `${QUEUE_PATH}/${name}`;
      const pause = () => d.after(jitter(p.consumeIntervalMs), () => consume(c, gen));
      d.call(c, { f: 'getData', value: { path } }, (r) => {
        if (r.type !== 'ok') return r.error === 'NONODE' ? take(c, gen, names) : pause();
        const data = (r.value as { data: string | null }).data;
        d.call(c, { f: 'delete', value: { path } }, (del) => {
          const claimed = del.type === 'ok' || (p.bug === 'nonode-is-success' && del.error === 'NONODE');
          if (claimed) {
            deliveries.push({ client: c, session: d.session(c), path, data, atUs: ctx.nowUs() });
            return d.after(jitter(p.consumeIntervalMs), () => take(c, gen, names));
          }
          if (del.type === 'fail' && del.error === 'NONODE') return take(c, gen, names);
          pause();
        });
      });
    };

    const begin = (c: string) => {
      const gen = (generation.get(c) ?? 0) + 1;
      generation.set(c, gen);
      d.call(c, { f: 'create', value: { path: QUEUE_PATH, mode: 'PERSISTENT' } });
      if (producers.has(c)) produce(c, gen);
      else consume(c, gen);
    };
    d.forEachSession(begin);

    // The audit: the first live client, then the next if it has not answered within a second.
    const runAudit = (attempt: number) => {
      const candidates = ctx.clients.filter((c) => !d.ended(c));
      if (audit !== undefined || candidates.length === 0) return;
      const c = candidates[attempt % candidates.length]!;
      let sync = { ok: false, invokeUs: 0 };
      d.call(c, { f: 'sync', value: { path: QUEUE_PATH } }, (r) => (sync = { ok: r.type === 'ok', invokeUs: r.invokeUs }));
      d.call(c, { f: 'getChildren', value: { path: QUEUE_PATH } }, (r) => {
        if (audit !== undefined || r.type !== 'ok') return;
        const children = (r.value as { children: string[] }).children.filter((n) => n.startsWith(ITEM_NAME)).sort();
        audit = { client: c, syncOk: sync.ok, syncInvokeUs: sync.invokeUs, children, atUs: ctx.nowUs() };
      });
      d.after(AUDIT_RETRY_US, () => runAudit(attempt + 1));
    };
    const settleUs = Math.round(p.settleMs * 1000);
    ctx.at(ctx.stopAtUs + settleUs, () => whenQuiet(d, ctx.clients, 2 * settleUs, () => runAudit(0)));

    return { finish: (history) => [checkQueue(history, deliveries, audit)] };
  },
};
