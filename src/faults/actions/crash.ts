/**
 * Crashes and restarts. A crash drops the process's memory, timers and connections and keeps
 * what its disk made durable: by default unsynced writes are lost (power loss); `keep-unsynced`
 * is a process kill whose OS still flushes; `torn-write` also keeps a random prefix of the last
 * unsynced append. A restart builds a new incarnation from the durable disk image.
 */
import type { CrashDiskOptions } from '../../sim/disk/disk.ts';
import type { DiskMode, FaultAction, TargetSpec, UsRange } from '../spec.ts';
import { resolveTarget, type TargetMemory } from '../targets.ts';
import { quorumGuard, skipped, type ActionFn, type FaultWorld } from '../world.ts';

/** Disk options of a crash mode. */
export function crashDisk(mode: DiskMode): CrashDiskOptions {
  switch (mode) {
    case 'lose-unsynced':
      return { loseUnsynced: true, tearLastWrite: false };
    case 'keep-unsynced':
      return { loseUnsynced: false, tearLastWrite: false };
    case 'torn-write':
      return { loseUnsynced: true, tearLastWrite: true };
  }
}

/** Starts every listed server that is still down. */
export function restartDown(w: FaultWorld, ids: readonly string[]): string[] {
  const started: string[] = [];
  for (const id of ids) {
    if (w.isUp(id)) continue;
    w.sim.host(id).start();
    started.push(id);
  }
  return started;
}

/** Draws a duration from a range on the faults stream (no draw for a fixed value). */
export function drawUs(w: FaultWorld, r: UsRange): number {
  return r.minUs === r.maxUs ? r.minUs : w.stream.range(r.minUs, r.maxUs);
}

/** Crashes the running servers of a target, unless that would break keepQuorum. */
function crashTargets(w: FaultWorld, target: TargetSpec, mode: DiskMode, mem: TargetMemory) {
  const ids = resolveTarget(target, w, mem).filter((id) => w.isUp(id));
  if (ids.length === 0) return { ids, why: 'no running server matches the target' };
  const why = quorumGuard(w, ids);
  if (why !== undefined) return { ids, why };
  for (const id of ids) w.sim.host(id).crash(crashDisk(mode));
  return { ids, why: undefined };
}

export const applyCrash: ActionFn<Extract<FaultAction, { kind: 'crash' }>> = (w, a, mem) => {
  const { ids, why } = crashTargets(w, a.target, a.disk, mem);
  if (why !== undefined) return skipped(why, ids);
  return { resolvedTo: ids, detail: { disk: a.disk }, revert: () => void restartDown(w, ids) };
};

export const applyRestart: ActionFn<Extract<FaultAction, { kind: 'restart' }>> = (w, a, mem) => {
  const ids = resolveTarget(a.target, w, mem).filter((id) => !w.isUp(id));
  if (ids.length === 0) return skipped('no stopped server matches the target');
  return { resolvedTo: restartDown(w, ids) };
};

/** Crash now, restart after a drawn down time (a crash-restart loop when triggered `every`). */
export const applyCrashRestart: ActionFn<Extract<FaultAction, { kind: 'crash-restart' }>> = (w, a, mem) => {
  const { ids, why } = crashTargets(w, a.target, a.disk, mem);
  if (why !== undefined) return skipped(why, ids);
  const downUs = drawUs(w, a.down);
  w.sim.at(w.sim.nowUs + downUs, () => void restartDown(w, ids));
  return { resolvedTo: ids, detail: { disk: a.disk, downUs } };
};
