/**
 * The checks of the master–worker recipe (`masterWorker.ts`).
 *
 * - **single-master**: no two sessions provably believe they are master at once. A master
 *   believes from the moment it learned it holds `/master` until its session ends; a master
 *   whose session expired may go on believing until it hears so, and that is allowed. Two
 *   claims (sessions A and B, B's claim at time t ≥ A's) are a violation only when *both*
 *   sessions show a sign of life at or after t (an ok write invoked at ≥ t, `signOfLife`):
 *   then both sessions were alive at t, while at most one of their ephemeral `/master` nodes
 *   can exist — the earlier one was gone before the later was created, and only its session's
 *   end removes it.
 * - **task-assignment**: no task is assigned to two workers at once, as the znodes say. Ok
 *   writes that create or delete `/assign/<worker>/<task>` are replayed in zxid order (the
 *   order ZooKeeper applied them); a create while another worker's assignment of the task is
 *   still there is a violation, unless an indeterminate (`info`) delete of that assignment,
 *   invoked before the second create completed, may have removed it in between.
 * - **task-completion**: every task whose submission was acknowledged is completed (in
 *   `/status`) or still pending (in `/tasks` or some `/assign/<worker>`) in the final audit,
 *   which syncs and then lists `/tasks`, `/assign/*` and `/status` after the workload stopped.
 *   Every move is one multi, so a task is always somewhere. A task missing from the audit is
 *   undecided (not a violation) if a write touching it was indeterminate or completed after
 *   the audit's sync began, since it may have moved between the audit's reads; the check is
 *   undecided if the run ended before the audit.
 */
import type { HistoryOp } from '../../checker/history/op.ts';
import { type SessionFacts, signOfLife } from '../driver/sessionFacts.ts';
import { type Violation, checkResult, ms } from '../checks/result.ts';
import type { WorkloadCheck } from '../workload.ts';
import { type RecipeOp, baseName, recipeOps, writesOf } from './recipeOps.ts';

export const MASTER = '/master';
export const WORKERS = '/workers';
export const TASKS = '/tasks';
export const ASSIGN = '/assign';
export const STATUS = '/status';
export const TASK_PREFIX = `${TASKS}/task-`;

/** A client's belief that it is master, from `sinceUs` until its session ends. */
export interface MasterClaim {
  client: string;
  session: string;
  sinceUs: number;
  /** created /master; read it back after an indeterminate create; or assumed (a broken variant). */
  how: 'created' | 'checked' | 'assumed';
}

/** The final audit of where every task is. */
export interface TaskAudit {
  client: string;
  syncOk: boolean;
  syncInvokeUs: number;
  atUs: number;
  tasks: string[];
  /** Task names by worker id. */
  assigned: Record<string, string[]>;
  status: string[];
}

/** All three checks. */
export function checkMasterWorker(history: readonly HistoryOp[], facts: SessionFacts, claims: readonly MasterClaim[], audit: TaskAudit | undefined): WorkloadCheck[] {
  const ops = recipeOps(history);
  return [singleMaster(facts, claims), assignment(ops), completion(ops, audit)];
}

function singleMaster(facts: SessionFacts, claims: readonly MasterClaim[]): WorkloadCheck {
  const violations: Violation[] = [];
  const sorted = [...claims].sort((a, b) => a.sinceUs - b.sinceUs);
  for (let j = 0; j < sorted.length; j++) {
    const later = sorted[j]!;
    for (let i = 0; i < j; i++) {
      const earlier = sorted[i]!;
      if (earlier.session === later.session) continue;
      const t = later.sinceUs;
      const a = signOfLife(facts[earlier.session], t);
      const b = signOfLife(facts[later.session], t);
      if (a === undefined || b === undefined) continue;
      violations.push({
        property: 'two-masters',
        message: `${earlier.client} (session ${earlier.session}, master since ${ms(earlier.sinceUs)}) and ${later.client} (session ${later.session}, master since ${ms(t)}) both believed they were master at ${ms(t)}, and both sessions were alive then: writes invoked at ${ms(a)} and ${ms(b)} succeeded`,
        witness: { claims: [earlier, later], signsOfLife: [a, b] },
      });
    }
  }
  return checkResult('single-master', violations);
}

/** `/assign/<worker>/<task>` → [worker, task]. */
function assignmentOf(path: string): [string, string] | undefined {
  const parts = path.split('/');
  return parts.length === 4 && parts[1] === ASSIGN.slice(1) && parts[2] !== '' && parts[3] !== '' ? [parts[2]!, parts[3]!] : undefined;
}

interface AssignEvent {
  kind: 'create' | 'delete';
  worker: string;
  op: RecipeOp;
}

function assignment(ops: readonly RecipeOp[]): WorkloadCheck {
  const byTask = new Map<string, AssignEvent[]>();
  for (const op of ops) {
    if (op.status === 'fail') continue;
    for (const w of writesOf(op)) {
      const at = assignmentOf(w.path);
      if (at === undefined || w.kind === 'setData') continue;
      (byTask.get(at[1]) ?? byTask.set(at[1], []).get(at[1])!).push({ kind: w.kind, worker: at[0], op });
    }
  }
  const violations: Violation[] = [];
  let noZxid: RecipeOp | undefined;
  for (const [task, events] of byTask) {
    const done = events.filter((e) => e.op.status === 'ok');
    const maybe = events.filter((e) => e.op.status === 'info' && e.kind === 'delete');
    noZxid ??= done.find((e) => e.op.zxid === undefined)?.op;
    // Zxid order; within one multi, its delete before its create (a move is fine).
    done.sort((a, b) => (a.op.zxid ?? 0) - (b.op.zxid ?? 0) || (a.kind === 'delete' ? -1 : 1) - (b.kind === 'delete' ? -1 : 1));
    const active = new Map<string, AssignEvent>();
    for (const e of done) {
      if (e.kind === 'delete') {
        active.delete(e.worker);
        continue;
      }
      for (const [worker, first] of active) {
        if (worker === e.worker) continue;
        if (maybe.some((u) => u.worker === worker && u.op.call < (e.op.ret ?? Infinity))) {
          active.delete(worker);
          continue;
        }
        violations.push({
          property: 'double-assignment',
          message: `task ${task} was assigned to ${e.worker} (op #${e.op.index}, zxid ${e.op.zxid}) while still assigned to ${worker} (op #${first.op.index}, zxid ${first.op.zxid}), with no removal of that assignment in between`,
          witness: [first.op, e.op],
        });
      }
      active.set(e.worker, e);
    }
  }
  return checkResult('task-assignment', violations, violations.length === 0 && noZxid !== undefined ? `op #${noZxid.index} succeeded without a reply zxid, so assignments cannot be ordered` : undefined);
}

function completion(ops: readonly RecipeOp[], audit: TaskAudit | undefined): WorkloadCheck {
  if (audit === undefined) return checkResult('task-completion', [], 'the run ended before the final audit of /tasks, /assign and /status (workload stop + settle), so where the tasks ended up is not known');
  // Acknowledged submissions: task name → its create.
  const acked = new Map<string, RecipeOp>();
  for (const op of ops) {
    const out = (op.output as { path?: unknown } | null | undefined)?.path;
    if (op.f === 'create' && op.status === 'ok' && (op.input as { path?: unknown } | null)?.path === TASK_PREFIX && typeof out === 'string') acked.set(baseName(out), op);
  }
  // Writes that may have moved each task (ok or indeterminate; a failed write did nothing).
  const touching = new Map<string, RecipeOp[]>();
  for (const op of ops) {
    if (op.status === 'fail') continue;
    for (const w of writesOf(op)) {
      const under = w.path.startsWith(`${TASKS}/`) || w.path.startsWith(`${STATUS}/`) || assignmentOf(w.path) !== undefined;
      if (under) (touching.get(baseName(w.path)) ?? touching.set(baseName(w.path), []).get(baseName(w.path))!).push(op);
    }
  }
  const seen = new Set([...audit.tasks, ...audit.status, ...Object.values(audit.assigned).flat()]);
  const violations: Violation[] = [];
  const undecided: string[] = [];
  for (const [task, create] of acked) {
    if (seen.has(task)) continue;
    const moves = touching.get(task) ?? [];
    const inDoubt = moves.find((o) => o.status === 'info');
    const late = moves.find((o) => (o.ret ?? Infinity) >= audit.syncInvokeUs);
    if (inDoubt !== undefined) undecided.push(`${task} is not in the audit, but op #${inDoubt.index} (${inDoubt.f}) touching it is indeterminate and may have moved it during the audit`);
    else if (late !== undefined || !audit.syncOk) undecided.push(`${task} is not in the audit, whose sync ${audit.syncOk ? `began before op #${late!.index} touching it completed` : 'failed'}`);
    else violations.push({ property: 'lost-task', message: `${task} (submitted by ${create.client}, acknowledged at ${ms(create.ret ?? create.call)}) is neither completed nor pending in the audit by ${audit.client} at ${ms(audit.atUs)}`, witness: moves });
  }
  return checkResult('task-completion', violations, undecided.length > 0 ? undecided.join('; ') : undefined);
}
