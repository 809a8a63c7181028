/**
 * The register workload: every client reads, blindly writes and compare-and-sets a few znodes
 * (`/r0`, `/r1`, …) through getData and setData with versions — the Jepsen register test on
 * ZooKeeper. Each client first creates every register (one create wins, the rest get
 * NODEEXISTS), then loops with a think time drawn around `opIntervalMs`. Written values are
 * unique (`<client>:<n>`), so the checker can tell every write apart. The ZooKeeper checker
 * judges the whole history; there is no recipe-specific check.
 */
import { z } from 'zod';
import type { ClientCommand } from '../client/commands.ts';
import { ClientDriver } from './driver/clientDriver.ts';
import type { WorkloadDefinition } from './workload.ts';

const params = z.strictObject({
  /** How many register znodes. */
  keys: z.number().int().min(1).max(64).default(1),
  /** Mean think time between one client's operations. */
  opIntervalMs: z.number().positive().default(20),
  /** Share of reads and of compare-and-sets (the rest are blind writes), in percent. */
  readPercent: z.number().int().min(0).max(100).default(50),
  casPercent: z.number().int().min(0).max(100).default(25),
  /** Whether a read is preceded by `sync` now and then (percent of reads). */
  syncPercent: z.number().int().min(0).max(100).default(0),
  /** Text put in front of every written value (to test what reads znode data, e.g. the report). */
  valuePrefix: z.string().max(1000).default(''),
});
export type RegisterParams = z.infer<typeof params>;

export const registerWorkload: WorkloadDefinition<RegisterParams> = {
  name: 'register',
  parseParams: (raw) => params.parse(raw ?? {}),
  start(ctx, p) {
    const d = new ClientDriver(ctx);
    const paths = Array.from({ length: p.keys }, (_, i) => `/r${i}`);
    const lastVersion = new Map<string, number>();
    const counter = new Map<string, number>();
    const intervalUs = Math.round(p.opIntervalMs * 1000);

    const next = (client: string): ClientCommand => {
      const n = (counter.get(client) ?? 0) + 1;
      counter.set(client, n);
      const path = ctx.rng.pick(paths);
      const roll = ctx.rng.int(100);
      if (roll < p.readPercent) {
        if (p.syncPercent > 0 && ctx.rng.int(100) < p.syncPercent) return { f: 'sync', value: { path } };
        return { f: 'getData', value: { path } };
      }
      const cas = roll < p.readPercent + p.casPercent;
      const version = cas ? (lastVersion.get(`${client} ${path}`) ?? 0) : -1;
      return { f: 'setData', value: { path, data: `${p.valuePrefix}${client}:${n}`, version } };
    };

    const loop = (client: string) => {
      if (ctx.nowUs() >= ctx.stopAtUs || d.ended(client)) return;
      const command = next(client);
      d.call(client, command, (r) => {
        if (r.type === 'ok' && (command.f === 'getData' || command.f === 'setData')) {
          const v = (r.value as { version?: number } | null)?.version;
          if (typeof v === 'number') lastVersion.set(`${client} ${command.value.path}`, v);
        }
        d.after(ctx.rng.range(Math.ceil(intervalUs / 2), Math.floor((intervalUs * 3) / 2) + 1), () => loop(client));
      });
    };

    const begin = (client: string) => {
      for (const path of paths) d.call(client, { f: 'create', value: { path, data: `${p.valuePrefix}${client}:0`, mode: 'PERSISTENT' } });
      loop(client);
    };
    // A restarted client process lost its queue: it starts over.
    d.forEachSession(begin);
    return { finish: () => [] };
  },
};
