/**
 * Shared indexes over a parsed ZooKeeper history: operations per session (in invocation order),
 * per path, and what each operation let its client observe about a znode.
 */
import type { ZkOp } from './zkOp.ts';
import { isWrite } from './zkOp.ts';

/** What an operation told its client about one znode. */
export interface Observation {
  exists: boolean;
  version?: number;
  mzxid?: number;
  data?: unknown;
}

/** Indexes used by every rule. */
export interface ZkContext {
  ops: ZkOp[];
  sessions: Map<string, ZkOp[]>;
  byPath: Map<string, ZkOp[]>;
}

/** Builds the indexes; `ops` must be in invocation order. */
export function buildContext(ops: ZkOp[]): ZkContext {
  const sessions = new Map<string, ZkOp[]>();
  const byPath = new Map<string, ZkOp[]>();
  for (const z of ops) {
    let s = sessions.get(z.session);
    if (s === undefined) sessions.set(z.session, (s = []));
    s.push(z);
    if (z.kind === 'sync') continue;
    let p = byPath.get(z.path);
    if (p === undefined) byPath.set(z.path, (p = []));
    p.push(z);
  }
  return { ops, sessions, byPath };
}

/** True when the op completed with a result its client saw (ok or a determinate error). */
export function isDeterminate(z: ZkOp): boolean {
  return z.outcome !== 'unknown' && z.outcome !== 'ignored';
}

/** What `z` told its client about its znode, if anything. */
export function observe(z: ZkOp): Observation | undefined {
  switch (z.outcome) {
    case 'NONODE':
      return { exists: false };
    case 'NODEEXISTS':
    case 'BADVERSION':
    case 'NOTEMPTY':
      return { exists: true };
    case 'ok':
      break;
    default:
      return undefined;
  }
  const r = z.result;
  const withStat = (o: Observation): Observation => {
    if (r.version !== undefined) o.version = r.version;
    if (r.mzxid !== undefined) o.mzxid = r.mzxid;
    return o;
  };
  switch (z.kind) {
    case 'getData':
      return withStat({ exists: true, data: r.data });
    case 'exists':
      return r.exists ? withStat({ exists: true }) : { exists: false };
    case 'create': {
      const o: Observation = { exists: true, version: 0 };
      if (z.zxid !== undefined) o.mzxid = z.zxid;
      return o;
    }
    case 'setData': {
      const o = withStat({ exists: true });
      if (z.zxid !== undefined) o.mzxid = z.zxid;
      return o;
    }
    case 'delete':
      return { exists: false };
    default:
      return undefined;
  }
}

/** True for reads (getData, exists). */
export function isRead(z: ZkOp): boolean {
  return z.kind === 'getData' || z.kind === 'exists';
}

/** True when some delete of `path` may have taken effect (acknowledged or unknown). */
export function mayDelete(ctx: ZkContext, path: string): boolean {
  return (ctx.byPath.get(path) ?? []).some((z) => z.kind === 'delete' && (z.outcome === 'ok' || z.outcome === 'unknown'));
}

/** True when some create of `path` may take effect after time `t` (its interval reaches past t). */
export function mayCreateAfter(ctx: ZkContext, path: string, t: number): boolean {
  return (ctx.byPath.get(path) ?? []).some((z) => z.kind === 'create' && (z.outcome === 'ok' || z.outcome === 'unknown') && retOf(z) >= t);
}

/** Return time, `Infinity` for an op whose outcome is unknown. */
export function retOf(z: ZkOp): number {
  return z.outcome === 'unknown' ? Infinity : z.op.ret;
}

/** History index of the op's invoke. */
export const idx = (z: ZkOp): number => z.op.invoke.index;

/** Short label such as `#12 setData /a (session 3)`. */
export function label(z: ZkOp): string {
  return `#${idx(z)} ${z.kind}${z.kind === 'sync' ? '' : ` ${z.path}`} (session ${z.session})`;
}

export { isWrite };
