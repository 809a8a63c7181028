/**
 * Pause and resume: the process is frozen (a long GC pause, SIGSTOP) and every input waits
 * until it resumes; its timers keep running on the host, so it wakes to a burst of them.
 */
import type { FaultAction } from '../spec.ts';
import { resolveTarget } from '../targets.ts';
import { quorumGuard, skipped, type ActionFn, type FaultWorld } from '../world.ts';

function resumeAll(w: FaultWorld, ids: readonly string[]): void {
  for (const id of ids) w.sim.host(id).resume();
}

export const applyPause: ActionFn<Extract<FaultAction, { kind: 'pause' }>> = (w, a, mem) => {
  const ids = resolveTarget(a.target, w, mem).filter((id) => w.isUp(id) && !w.isPaused(id));
  if (ids.length === 0) return skipped('no running, unpaused server matches the target');
  const why = quorumGuard(w, ids);
  if (why !== undefined) return skipped(why, ids);
  for (const id of ids) w.sim.host(id).pause();
  return { resolvedTo: ids, revert: () => resumeAll(w, ids) };
};

export const applyResume: ActionFn<Extract<FaultAction, { kind: 'resume' }>> = (w, a, mem) => {
  const ids = resolveTarget(a.target, w, mem).filter((id) => w.isUp(id) && w.isPaused(id));
  if (ids.length === 0) return skipped('no paused server matches the target');
  resumeAll(w, ids);
  return { resolvedTo: ids };
};
