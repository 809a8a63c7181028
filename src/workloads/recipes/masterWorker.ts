/**
 * The master–worker recipe of the ZooKeeper book (Junqueira & Reed, ch. 4). Every client
 * plays all three parts, each session afresh:
 *
 * - **candidate**: creates the ephemeral `/master` with its session id as data; on NODEEXISTS
 *   it watches `/master` and runs again when it is deleted; after an indeterminate create it
 *   reads `/master` back to learn whether it won. A master stays master until its session ends.
 * - **master**: watches `/workers` and `/tasks`; moves each task to a random live worker with
 *   one multi (create `/assign/<worker>/<task>`, delete `/tasks/<task>`), and moves the
 *   assignments of workers that disappeared back to `/tasks` the same way.
 * - **worker** (id `<client>_<session>`): creates `/assign/<id>` and the ephemeral
 *   `/workers/<id>`, watches its assignments, works on each for a while, then with one multi
 *   creates `/status/<task>` and deletes the assignment.
 * - **client**: submits PERSISTENT_SEQUENTIAL `/tasks/task-` with unique data.
 *
 * Everyone stops at the workload stop; at stop + settle, once every live client is idle (or
 * 2 × settle later), one live client syncs and lists
 * `/tasks`, `/assign/*` and `/status` for `masterWorkerCheck.ts`.
 *
 * Test-only bugs: `no-multi` (the master assigns with two separate writes and no guard against
 * handling a task twice), `nodeexists-is-master` (a candidate takes NODEEXISTS as winning).
 */
import { z } from 'zod';
import type { ClientCommand } from '../../client/commands.ts';
import { ClientDriver, type OpResult } from '../driver/clientDriver.ts';
import type { WorkloadDefinition } from '../workload.ts';
import { ASSIGN, MASTER, type MasterClaim, STATUS, TASKS, TASK_PREFIX, type TaskAudit, WORKERS, checkMasterWorker } from './masterWorkerCheck.ts';
import { whenQuiet } from './whenQuiet.ts';

const params = z.strictObject({
  /** Mean time between one client's task submissions. */
  submitIntervalMs: z.number().positive().default(100),
  /** Mean time a worker spends on a task. */
  workMs: z.number().nonnegative().default(20),
  /** Time after the workload stop before the audit. */
  settleMs: z.number().nonnegative().default(500),
  /** Test-only: a deliberately broken master or candidate. */
  bug: z.enum(['none', 'no-multi', 'nodeexists-is-master']).default('none'),
});
export type MasterWorkerParams = z.infer<typeof params>;

/** One client's session and what it is doing in it. */
interface Member {
  client: string;
  session: string;
  workerId: string;
  master: boolean;
  /** As master: live workers, and tasks being assigned (so one pass handles each). */
  workers: string[];
  assigning: Set<string>;
  /** As worker: tasks in hand. */
  doing: Set<string>;
}

const RETRY_US = 100_000;
const AUDIT_RETRY_US = 1_000_000;

export const masterWorkerWorkload: WorkloadDefinition<MasterWorkerParams> = {
  name: 'master-worker',
  parseParams: (raw) => params.parse(raw ?? {}),
  start(ctx, p) {
    const d = new ClientDriver(ctx);
    const members = new Map<string, Member>();
    const claims: MasterClaim[] = [];
    let audit: TaskAudit | undefined;
    let submitted = 0;
    const jitter = (meanMs: number) => {
      const us = Math.round(meanMs * 1000);
      return ctx.rng.range(Math.ceil(us / 2), Math.floor((us * 3) / 2) + 1);
    };
    const live = (m: Member) => members.get(m.client) === m && !d.ended(m.client) && ctx.nowUs() < ctx.stopAtUs;
    /** Runs a command for `m` while it is live; `done` only hears it if `m` still is. */
    const call = (m: Member, command: ClientCommand, done: (r: OpResult) => void = () => {}) => {
      if (live(m)) d.call(m.client, command, (r) => live(m) && done(r));
    };
    const later = (m: Member, step: (m: Member) => void) => d.after(RETRY_US, () => live(m) && step(m));
    const children = (r: OpResult) => [...(r.value as { children: string[] }).children].sort();

    // --- candidate -----------------------------------------------------------------------
    const runForMaster = (m: Member) =>
      call(m, { f: 'create', value: { path: MASTER, data: m.session, mode: 'EPHEMERAL' } }, (r) => {
        if (r.type === 'ok') return becomeMaster(m, 'created');
        if (r.error === 'NODEEXISTS') return p.bug === 'nodeexists-is-master' ? becomeMaster(m, 'assumed') : watchMaster(m);
        if (r.type === 'info') return checkMaster(m);
        later(m, runForMaster);
      });
    const checkMaster = (m: Member) =>
      call(m, { f: 'getData', value: { path: MASTER } }, (r) => {
        if (r.type === 'ok') return (r.value as { data: string | null }).data === m.session ? becomeMaster(m, 'checked') : watchMaster(m);
        if (r.error === 'NONODE') return runForMaster(m);
        later(m, checkMaster);
      });
    const watchMaster = (m: Member) =>
      call(m, { f: 'exists', value: { path: MASTER, watch: true } }, (r) => {
        if (r.type !== 'ok') return later(m, watchMaster);
        if (r.value === null) runForMaster(m);
      });
    const becomeMaster = (m: Member, how: MasterClaim['how']) => {
      if (m.master) return;
      m.master = true;
      claims.push({ client: m.client, session: m.session, sinceUs: ctx.nowUs(), how });
      listWorkers(m);
    };

    // --- master --------------------------------------------------------------------------
    const listWorkers = (m: Member) =>
      call(m, { f: 'getChildren', value: { path: WORKERS, watch: true } }, (r) => {
        if (r.type !== 'ok') return later(m, listWorkers);
        m.workers = children(r);
        recoverAssignments(m);
        listTasks(m);
      });
    // Assignments of workers that are gone go back to /tasks.
    const recoverAssignments = (m: Member) =>
      call(m, { f: 'getChildren', value: { path: ASSIGN } }, (r) => {
        if (r.type !== 'ok') return;
        for (const w of children(r)) {
          if (m.workers.includes(w)) continue;
          call(m, { f: 'getChildren', value: { path: `${ASSIGN}/${w}` } }, (a) => {
            if (a.type === 'ok') for (const t of children(a)) moveBack(m, w, t);
          });
        }
      });
    const moveBack = (m: Member, w: string, t: string) =>
      call(m, { f: 'getData', value: { path: `${ASSIGN}/${w}/${t}` } }, (r) => {
        if (r.type !== 'ok') return;
        const data = (r.value as { data: string | null }).data;
        call(m, { f: 'multi', value: { ops: [{ op: 'create', path: `${TASKS}/${t}`, data }, { op: 'delete', path: `${ASSIGN}/${w}/${t}` }] } });
      });
    const listTasks = (m: Member) =>
      call(m, { f: 'getChildren', value: { path: TASKS, watch: true } }, (r) => {
        if (r.type !== 'ok') return later(m, listTasks);
        for (const t of children(r)) if (p.bug === 'no-multi' || !m.assigning.has(t)) assign(m, t);
      });
    const assign = (m: Member, t: string) => {
      m.assigning.add(t);
      const release = () => void m.assigning.delete(t);
      call(m, { f: 'getData', value: { path: `${TASKS}/${t}` } }, (r) => {
        // No workers yet: the task waits; the next /workers change lists the tasks again.
        if (r.type !== 'ok' || m.workers.length === 0) return release();
        const data = (r.value as { data: string | null }).data;
        const w = ctx.rng.pick(m.workers);
        const target = `${ASSIGN}/${w}/${t}`;
        if (p.bug !== 'no-multi') return call(m, { f: 'multi', value: { ops: [{ op: 'create', path: target, data }, { op: 'delete', path: `${TASKS}/${t}` }] } }, release);
        call(m, { f: 'create', value: { path: target, data } }, (c) => (c.type === 'ok' ? call(m, { f: 'delete', value: { path: `${TASKS}/${t}` } }, release) : release()));
      });
    };

    // --- worker --------------------------------------------------------------------------
    const register = (m: Member) =>
      call(m, { f: 'create', value: { path: `${WORKERS}/${m.workerId}`, mode: 'EPHEMERAL' } }, (r) => {
        if (r.type === 'ok' || r.error === 'NODEEXISTS') return watchAssignments(m);
        later(m, register);
      });
    const watchAssignments = (m: Member) =>
      call(m, { f: 'getChildren', value: { path: `${ASSIGN}/${m.workerId}`, watch: true } }, (r) => {
        if (r.type !== 'ok') return later(m, watchAssignments);
        for (const t of children(r)) if (!m.doing.has(t)) work(m, t);
      });
    const work = (m: Member, t: string) => {
      m.doing.add(t);
      const mine = `${ASSIGN}/${m.workerId}/${t}`;
      call(m, { f: 'getData', value: { path: mine } }, (r) => {
        if (r.type !== 'ok') return void m.doing.delete(t);
        const data = (r.value as { data: string | null }).data;
        d.after(jitter(p.workMs), () =>
          call(m, { f: 'multi', value: { ops: [{ op: 'create', path: `${STATUS}/${t}`, data: `${data} done by ${m.workerId}` }, { op: 'delete', path: mine }] } }, () => void m.doing.delete(t)),
        );
      });
    };

    // --- client --------------------------------------------------------------------------
    const submit = (m: Member) =>
      call(m, { f: 'create', value: { path: TASK_PREFIX, data: `${m.client}#${++submitted}`, mode: 'PERSISTENT_SEQUENTIAL' } }, () => d.after(jitter(p.submitIntervalMs), () => live(m) && submit(m)));

    // --- sessions ------------------------------------------------------------------------
    d.onEvent((c, event) => {
      const m = members.get(c);
      if (m === undefined || !live(m)) return;
      if (event.path === MASTER && event.type === 'NodeDeleted' && !m.master) runForMaster(m);
      else if (event.path === WORKERS && m.master) listWorkers(m);
      else if (event.path === TASKS && m.master) listTasks(m);
      else if (event.path === `${ASSIGN}/${m.workerId}`) watchAssignments(m);
    });
    const begin = (c: string) => {
      members.delete(c);
      for (const root of [WORKERS, TASKS, ASSIGN, STATUS]) d.call(c, { f: 'create', value: { path: root, mode: 'PERSISTENT' } });
      // Runs once connected, so the session (and the worker id) is known.
      d.call(c, { f: 'sync', value: { path: '/' } }, () => {
        const session = d.session(c)!;
        const m: Member = { client: c, session, workerId: `${c}_${session}`, master: false, workers: [], assigning: new Set(), doing: new Set() };
        members.set(c, m);
        call(m, { f: 'create', value: { path: `${ASSIGN}/${m.workerId}`, mode: 'PERSISTENT' } });
        register(m);
        runForMaster(m);
        submit(m);
      });
    };
    d.forEachSession(begin);

    // --- audit ---------------------------------------------------------------------------
    const runAudit = (attempt: number) => {
      const candidates = ctx.clients.filter((c) => !d.ended(c));
      if (audit !== undefined || candidates.length === 0) return;
      const c = candidates[attempt % candidates.length]!;
      const found: Omit<TaskAudit, 'atUs'> = { client: c, syncOk: false, syncInvokeUs: 0, tasks: [], assigned: {}, status: [] };
      let failed = false;
      const list = (path: string, into: (names: string[]) => void) =>
        d.call(c, { f: 'getChildren', value: { path } }, (r) => (r.type === 'ok' ? into(children(r)) : (failed = true)));
      d.call(c, { f: 'sync', value: { path: '/' } }, (r) => Object.assign(found, { syncOk: r.type === 'ok', syncInvokeUs: r.invokeUs }));
      // /tasks, then /assign/*, then /status: the order tasks move in, so a move between two
      // reads cannot hide a task (the check only relies on tasks no write touched meanwhile).
      list(TASKS, (names) => (found.tasks = names));
      list(ASSIGN, (workers) => {
        for (const w of workers) list(`${ASSIGN}/${w}`, (names) => (found.assigned[w] = names));
        list(STATUS, (names) => {
          found.status = names;
          if (!failed && audit === undefined) audit = { ...found, atUs: ctx.nowUs() };
        });
      });
      d.after(AUDIT_RETRY_US, () => runAudit(attempt + 1));
    };
    const settleUs = Math.round(p.settleMs * 1000);
    ctx.at(ctx.stopAtUs + settleUs, () => whenQuiet(d, ctx.clients, 2 * settleUs, () => runAudit(0)));

    return { finish: (history) => checkMasterWorker(history, d.facts, claims, audit) };
  },
};
