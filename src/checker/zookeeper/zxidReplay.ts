/**
 * Exact replay by zxid. When every write to a path that may have taken effect is acknowledged and
 * carries its txn zxid, the path's history is known exactly: sorting those writes by zxid gives
 * the order ZooKeeper applied them in. Replaying that order through the znode model checks the
 * writes' own results, and gives, for any zxid, the znode's state after every txn up to it.
 */
import type { Operation } from '../history/operations.ts';
import type { Model } from '../linearizability/model.ts';
import type { SparseMap, ZnodeInput } from '../linearizability/models/index.ts';
import type { ZkContext } from './context.ts';
import { isWrite, type ZkOp } from './zkOp.ts';

/** A path's replayed timeline: state after each write, by ascending zxid. */
export interface PathTimeline {
  path: string;
  writes: ZkOp[];
  zxids: number[];
  /** `states[i]` is the state after `writes[i]`; `initial` before the first. */
  states: SparseMap[];
  initial: SparseMap;
}

/** A write the replay found impossible in zxid order. */
export interface ReplayFailure {
  path: string;
  write: ZkOp;
  previous: ZkOp | undefined;
  stateDescription: string;
}

/** Result of replaying every path that can be replayed exactly. */
export interface Replay {
  timelines: Map<string, PathTimeline>;
  failures: ReplayFailure[];
}

/** Replays the paths whose writes are all determinate and zxid-tagged. */
export function replayByZxid(ctx: ZkContext, model: Model<SparseMap, ZnodeInput>): Replay {
  const timelines = new Map<string, PathTimeline>();
  const failures: ReplayFailure[] = [];
  const prepare = (z: ZkOp): ZnodeInput | undefined => model.prepare(z.op as Operation);
  for (const [path, ops] of ctx.byPath) {
    const writes = ops.filter((z) => isWrite(z.kind) && z.outcome !== 'ignored');
    // A write with unknown outcome, or an acknowledged one without zxid, hides part of the order.
    if (writes.some((z) => z.outcome === 'unknown' || (z.outcome === 'ok' && z.zxid === undefined))) continue;
    const ordered = writes.filter((z) => z.zxid !== undefined).sort((a, b) => a.zxid! - b.zxid!);
    if (ordered.some((z, i) => i > 0 && ordered[i - 1]!.zxid === z.zxid)) continue; // reported as a uniqueness violation
    const initial = model.init();
    let state = initial;
    const states: SparseMap[] = [];
    let failed = false;
    for (let i = 0; i < ordered.length; i++) {
      const z = ordered[i]!;
      const input = prepare(z);
      const next = input === undefined ? state : model.step(state, input);
      if (next === undefined) {
        failures.push({ path, write: z, previous: ordered[i - 1], stateDescription: model.describeState(state) });
        failed = true;
        break;
      }
      state = next;
      states.push(state);
    }
    if (!failed) timelines.set(path, { path, writes: ordered, zxids: ordered.map((z) => z.zxid!), states, initial });
  }
  return { timelines, failures };
}

/** The state of a timeline after every txn with zxid ≤ `zxid`, and the write that produced it. */
export function stateAt(t: PathTimeline, zxid: number): { state: SparseMap; by: ZkOp | undefined } {
  let lo = 0;
  let hi = t.zxids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.zxids[mid]! <= zxid) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? { state: t.initial, by: undefined } : { state: t.states[lo - 1]!, by: t.writes[lo - 1] };
}
