/** Dispatch from an action kind to its implementation. */
import type { FaultAction } from '../spec.ts';
import type { TargetMemory } from '../targets.ts';
import type { Applied, FaultWorld } from '../world.ts';
import { applyDrift, applySkew } from './clock.ts';
import { applyCrash, applyCrashRestart, applyRestart } from './crash.ts';
import { applyDiskLoss } from './disk.ts';
import { applyClog, applyLinkConfig } from './links.ts';
import { applyHeal, applyOneWay, applyPartition } from './partition.ts';
import { applyPause, applyResume } from './pause.ts';

/**
 * Kinds that bring something back to life. Run from inside another event they would feed a new
 * incarnation (or a resumed process) inputs meant for the event being handled, so the injector
 * runs them right after that event, at the same virtual instant.
 */
export const AFTER_EVENT_KINDS: ReadonlySet<FaultAction['kind']> = new Set(['restart', 'resume']);

/** Applies one action now. */
export function applyAction(w: FaultWorld, a: FaultAction, mem: TargetMemory): Applied {
  switch (a.kind) {
    case 'partition':
      return applyPartition(w, a, mem);
    case 'partition-one-way':
      return applyOneWay(w, a, mem);
    case 'heal':
      return applyHeal(w, a, mem);
    case 'loss':
    case 'duplicate':
    case 'reorder':
    case 'delay':
      return applyLinkConfig(w, a, mem);
    case 'clog':
      return applyClog(w, a, mem);
    case 'crash':
      return applyCrash(w, a, mem);
    case 'restart':
      return applyRestart(w, a, mem);
    case 'crash-restart':
      return applyCrashRestart(w, a, mem);
    case 'pause':
      return applyPause(w, a, mem);
    case 'resume':
      return applyResume(w, a, mem);
    case 'clock-skew':
      return applySkew(w, a, mem);
    case 'clock-drift':
      return applyDrift(w, a, mem);
    case 'disk-loss':
      return applyDiskLoss(w, a, mem);
  }
}
