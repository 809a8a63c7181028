/**
 * The check of the queue recipe (`queue.ts`): each item is consumed exactly once.
 *
 * An item is a sequential znode `/queue/item-NNNNNNNNNN` with unique data (producers never
 * resubmit data, not even after an indeterminate create). Consuming it is a successful delete;
 * the consumer then delivers `(path, data)` to its application, which the workload records.
 *
 * - **No double consumption**: no path is deleted successfully twice, no path is delivered
 *   twice, no data is delivered under two paths (one create applied twice), and a delivered
 *   item carries the data its create wrote.
 * - **No loss**: every item whose create was acknowledged (`ok`, so its path is known) is
 *   delivered, or deleted by a successful delete, or listed by the final audit (a `sync` then
 *   `getChildren /queue` after the workload stopped). An item missing from the audit is
 *   explained if some delete of it was indeterminate (`info`: it may have taken the item without
 *   the consumer knowing). Items whose create was `info` may or may not exist: nothing is
 *   required of them. If the audit's sync failed or began before an item's create was
 *   acknowledged, that item is undecided; if the run ended before the audit, so is the check.
 */
import type { HistoryOp } from '../../checker/history/op.ts';
import { type Violation, checkResult, ms } from '../checks/result.ts';
import type { WorkloadCheck } from '../workload.ts';
import { type RecipeOp, baseName, recipeOps } from './recipeOps.ts';

export const QUEUE_PATH = '/queue';
export const ITEM_PREFIX = `${QUEUE_PATH}/item-`;

/** One item handed to a consumer's application. */
export interface Delivery {
  client: string;
  session: string | null;
  /** Full path of the item's znode. */
  path: string;
  data: string | null;
  atUs: number;
}

/** The final audit: the queue's children after a sync. */
export interface QueueAudit {
  client: string;
  syncOk: boolean;
  syncInvokeUs: number;
  /** Child names (not paths) of /queue. */
  children: string[];
  atUs: number;
}

const isItem = (path: unknown): path is string => typeof path === 'string' && path.startsWith(ITEM_PREFIX);

/** The exactly-once check over the history, the deliveries and the audit (absent if it never ran). */
export function checkQueue(history: readonly HistoryOp[], deliveries: readonly Delivery[], audit: QueueAudit | undefined): WorkloadCheck {
  const ops = recipeOps(history);
  const violations: Violation[] = [];

  // Acknowledged items: path → data, from ok creates.
  const created = new Map<string, { data: string | null; op: RecipeOp }>();
  for (const op of ops) {
    const path = (op.output as { path?: unknown } | null | undefined)?.path;
    if (op.f === 'create' && op.status === 'ok' && isItem(path)) created.set(path, { data: (op.input as { data?: string | null }).data ?? null, op });
  }
  // Deletes by path and outcome.
  const deletes = new Map<string, RecipeOp[]>();
  for (const op of ops) {
    const path = (op.input as { path?: unknown } | null)?.path;
    if (op.f === 'delete' && isItem(path)) (deletes.get(path) ?? deletes.set(path, []).get(path)!).push(op);
  }
  for (const [path, ds] of deletes) {
    const ok = ds.filter((o) => o.status === 'ok');
    if (ok.length > 1) violations.push({ property: 'double-consume', message: `${path} was deleted successfully twice (ops #${ok[0]!.index} by ${ok[0]!.client} and #${ok[1]!.index} by ${ok[1]!.client})`, witness: ok });
  }

  // Deliveries: once per path, once per data, and the data the item was created with.
  const byPath = new Map<string, Delivery>();
  const byData = new Map<string, Delivery>();
  for (const dv of deliveries) {
    const first = byPath.get(dv.path);
    if (first !== undefined) violations.push({ property: 'double-delivery', message: `${dv.path} was delivered twice: to ${first.client} at ${ms(first.atUs)} and to ${dv.client} at ${ms(dv.atUs)}`, witness: [first, dv] });
    else byPath.set(dv.path, dv);
    if (dv.data !== null) {
      const same = byData.get(dv.data);
      if (same !== undefined && same.path !== dv.path) violations.push({ property: 'duplicate-data', message: `data ${JSON.stringify(dv.data)} was delivered twice, as ${same.path} (${same.client}) and as ${dv.path} (${dv.client}); it was submitted once`, witness: [same, dv] });
      else byData.set(dv.data, dv);
    }
    const item = created.get(dv.path);
    if (item !== undefined && item.data !== dv.data) violations.push({ property: 'wrong-data', message: `${dv.path} was created with ${JSON.stringify(item.data)} but delivered to ${dv.client} as ${JSON.stringify(dv.data)}`, witness: [item.op, dv] });
  }

  if (audit === undefined) return checkResult('queue-exactly-once', violations, 'the run ended before the final audit of /queue (workload stop + settle), so lost items cannot be ruled out');
  const queued = new Set(audit.children.map((c) => `${QUEUE_PATH}/${c}`));
  const undecided: string[] = [];
  for (const [path, item] of created) {
    const ds = deletes.get(path) ?? [];
    const consumed = byPath.has(path) || ds.some((o) => o.status === 'ok');
    if (consumed) {
      const okDelete = ds.find((o) => o.status === 'ok');
      if (queued.has(path) && okDelete?.ret !== undefined && audit.syncOk && okDelete.ret < audit.syncInvokeUs) {
        violations.push({ property: 'resurrected', message: `${path} was deleted at ${ms(okDelete.ret)} but the audit at ${ms(audit.atUs)} still lists it`, witness: okDelete });
      }
      continue;
    }
    if (queued.has(path)) continue;
    // An indeterminate delete may have taken it without its consumer knowing.
    if (ds.some((o) => o.status === 'info')) continue;
    const ackUs = item.op.ret ?? Infinity;
    if (!audit.syncOk || ackUs >= audit.syncInvokeUs) {
      undecided.push(`${baseName(path)} (acknowledged at ${ms(ackUs)}) is not in the audit, whose sync ${audit.syncOk ? 'began before that' : 'failed'}`);
      continue;
    }
    violations.push({ property: 'lost-item', message: `${path} (data ${JSON.stringify(item.data)}, created by ${item.op.client}, acknowledged at ${ms(ackUs)}) was neither consumed nor left in the queue (audit by ${audit.client} at ${ms(audit.atUs)}), and no delete of it is indeterminate`, witness: item.op });
  }
  return checkResult('queue-exactly-once', violations, undecided.length > 0 ? undecided.join('; ') : undefined);
}
