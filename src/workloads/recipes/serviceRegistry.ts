/**
 * The service-registry workload (kind `registry`): group membership through ephemeral znodes.
 * Each member client registers `/servers/<client>` (EPHEMERAL) and heartbeats by writing its
 * node; a drawn share of members leave before the stop by closing their session, and faults may
 * kill others (their node goes when the session expires). The last `watchers` clients do not
 * register: they keep a view of `/servers` with a child watch, re-listing on every notification.
 *
 * Registering, as a real member must: a NODEEXISTS may be its own create that ended
 * CONNECTIONLOSS and landed, or the node of its previous session (after a process restart),
 * which lingers until that session expires — an exists tells which (ephemeralOwner), and in the
 * second case the member watches the node and registers again once it is deleted.
 *
 * Audit rounds after the stop: each watcher syncs and lists `/servers` (no watch); then every
 * registered member writes its node, proving its session alive. `checks/membership.ts` judges
 * the listings against the sessions, and each watcher's view against its own listing.
 */
import { z } from 'zod';
import { sessionName } from '../../client/clientOutput.ts';
import { checkMembership, type MembershipRound, type SessionRegistration, type WatcherAudit } from '../checks/membership.ts';
import { ClientDriver, type OpResult } from '../driver/clientDriver.ts';
import type { WorkloadDefinition } from '../workload.ts';
import { auditParams, drawAroundUs, firstAuditUs, scheduleAudits } from './recipeTiming.ts';

export const SERVERS_PATH = '/servers';

const params = z.strictObject({
  /** How many clients (the last ones) watch instead of registering. */
  watchers: z.number().int().min(1).max(64).default(1),
  /** Share of members that leave (close their session) at a drawn time before the stop, in percent. */
  leavePercent: z.number().int().min(0).max(100).default(30),
  /** Mean time between a member's heartbeat writes (until the stop). */
  heartbeatMs: z.number().positive().default(200),
  /** Pause before retrying a failed request. */
  retryMs: z.number().positive().default(50),
  ...auditParams,
  /** TEST-ONLY MUTATION: the watcher re-lists without setting a new watch, so its view goes stale. */
  unsafeNoRewatch: z.boolean().default(false),
});
export type RegistryParams = z.infer<typeof params>;

type MemberPhase = 'registering' | 'owner-check' | 'waiting-old' | 'registered' | 'leaving' | 'done';

interface ClientState {
  /** Bumped when a session begins or ends: callbacks from another session are void. */
  gen: number;
  /** The session the recipe last began with. */
  session: string | null;
  phase: MemberPhase;
  reg: SessionRegistration | undefined;
  beats: number;
  // Watcher only.
  view: string[] | undefined;
  reading: boolean;
  dirty: boolean;
  rereadNeeded: boolean;
  /** Run when the session ends (audit answers that will never come). */
  onEnd: (() => void)[];
}

export const registryWorkload: WorkloadDefinition<RegistryParams> = {
  name: 'registry',
  parseParams: (raw) => params.parse(raw ?? {}),
  start(ctx, p) {
    const d = new ClientDriver(ctx);
    const watcherCount = Math.min(p.watchers, ctx.clients.length);
    const members = ctx.clients.slice(0, ctx.clients.length - watcherCount);
    const watchers = ctx.clients.slice(ctx.clients.length - watcherCount);
    const isWatcher = new Set(watchers);
    const registrations: SessionRegistration[] = [];
    const sessionTimeoutMs: Record<string, number> = {};
    ctx.onOutput((_c, out) => {
      if (out.type === 'state' && out.state === 'connected' && out.session !== null && out.timeoutMs !== undefined) sessionTimeoutMs[out.session] = out.timeoutMs;
    });
    const rounds: MembershipRound[] = [];
    const retryUs = Math.round(p.retryMs * 1000);
    const states = new Map<string, ClientState>(
      ctx.clients.map((c) => [c, { gen: 0, session: null, phase: 'done', reg: undefined, beats: 0, view: undefined, reading: false, dirty: true, rereadNeeded: false, onEnd: [] }]),
    );
    const st = (c: string) => states.get(c)!;
    const nodeOf = (c: string) => `${SERVERS_PATH}/${c}`;
    /** A callback (or timer) that does nothing once the client's session has changed. */
    const guard = <A extends unknown[]>(c: string, fn: (...a: A) => void) => {
      const gen = st(c).gen;
      return (...a: A) => {
        if (st(c).gen === gen) fn(...a);
      };
    };
    const ensureParent = (c: string) => d.call(c, { f: 'create', value: { path: SERVERS_PATH, data: null, mode: 'PERSISTENT' } });

    // --- members ---------------------------------------------------------------------------
    const register = (c: string) => {
      st(c).phase = 'registering';
      d.call(
        c,
        { f: 'create', value: { path: nodeOf(c), data: st(c).session, mode: 'EPHEMERAL' } },
        guard(c, (r: OpResult) => {
          if (r.type === 'ok') return registered(c);
          if (r.error === 'NODEEXISTS') return ownerCheck(c);
          if (r.error === 'NONODE') ensureParent(c);
          // info: it may have landed; the next create's NODEEXISTS sorts that out.
          d.after(retryUs, guard(c, () => register(c)));
        }),
      );
    };
    const ownerCheck = (c: string) => {
      st(c).phase = 'owner-check';
      d.call(
        c,
        { f: 'exists', value: { path: nodeOf(c), watch: true } },
        guard(c, (r: OpResult) => {
          if (r.type !== 'ok') return d.after(retryUs, guard(c, () => ownerCheck(c)));
          if (r.value === null) return register(c);
          const owner = sessionName((r.value as { ephemeralOwner: number }).ephemeralOwner);
          if (owner === st(c).session) return registered(c);
          st(c).phase = 'waiting-old'; // the previous session's node: wait for its deletion
        }),
      );
    };
    const registered = (c: string) => {
      const s = st(c);
      s.phase = 'registered';
      s.reg!.createdUs ??= ctx.nowUs();
      heartbeat(c);
    };
    const vanished = (c: string) => {
      const reg = st(c).reg!;
      reg.vanishedUs.push(ctx.nowUs());
      reg.createdUs = undefined; // only the node it creates next must be listed
      register(c);
    };
    const heartbeat = (c: string) => {
      if (ctx.nowUs() >= ctx.stopAtUs) return;
      d.after(
        drawAroundUs(ctx, p.heartbeatMs),
        guard(c, () => {
          const s = st(c);
          if (s.phase !== 'registered' || ctx.nowUs() >= ctx.stopAtUs) return;
          d.call(
            c,
            { f: 'setData', value: { path: nodeOf(c), data: `${s.session} ${++s.beats}` } },
            guard(c, (r: OpResult) => {
              if (r.error === 'NONODE' && st(c).phase === 'registered') return vanished(c);
              heartbeat(c);
            }),
          );
        }),
      );
    };
    const leave = (c: string) => {
      const s = st(c);
      if (s.phase === 'done' || s.phase === 'leaving' || d.ended(c)) return;
      s.phase = 'leaving';
      const reg = s.reg;
      d.call(c, { f: 'close', value: null }, (r) => {
        if (r.type === 'ok' && reg !== undefined) reg.closeOkUs = ctx.nowUs();
      });
    };

    // --- watchers --------------------------------------------------------------------------
    const read = (c: string) => {
      const s = st(c);
      s.reading = true;
      const watch = !(p.unsafeNoRewatch && s.view !== undefined);
      d.call(
        c,
        { f: 'getChildren', value: { path: SERVERS_PATH, watch } },
        guard(c, (r: OpResult) => {
          if (r.type !== 'ok') {
            if (r.error === 'NONODE') ensureParent(c);
            return d.after(retryUs, guard(c, () => read(c))); // still reading: the view is not settled
          }
          s.view = [...(r.value as { children: string[] }).children].sort();
          s.reading = false;
          if (s.rereadNeeded) {
            s.rereadNeeded = false;
            return read(c);
          }
          s.dirty = false;
        }),
      );
    };

    // --- sessions and events ---------------------------------------------------------------
    const begin = (c: string, session: string) => {
      const s = st(c);
      Object.assign(s, { gen: s.gen + 1, session, beats: 0, view: undefined, reading: false, dirty: true, rereadNeeded: false });
      ensureParent(c);
      if (isWatcher.has(c)) return read(c);
      s.reg = { client: c, session, vanishedUs: [] };
      registrations.push(s.reg);
      register(c);
    };
    d.onState((c, change, session) => {
      const s = st(c);
      if (change === 'connected' && session !== null && session !== s.session) return begin(c, session);
      if (change === 'expired' || change === 'closed' || change === 'restarted') {
        s.gen++;
        s.phase = 'done';
        for (const f of s.onEnd.splice(0)) f();
      }
    });
    d.onEvent((c, event) => {
      const s = st(c);
      if (isWatcher.has(c)) {
        if (event.path !== SERVERS_PATH) return;
        s.dirty = true;
        if (s.reading) s.rereadNeeded = true;
        else read(c);
        return;
      }
      if (event.path !== nodeOf(c) || event.type !== 'NodeDeleted') return;
      if (s.phase === 'waiting-old') register(c);
      else if (s.phase === 'registered') vanished(c);
    });
    for (const c of members) {
      if (ctx.stopAtUs > 0 && ctx.rng.int(100) < p.leavePercent) ctx.at(ctx.rng.range(0, ctx.stopAtUs - 1), () => leave(c));
    }

    // --- audit -----------------------------------------------------------------------------
    /** Calls `fn` once with the op's result, or with undefined if the session ends first. */
    const callOnce = (c: string, command: Parameters<ClientDriver['call']>[1], fn: (r: OpResult | undefined) => void) => {
      let done = false;
      const once = (r: OpResult | undefined) => {
        if (!done) (done = true), fn(r);
      };
      st(c).onEnd.push(() => once(undefined));
      d.call(c, command, once);
    };
    const memberWrites = (round: MembershipRound, k: number) => {
      for (const c of members) {
        if (st(c).phase !== 'registered' || !d.connected(c)) continue;
        round.pendingWrites++;
        callOnce(c, { f: 'setData', value: { path: nodeOf(c), data: `audit ${k}` } }, () => round.pendingWrites--);
      }
    };
    scheduleAudits(ctx, p, (k) => {
      const round: MembershipRound = { atUs: ctx.nowUs(), watchers: [], pendingWrites: 0 };
      rounds.push(round);
      let settled = false;
      // Members prove themselves alive only after every listing of the round came back.
      const settle = () => {
        if (settled || round.watchers.some((a) => a.outcome === 'pending')) return;
        settled = true;
        memberWrites(round, k);
      };
      for (const w of watchers) {
        const a: WatcherAudit = { watcher: w, session: d.session(w) ?? '?', outcome: 'pending', syncUs: ctx.nowUs() };
        round.watchers.push(a);
        if (d.ended(w) || !d.connected(w)) {
          a.outcome = d.ended(w) ? 'ended' : 'unreachable';
          continue;
        }
        callOnce(w, { f: 'sync', value: { path: SERVERS_PATH } }, (r) => {
          if (r !== undefined) a.syncUs = r.invokeUs;
        });
        callOnce(w, { f: 'getChildren', value: { path: SERVERS_PATH } }, (r) => {
          const s = st(w);
          if (r === undefined) a.outcome = 'ended';
          else if (r.type !== 'ok') a.outcome = 'unreachable';
          else {
            Object.assign(a, { outcome: 'listed', listedUs: ctx.nowUs(), children: [...(r.value as { children: string[] }).children].sort() });
            Object.assign(a, { view: s.view, settled: s.view !== undefined && !s.dirty && !s.reading });
          }
          settle();
        });
      }
      settle();
    });

    return {
      finish: () => [checkMembership('membership', { members, registrations, rounds, facts: d.facts, sessionTimeoutMs, firstAuditUs: firstAuditUs(ctx, p) })],
    };
  },
};
