/**
 * Turns a running simulation's trace into the ZAB checker's event vocabulary
 * (src/checker/zab/events.ts): the engine's `proto` events (`established`, `propose`, and the
 * `zab` family: log, commit, apply, truncate, snapshotLoad, syncSnap), the kernel's crash /
 * restart / disk wipe, and client acknowledgements reported by the system. Each event keeps its
 * index in the trace so a violation points back at the run.
 */
import type { ZabEvent } from '../../checker/zab/events.ts';
import type { Simulation } from '../../sim/simulation.ts';

type Proto = { ev?: string; kind?: string; zxid?: number; digest?: string; epoch?: number; toZxid?: number };

export class ZabEventLog {
  readonly events: ZabEvent[] = [];

  constructor(private readonly sim: Simulation, isServer: (node: string) => boolean) {
    sim.trace.listen((timeUs, kind, node, data) => {
      if (!isServer(node)) return;
      const eventIndex = sim.trace.count - 1;
      const base = { eventIndex, atUs: timeUs };
      if (kind === 'crash') this.events.push({ ...base, kind: 'crash', node });
      else if (kind === 'restart') this.events.push({ ...base, kind: 'restart', node });
      else if (kind === 'disk' && Array.isArray(data) && data[0] === 'wipe') this.events.push({ ...base, kind: 'diskLoss', node });
      else if (kind === 'proto') this.onProto(base, node, data as Proto);
    });
  }

  private onProto(base: { eventIndex: number; atUs: number }, node: string, p: Proto): void {
    if (p.ev === 'established') this.events.push({ ...base, kind: 'establish', node, epoch: p.epoch! });
    else if (p.ev === 'propose') this.events.push({ ...base, kind: 'propose', node, epoch: p.epoch!, zxid: p.zxid!, digest: p.digest! });
    else if (p.ev !== 'zab') return;
    else if (p.kind === 'log' || p.kind === 'apply') this.events.push({ ...base, kind: p.kind, node, zxid: p.zxid!, digest: p.digest! });
    else if (p.kind === 'commit') this.events.push({ ...base, kind: 'commit', node, zxid: p.zxid! });
    else if (p.kind === 'truncate') this.events.push({ ...base, kind: 'truncate', node, toZxid: p.toZxid! });
    else if (p.kind === 'snapshotLoad' || p.kind === 'syncSnap' || p.kind === 'recover') this.events.push({ ...base, kind: p.kind, node, zxid: p.zxid! });
  }

  /** A write with txn `zxid` was acknowledged to a client (call right after its completion is traced). */
  clientAck(zxid: number, server?: string): void {
    this.events.push({ eventIndex: this.sim.trace.count - 1, atUs: this.sim.nowUs, kind: 'clientAck', zxid, ...(server !== undefined ? { node: server } : {}) });
  }
}
