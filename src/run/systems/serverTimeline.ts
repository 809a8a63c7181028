/**
 * What each server was doing over the run, from its protocol events: role (LOOKING, LEADING,
 * FOLLOWING, OBSERVING, down), epoch and last applied zxid. Samples are taken when the role or
 * epoch changes, and at most every `zxidSampleUs` for zxid progress, so a report can draw a
 * strip per server. Elections are derived from it: from the first server going LOOKING after a
 * leader was established to the next leader being established.
 */
import type { Simulation } from '../../sim/simulation.ts';
import type { ElectionRecord } from '../system.ts';
import { asZabProtoEvent, type ZabProtoEvent } from '../../engine/zab/protoEvent.ts';

export interface ServerSample {
  server: string;
  timeUs: number;
  role: string;
  epoch: number;
  lastZxid: number;
}

interface ServerState {
  role: string;
  epoch: number;
  lastZxid: number;
  lastSampleUs: number;
}

export class ServerTimeline {
  readonly samples: ServerSample[] = [];
  readonly elections: ElectionRecord[] = [];
  private states = new Map<string, ServerState>();
  private lookingSinceUs: number | undefined = 0;

  constructor(sim: Simulation, isServer: (node: string) => boolean, private readonly zxidSampleUs = 100_000) {
    sim.trace.listen((timeUs, kind, node, data) => {
      if (!isServer(node)) return;
      if (kind === 'crash') this.update(node, timeUs, { role: 'down' });
      else if (kind === 'proto') {
        const ev = asZabProtoEvent(data);
        if (ev !== undefined) this.onProto(node, timeUs, ev);
      }
    });
  }

  private onProto(node: string, timeUs: number, p: ZabProtoEvent): void {
    if (p.ev === 'state') {
      if (this.lookingSinceUs === undefined) this.lookingSinceUs = timeUs;
      this.update(node, timeUs, { role: 'LOOKING', lastZxid: p.zxid });
    } else if (p.ev === 'decided') {
      this.update(node, timeUs, { role: p.state });
    } else if (p.ev === 'established') {
      this.update(node, timeUs, { role: 'LEADING', epoch: p.epoch });
      this.elections.push({ epoch: p.epoch, leader: node, startedAtMs: (this.lookingSinceUs ?? timeUs) / 1000, servingAtMs: timeUs / 1000 });
      this.lookingSinceUs = undefined;
    } else if (p.ev === 'serving') {
      this.update(node, timeUs, { epoch: p.epoch });
    } else if (p.ev === 'zab' && (p.kind === 'apply' || p.kind === 'snapshotLoad')) {
      const s = this.states.get(node);
      if (s === undefined || timeUs - s.lastSampleUs >= this.zxidSampleUs) this.update(node, timeUs, { lastZxid: p.zxid });
      else s.lastZxid = p.zxid;
    }
  }

  private update(node: string, timeUs: number, change: Partial<Omit<ServerState, 'lastSampleUs'>>): void {
    const prev = this.states.get(node) ?? { role: 'down', epoch: 0, lastZxid: 0, lastSampleUs: 0 };
    const next = { ...prev, ...change, lastSampleUs: timeUs };
    this.states.set(node, next);
    this.samples.push({ server: node, timeUs, role: next.role, epoch: next.epoch, lastZxid: next.lastZxid });
  }
}
