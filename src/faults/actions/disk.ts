/**
 * Disk loss: the server crashes (if it runs), every file it had is gone, and it restarts empty
 * after a drawn down time — the operator replaced the disk. ZooKeeper cannot tell this from a
 * new server, so a committed txn can disappear if enough servers lose their disks; the ZAB
 * checker reports that rather than excusing it.
 */
import type { FaultAction } from '../spec.ts';
import { resolveTarget } from '../targets.ts';
import { quorumGuard, skipped, type ActionFn } from '../world.ts';
import { drawUs, restartDown } from './crash.ts';

export const applyDiskLoss: ActionFn<Extract<FaultAction, { kind: 'disk-loss' }>> = (w, a, mem) => {
  const ids = resolveTarget(a.target, w, mem);
  if (ids.length === 0) return skipped('no server matches the target');
  const why = quorumGuard(w, ids);
  if (why !== undefined) return skipped(why, ids);
  for (const id of ids) {
    const host = w.sim.host(id);
    if (host.isUp()) host.crash({ loseUnsynced: true, tearLastWrite: false });
    host.loseDisk();
  }
  const downUs = drawUs(w, a.down);
  w.sim.at(w.sim.nowUs + downUs, () => void restartDown(w, ids));
  return { resolvedTo: ids, detail: { downUs } };
};
