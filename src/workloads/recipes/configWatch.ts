/**
 * The config-watch recipe: a few writer clients publish new versions of `/config`; every other
 * client keeps the current config by reading it with a data watch, re-reading (and so
 * re-registering the watch) on every notification and after every reconnect.
 *
 * Writers compare-and-set: they know the version they last saw and write `"<v+1>:<client>:<n>"`
 * with expected version v, re-reading after a BADVERSION or an indeterminate write — so the
 * znode version names the write (see `configWatchCheck.ts`).
 *
 * Audit: at stop + settle, once the writers are idle (or 2 × settle later), each reader syncs, probes the version with a watch-less `exists`,
 * then waits (with a `sync` fence, repeated while a re-read is still due) until it has no
 * re-read left; its view then is what the check judges. Readers keep reacting to
 * notifications after the stop: that is the settling.
 *
 * Test-only `bug: 'no-rewatch'`: a reader re-reads without a watch, so it hears one change and
 * then goes deaf.
 */
import { z } from 'zod';
import type { ClientCommand } from '../../client/commands.ts';
import { ClientDriver } from '../driver/clientDriver.ts';
import type { WorkloadDefinition } from '../workload.ts';
import { CONFIG_PATH, type ConfigAudit, INITIAL_CONFIG, checkConfigWatch } from './configWatchCheck.ts';
import { whenQuiet } from './whenQuiet.ts';

const params = z.strictObject({
  /** How many clients write (the first ones); the rest read. */
  writers: z.number().int().min(1).max(16).default(1),
  /** Mean time between one writer's writes. */
  writeIntervalMs: z.number().positive().default(50),
  /** Time after the workload stop before the audit, to let notifications arrive. */
  settleMs: z.number().nonnegative().default(500),
  /** Test-only: a deliberately broken reader. */
  bug: z.enum(['none', 'no-rewatch']).default('none'),
});
export type ConfigWatchParams = z.infer<typeof params>;

/** A reader's state within one session. */
interface Reader {
  view: { version: number; data: string | null } | null;
  /** Reads queued, in flight, or scheduled for a retry. */
  pending: number;
  watchedOnce: boolean;
}

const RETRY_US = 50_000;

export const configWatchWorkload: WorkloadDefinition<ConfigWatchParams> = {
  name: 'config',
  parseParams: (raw) => params.parse(raw ?? {}),
  start(ctx, p) {
    const d = new ClientDriver(ctx);
    const writers = ctx.clients.slice(0, p.writers);
    const readers = ctx.clients.slice(p.writers);
    const isReader = new Set(readers);
    const intervalUs = Math.round(p.writeIntervalMs * 1000);
    const audit: ConfigAudit = { readers, settled: [] };
    const active = (c: string) => ctx.nowUs() < ctx.stopAtUs && !d.ended(c);

    // --- writers -------------------------------------------------------------------------
    const written = new Map<string, number>();
    // A restarted writer starts a new loop; the old one's scheduled steps must die.
    const generation = new Map<string, number>();
    const write = (c: string, known: number | undefined, gen = generation.get(c)) => {
      if (!active(c) || gen !== generation.get(c)) return;
      const again = (v: number | undefined, delayUs: number) => d.after(delayUs, () => write(c, v, gen));
      if (known === undefined) {
        d.call(c, { f: 'getData', value: { path: CONFIG_PATH } }, (r) => {
          if (r.type === 'ok') return again((r.value as { version: number }).version, 0);
          if (r.error === 'NONODE') d.call(c, { f: 'create', value: { path: CONFIG_PATH, data: INITIAL_CONFIG, mode: 'PERSISTENT' } });
          again(undefined, RETRY_US);
        });
        return;
      }
      const n = (written.get(c) ?? 0) + 1;
      written.set(c, n);
      d.call(c, { f: 'setData', value: { path: CONFIG_PATH, data: `${known + 1}:${c}:${n}`, version: known } }, (r) => {
        const next = r.type === 'ok' ? (r.value as { version: number }).version : undefined;
        again(next, ctx.rng.range(Math.ceil(intervalUs / 2), Math.floor((intervalUs * 3) / 2) + 1));
      });
    };

    // --- readers -------------------------------------------------------------------------
    const readerState = new Map<string, Reader>();
    const fresh = (c: string): Reader => {
      const st: Reader = { view: null, pending: 0, watchedOnce: false };
      readerState.set(c, st);
      return st;
    };
    const read = (c: string, st: Reader, delayUs = 0) => {
      st.pending++;
      d.after(delayUs, () => {
        if (readerState.get(c) !== st || d.ended(c)) return;
        const watch = p.bug !== 'no-rewatch' || !st.watchedOnce;
        st.watchedOnce = true;
        d.call(c, { f: 'getData', value: { path: CONFIG_PATH, watch } }, (r) => {
          if (readerState.get(c) !== st) return;
          if (r.type === 'ok') {
            const v = r.value as { version: number; data: string | null };
            st.view = { version: v.version, data: v.data };
            st.pending--;
          } else if (r.error === 'NONODE') {
            // No config yet: watch for its creation instead.
            d.call(c, { f: 'exists', value: { path: CONFIG_PATH, watch: true } }, (e) => {
              if (readerState.get(c) !== st) return;
              st.pending--;
              if (e.type !== 'ok') read(c, st, RETRY_US);
              else if (e.value === null) st.view = { version: -1, data: null };
              else read(c, st);
            });
          } else {
            st.pending--;
            read(c, st, RETRY_US);
          }
        });
      });
    };
    d.onEvent((c, event) => {
      const st = readerState.get(c);
      if (st !== undefined && isReader.has(c) && event.path === CONFIG_PATH) read(c, st);
    });

    // --- audit ---------------------------------------------------------------------------
    const auditReader = (c: string) => {
      const st = readerState.get(c);
      if (st === undefined || d.ended(c)) return;
      let sync = { ok: false, invokeUs: 0 };
      const retry = () => d.after(4 * RETRY_US, () => auditReader(c));
      d.call(c, { f: 'sync', value: { path: CONFIG_PATH } }, (r) => (sync = { ok: r.type === 'ok', invokeUs: r.invokeUs }));
      d.call(c, { f: 'exists', value: { path: CONFIG_PATH } }, (r) => {
        if (r.type !== 'ok') return retry();
        const probeVersion = r.value === null ? -1 : (r.value as { version: number }).version;
        // Anything the probe's notifications asked for is queued before this fence.
        const fence = () =>
          d.call(c, { f: 'sync', value: { path: CONFIG_PATH } }, (f) => {
            const now = readerState.get(c);
            if (now !== st) return retry();
            if (f.type !== 'ok' || st.pending > 0) return d.after(RETRY_US, fence);
            audit.settled.push({ client: c, session: d.session(c)!, atUs: ctx.nowUs(), probeVersion, syncOk: sync.ok, syncInvokeUs: sync.invokeUs, view: st.view });
          });
        fence();
      });
    };
    const settleUs = Math.round(p.settleMs * 1000);
    ctx.at(ctx.stopAtUs + settleUs, () =>
      whenQuiet(d, writers, 2 * settleUs, () => {
        audit.startedUs = ctx.nowUs();
        for (const c of readers) auditReader(c);
      }),
    );

    // --- sessions ------------------------------------------------------------------------
    const begin = (c: string) => {
      if (isReader.has(c)) fresh(c);
      else {
        const gen = (generation.get(c) ?? 0) + 1;
        generation.set(c, gen);
        const create: ClientCommand = { f: 'create', value: { path: CONFIG_PATH, data: INITIAL_CONFIG, mode: 'PERSISTENT' } };
        d.call(c, create, () => write(c, undefined, gen));
      }
    };
    d.onState((c, change) => {
      if (change === 'restarted') {
        begin(c);
        // Its audit, if under way, died with the old process.
        if (audit.startedUs !== undefined && isReader.has(c)) auditReader(c);
      }
      const st = readerState.get(c);
      // A reader reads on every (re)connect: its last read may have failed with the connection.
      if (change === 'connected' && st !== undefined && isReader.has(c)) read(c, st);
    });
    for (const c of [...writers, ...readers]) begin(c);
    return { finish: (history) => checkConfigWatch(history, d.facts, audit) };
  },
};
