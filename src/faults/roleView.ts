/**
 * Who is leader, who follows, and which phase the ensemble is in — as of now. Fault targets such
 * as `leader` and filters such as `from: leader` are resolved through this interface when a fault
 * fires. A system may provide its own view; the default one needs nothing from the system: it
 * reads the roles off the protocol events the servers put in the trace.
 */
import type { TraceKind } from '../sim/trace/traceEvent.ts';
import { asZabProtoEvent, type ZabProtoEvent } from '../engine/zab/protoEvent.ts';

/** What role targets are resolved against. Lists are in server id order. */
export interface RoleView {
  /** Every server (participants and observers), up or down. */
  servers(): readonly string[];
  /** Voting servers, up or down. */
  participants(): readonly string[];
  /** Configured observers, up or down. */
  observers(): readonly string[];
  /** The current leader, if any. */
  leader(): string | undefined;
  /** Running servers that follow (the current leader, when there is one). */
  followers(): readonly string[];
  /** The ensemble's phase: election, discovery, sync (sync-DIFF/TRUNC/SNAP), broadcast. */
  phase(): string;
}

/** A server's role as the trace shows it. */
export type NodeRole = 'down' | 'LOOKING' | 'LEADING' | 'FOLLOWING' | 'OBSERVING';

/** Per-server phase: the leader's drives the ensemble's. */
export type NodePhase = 'down' | 'election' | 'discovery' | 'sync' | 'broadcast';

interface NodeState {
  role: NodeRole;
  phase: NodePhase;
  /** For a learner: the leader it decided on. */
  leader: string | undefined;
  /** For a leader: whether a quorum acked its NEWLEADER. */
  established: boolean;
  epoch: number;
  /** Order in which nodes decided to lead (newer wins ties). */
  decidedSeq: number;
  /** Mode of the latest sync this node took part in. */
  syncMode: string | undefined;
}

/** Maps a `leader` sid in a protocol event to a server id. */
export type SidToNode = (sid: number) => string;

/**
 * The default role view, derived from the trace: `decided` events set roles, `established`
 * marks a leader, `state: LOOKING` and `abandon` return a server to the election, `crash`,
 * `start` and `restart` track which servers run. Feed it every event with `observe` (or
 * `attach` it to a trace).
 */
export class TraceRoleView implements RoleView {
  private readonly nodes = new Map<string, NodeState>();
  private readonly observerSet: ReadonlySet<string>;
  private readonly participantList: readonly string[];
  private seq = 0;

  constructor(
    private readonly serverList: readonly string[],
    observerIds: readonly string[] = [],
    private readonly nodeOfSid: SidToNode = (sid) => `n${sid}`,
  ) {
    this.observerSet = new Set(observerIds);
    for (const id of observerIds) if (!serverList.includes(id)) throw new Error(`observer ${id} is not a server`);
    this.participantList = serverList.filter((s) => !this.observerSet.has(s));
    for (const id of serverList) this.nodes.set(id, blank());
  }

  /** Subscribes to a trace; returns the function that unsubscribes. */
  attach(trace: { listen(l: (t: number, k: TraceKind, n: string, d: unknown) => void): () => void }): () => void {
    return trace.listen((_t, kind, node, data) => this.observe(kind, node, data));
  }

  /** Updates the view with one trace event. */
  observe(kind: TraceKind, node: string, data: unknown): void {
    const s = this.nodes.get(node);
    if (s === undefined) return;
    if (kind === 'crash') {
      Object.assign(s, blank());
    } else if (kind === 'start' || kind === 'restart') {
      Object.assign(s, blank(), { role: 'LOOKING', phase: 'election' });
    } else if (kind === 'proto') {
      this.onProto(s, asZabProtoEvent(data));
    }
  }

  private onProto(s: NodeState, ev: ZabProtoEvent | undefined): void {
    if (ev === undefined || s.role === 'down') return;
    switch (ev.ev) {
      case 'state':
        Object.assign(s, { role: 'LOOKING', phase: 'election', leader: undefined, established: false });
        return;
      case 'abandon':
        Object.assign(s, { role: 'LOOKING', phase: 'election', leader: undefined, established: false });
        return;
      case 'decided':
        if (ev.state === 'LOOKING') return;
        s.role = ev.state;
        s.phase = 'discovery';
        s.established = false;
        s.leader = this.nodeOfSid(ev.leader);
        if (s.role === 'LEADING') s.decidedSeq = ++this.seq;
        return;
      case 'epoch-proposed':
        s.epoch = ev.epoch;
        return;
      case 'epoch-acked':
        if (s.role === 'LEADING' && !s.established) s.phase = 'sync';
        return;
      case 'sync':
      case 'sync-start':
        s.syncMode = ev.mode;
        if (!s.established && s.phase !== 'broadcast') s.phase = 'sync';
        return;
      case 'established':
        s.established = true;
        s.phase = 'broadcast';
        s.epoch = ev.epoch;
        return;
      case 'serving':
        s.phase = 'broadcast';
        return;
    }
  }

  servers(): readonly string[] {
    return this.serverList;
  }

  participants(): readonly string[] {
    return this.participantList;
  }

  observers(): readonly string[] {
    return this.serverList.filter((s) => this.observerSet.has(s));
  }

  /** The newest established leader that still leads, else the newest server that decided to lead. */
  leader(): string | undefined {
    let best: string | undefined;
    let bestRank: [number, number, number] = [-1, -1, -1];
    for (const [id, s] of this.nodes) {
      if (s.role !== 'LEADING') continue;
      const rank: [number, number, number] = [s.established ? 1 : 0, s.epoch, s.decidedSeq];
      if (compareRank(rank, bestRank) > 0) {
        best = id;
        bestRank = rank;
      }
    }
    return best;
  }

  followers(): readonly string[] {
    const leader = this.leader();
    return this.serverList.filter((id) => {
      const s = this.nodes.get(id)!;
      return s.role === 'FOLLOWING' && (leader === undefined || s.leader === leader);
    });
  }

  /** A server's role now. */
  roleOf(id: string): NodeRole {
    return this.nodes.get(id)?.role ?? 'down';
  }

  /** A server's own phase now. */
  phaseOf(id: string): NodePhase {
    return this.nodes.get(id)?.phase ?? 'down';
  }

  phase(): string {
    const leader = this.leader();
    if (leader === undefined) return 'election';
    const s = this.nodes.get(leader)!;
    if (s.phase === 'sync' && s.syncMode !== undefined) return `sync-${s.syncMode}`;
    return s.phase;
  }
}

function blank(): NodeState {
  return { role: 'down', phase: 'down', leader: undefined, established: false, epoch: -1, decidedSeq: 0, syncMode: undefined };
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
