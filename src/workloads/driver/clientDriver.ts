/**
 * A callback API over the workload contract, shared by every workload: `call(client, command,
 * done)` runs one command and hands its completion to `done`. It keeps the rules every
 * workload must follow in one place:
 *
 * - **One operation at a time per client.** A client's history is one Jepsen process, which
 *   must not invoke while its previous operation is pending; commands wait in a per-client
 *   queue and go out one by one, in the order they were called.
 * - **Only while connected.** Commands are held until the client reports `connected` (so a
 *   workload does not fill the history with ops that fail while the client looks for a
 *   server); once sent, an op may still end `fail`/`info` when the connection drops.
 * - **Never re-entrant.** A send is scheduled on the virtual clock (at the current time)
 *   rather than made from inside an output listener, which runs in the middle of the client's
 *   own step.
 * - **Sessions end.** After `expired` or `closed` the client is finished (the ZkClient is
 *   final), so queued commands are dropped and later calls ignored. A `connected` with a new
 *   session id means the client process was restarted (a crash loses what it had in flight):
 *   the queue is dropped and listeners hear `restarted`.
 *
 * It also records the {@link SessionFacts} that recipe checks use.
 */
import type { ClientState, EventOutput } from '../../client/clientOutput.ts';
import type { ClientCommand } from '../../client/commands.ts';
import type { WorkloadContext } from '../workload.ts';
import { type SessionFacts, SessionFactsRecorder } from './sessionFacts.ts';

/** How a command ended. */
export interface OpResult {
  type: 'ok' | 'fail' | 'info';
  value: unknown;
  /** ZooKeeper error name unless ok (NONODE, NODEEXISTS, CONNECTIONLOSS, SESSIONEXPIRED, ...). */
  error?: string;
  /** The reply's zxid (the txn's for a write, the server's last applied for a read). */
  zxid?: number;
  /** When the invoke was recorded, and when the completion was. */
  invokeUs: number;
  timeUs: number;
}

/** A change of a client's connection or session, as listeners hear it. */
export type StateChange = ClientState | 'restarted';

interface Queued {
  command: ClientCommand;
  done: (r: OpResult) => void;
}

interface Slot {
  session: string | null;
  connected: boolean;
  ended: boolean;
  queue: Queued[];
  inFlight: Queued | undefined;
  invokeUs: number;
  sendScheduled: boolean;
}

type StateListener = (client: string, change: StateChange, session: string | null, timeUs: number) => void;
type EventListener = (client: string, event: EventOutput['event'], timeUs: number) => void;

/** Runs commands for a workload, one at a time per client. */
export class ClientDriver {
  private readonly slots = new Map<string, Slot>();
  private readonly stateListeners: StateListener[] = [];
  private readonly eventListeners: EventListener[] = [];
  private readonly recorder = new SessionFactsRecorder();

  constructor(readonly ctx: WorkloadContext) {
    for (const c of ctx.clients) this.slots.set(c, { session: null, connected: false, ended: false, queue: [], inFlight: undefined, invokeUs: 0, sendScheduled: false });
    ctx.onOutput((client, out, timeUs) => {
      const slot = this.slots.get(client);
      if (slot === undefined) return;
      switch (out.type) {
        case 'invoke':
          slot.invokeUs = timeUs;
          return;
        case 'ok':
        case 'fail':
        case 'info':
          return this.onCompletion(client, slot, { type: out.type, value: out.value, ...(out.error !== undefined ? { error: out.error } : {}), ...(out.zxid !== undefined ? { zxid: out.zxid } : {}), invokeUs: slot.invokeUs, timeUs }, out.f, out.session);
        case 'event':
          for (const l of this.eventListeners) l(client, out.event, timeUs);
          return;
        case 'state':
          return this.handleState(client, slot, out.state, out.session, timeUs);
      }
    });
  }

  /** The sessions seen so far (kept up to date; read it at the end of the run). */
  get facts(): SessionFacts {
    return this.recorder.facts;
  }

  /** Current virtual time (µs). */
  nowUs(): number {
    return this.ctx.nowUs();
  }

  /** Runs `action` after `delayUs` of virtual time. */
  after(delayUs: number, action: () => void): void {
    this.ctx.at(this.ctx.nowUs() + Math.max(0, Math.round(delayUs)), action);
  }

  /** Queues a command; `done` gets its completion (never called if the session ends first). */
  call(client: string, command: ClientCommand, done: (r: OpResult) => void = () => {}): void {
    const slot = this.slot(client);
    if (slot.ended) return;
    slot.queue.push({ command, done });
    this.pump(client, slot);
  }

  /** Hears connection changes (after the driver's own bookkeeping). */
  onState(listener: StateListener): void {
    this.stateListeners.push(listener);
  }

  /**
   * Runs `begin` for every client now, and again for a client whose process was restarted
   * (its new session starts with nothing queued, so the workload starts it over).
   */
  forEachSession(begin: (client: string) => void): void {
    for (const c of this.ctx.clients) begin(c);
    this.onState((client, change) => {
      if (change === 'restarted') begin(client);
    });
  }

  /** Hears watch notifications. */
  onEvent(listener: EventListener): void {
    this.eventListeners.push(listener);
  }

  connected(client: string): boolean {
    return this.slot(client).connected;
  }

  /** Whether the client's current session has ended (expired or closed). */
  ended(client: string): boolean {
    return this.slot(client).ended;
  }

  session(client: string): string | null {
    return this.slot(client).session;
  }

  /** Whether the client has nothing queued or in flight. */
  idle(client: string): boolean {
    const slot = this.slot(client);
    return slot.inFlight === undefined && slot.queue.length === 0;
  }

  private slot(client: string): Slot {
    const slot = this.slots.get(client);
    if (slot === undefined) throw new Error(`workload: unknown client ${client}`);
    return slot;
  }

  private pump(client: string, slot: Slot): void {
    if (slot.sendScheduled || slot.inFlight !== undefined || !slot.connected || slot.ended || slot.queue.length === 0) return;
    slot.sendScheduled = true;
    this.ctx.at(this.ctx.nowUs(), () => {
      slot.sendScheduled = false;
      if (slot.inFlight !== undefined || !slot.connected || slot.ended || slot.queue.length === 0) return;
      slot.inFlight = slot.queue.shift()!;
      slot.invokeUs = this.ctx.nowUs();
      this.ctx.send(client, slot.inFlight.command);
    });
  }

  private onCompletion(client: string, slot: Slot, r: OpResult, f: string, session: string | null): void {
    const op = slot.inFlight;
    if (op === undefined) return;
    slot.inFlight = undefined;
    if (r.type === 'ok') this.recorder.onOk(client, session, f, r.invokeUs);
    op.done(r);
    this.pump(client, slot);
  }

  private handleState(client: string, slot: Slot, state: ClientState, session: string | null, timeUs: number): void {
    this.recorder.onState(client, session, state, timeUs);
    if (state === 'connected' && session !== null && slot.session !== null && session !== slot.session) {
      // A new session on the same client: the process was restarted; its old ops are gone.
      slot.queue = [];
      slot.inFlight = undefined;
      slot.ended = false;
      for (const l of this.stateListeners) l(client, 'restarted', slot.session, timeUs);
    }
    if (session !== null) slot.session = session;
    slot.connected = state === 'connected';
    if (state === 'expired' || state === 'closed') {
      slot.ended = true;
      slot.queue = [];
      slot.inFlight = undefined;
    }
    for (const l of this.stateListeners) l(client, state, session, timeUs);
    this.pump(client, slot);
  }
}
