/**
 * Clock faults on a server's local clock: a skew jumps it by a fixed amount, a drift makes it
 * run fast or slow (parts per million). Timers a server sets run on its own clock, so a fast
 * clock fires them early; what the server reads as "now" (txn times, session deadlines) moves
 * with it. Undoing a skew jumps back; undoing a drift sets the rate back to exact.
 */
import type { FaultAction } from '../spec.ts';
import { resolveTarget } from '../targets.ts';
import { skipped, type ActionFn } from '../world.ts';

export const applySkew: ActionFn<Extract<FaultAction, { kind: 'clock-skew' }>> = (w, a, mem) => {
  const ids = resolveTarget(a.target, w, mem);
  if (ids.length === 0) return skipped('no server matches the target');
  const shift = (by: number) => {
    for (const id of ids) w.sim.host(id).clock.shift(w.sim.nowUs, by);
  };
  shift(a.byUs);
  return { resolvedTo: ids, detail: { byUs: a.byUs }, revert: () => shift(-a.byUs) };
};

export const applyDrift: ActionFn<Extract<FaultAction, { kind: 'clock-drift' }>> = (w, a, mem) => {
  const ids = resolveTarget(a.target, w, mem);
  if (ids.length === 0) return skipped('no server matches the target');
  const set = (ppm: number) => {
    for (const id of ids) w.sim.host(id).clock.setDrift(w.sim.nowUs, ppm);
  };
  set(a.ppm);
  return { resolvedTo: ids, detail: { ppm: a.ppm }, revert: () => set(0) };
};
