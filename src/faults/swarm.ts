/**
 * Swarm mode, as in FoundationDB's and TigerBeetle's simulators: the seed picks which faults
 * happen, when, where and how hard, inside a window. The plan is drawn once, when faults are
 * installed, from the faults stream, so it is part of the seed and can be printed before the run
 * starts. Every reversible fault is undone before the window closes, so the ensemble has the rest
 * of the run to recover and the final checks see it healed.
 */
import type { ChoiceStream } from '../sim/rng/choices.ts';
import type { DiskMode, FaultAction, FaultKind, FaultSpec, SwarmSpec } from './spec.ts';
import { REVERSIBLE_KINDS } from './spec.ts';

/** Kinds a swarm draws from when the scenario names none. */
export const DEFAULT_SWARM_KINDS: readonly FaultKind[] = [
  'partition', 'partition-one-way', 'loss', 'delay', 'duplicate', 'reorder', 'clog',
  'crash', 'crash-restart', 'pause', 'clock-skew', 'clock-drift',
];

const MS = 1000;
const PLACES = ['leader', 'random-follower', 'random'] as const;
const DISK_MODES: readonly DiskMode[] = ['lose-unsynced', 'keep-unsynced', 'torn-write'];

/** Draws the concrete faults of one swarm entry. */
export function planSwarm(s: SwarmSpec, stream: ChoiceStream): FaultSpec[] {
  const o = s.swarm;
  const n = stream.range(o.count.min, o.count.max);
  const faults: FaultSpec[] = [];
  for (let i = 0; i < n; i++) {
    const kind = stream.pick(o.kinds);
    const atUs = stream.range(o.startUs, Math.max(o.startUs, o.untilUs - 1));
    const room = Math.max(1, o.untilUs - atUs);
    const longest = Math.min(o.maxDurationUs, room);
    const durationUs = stream.range(Math.min(50 * MS, longest), longest);
    const action = drawAction(kind, stream, durationUs);
    const spec: FaultSpec = { name: `${s.name}.${i + 1}`, action, trigger: { type: 'at', atUs } };
    if (REVERSIBLE_KINDS.includes(kind)) spec.durationUs = durationUs;
    faults.push(spec);
  }
  return faults.sort((a, b) => (a.trigger as { atUs: number }).atUs - (b.trigger as { atUs: number }).atUs);
}

function drawAction(kind: FaultKind, r: ChoiceStream, durationUs: number): FaultAction {
  const place = () => r.pick(PLACES);
  const scope = { from: 'all', to: 'all', oneWay: false };
  switch (kind) {
    case 'partition': {
      const shapes: string[][] = [['leader'], ['minority-with-leader'], ['minority'], ['random']];
      return { kind, groups: [r.pick(shapes), ['rest']] };
    }
    case 'partition-one-way':
      return { kind, from: [place()], to: 'all' };
    case 'heal':
      return { kind };
    case 'loss':
      return { kind, perMille: r.range(5, 150), ...scope };
    case 'duplicate':
    case 'reorder':
      return { kind, perMille: r.range(10, 300), ...scope };
    case 'delay': {
      const minUs = r.range(100, 2 * MS);
      return { kind, latency: { kind: 'exponential', minUs, meanUs: minUs + r.range(MS, 50 * MS) }, ...scope };
    }
    case 'clog':
      return { kind, from: [place()], to: 'all', oneWay: r.chance(500) };
    case 'crash':
      return { kind, target: place(), disk: r.pick(DISK_MODES) };
    case 'restart':
      return { kind, target: 'down' };
    case 'crash-restart':
      return { kind, target: place(), disk: r.pick(DISK_MODES), down: { minUs: durationUs, maxUs: durationUs } };
    case 'pause':
      return { kind, target: place() };
    case 'resume':
      return { kind, target: 'paused' };
    case 'clock-skew':
      return { kind, target: 'random', byUs: r.range(-2000 * MS, 2000 * MS) };
    case 'clock-drift':
      return { kind, target: 'random', ppm: r.range(-100_000, 100_000) };
    case 'disk-loss':
      return { kind, target: 'random-follower', down: { minUs: durationUs, maxUs: durationUs } };
  }
}
