import type { EffectBoundary } from './effectBoundary.ts';
import type { ScheduledEvent } from '../clock/eventQueue.ts';
import type { Scheduler } from '../clock/scheduler.ts';
import { SimDisk, type CrashDiskOptions } from '../disk/disk.ts';
import type { DisconnectReason } from '../network/connection.ts';
import { sampleLatencyUs, type LatencyModel } from '../network/latency.ts';
import type { Network, NetworkEndpoint } from '../network/network.ts';
import type { ChoiceStream } from '../rng/choices.ts';
import type { Trace } from '../trace/trace.ts';
import { LocalClock } from './localClock.ts';
import { ProcessStepError } from './processStepError.ts';
import { UNTRACED, type Effect, type ProcessFactory, type ProcessInput, type SimProcess, type StepContext, type TimerId } from './process.ts';
import { emptyInPlace } from '../emptyInPlace.ts';

/** Shared services a host needs from its simulation. */
export interface HostServices {
  sched: Scheduler;
  net: Network;
  trace: Trace;
  /** The node's own stream (its jitter, ids, ...), kept across restarts. */
  nodeStream: ChoiceStream;
  /** Disk timing and torn-write decisions. */
  diskStream: ChoiceStream;
  fsyncLatency: LatencyModel;
  /** Receives `output` effects (client completions and the like). */
  onOutput: (node: string, value: unknown) => void;
  /** Defers fault actions triggered inside an effect until that effect is done. */
  boundary: EffectBoundary;
}

/** Lifecycle of a host. */
export type HostState = 'down' | 'up';

/**
 * Runs one simulated process: feeds it inputs, applies its effects, and owns what survives it
 * (its disk, its clock). Crash drops the process object and its timers and keeps the disk;
 * restart builds a new process from the factory and hands it the durable disk image; pause
 * queues every input until resume.
 */
export class ProcessHost implements NetworkEndpoint {
  readonly disk = new SimDisk();
  readonly clock = new LocalClock();
  state: HostState = 'down';
  paused = false;
  /** Counts incarnations; callbacks from an earlier one are ignored. */
  incarnation = 0;
  /** This host's endpoint index in the network (set when the simulation registers it). */
  netIndex = -1;
  private process: SimProcess | undefined;
  private timers = new Map<TimerId, ScheduledEvent>();
  private queued: ProcessInput[] = [];
  private diskFreeAtUs = 0;
  /**
   * Issued fsyncs not yet completed, oldest first from `fsyncHead` (across incarnations: a crash
   * does not cancel them), as parallel lists: an fsync is issued per txn per replica.
   */
  private readonly fsyncFiles: string[] = [];
  private readonly fsyncIds: (number | string)[] = [];
  private readonly fsyncMarks: number[] = [];
  private readonly fsyncIncarnations: number[] = [];
  /** Each fsync's completion event; a fired one is kept in `spareFsyncEvents` and armed again. */
  private readonly fsyncEvents: ScheduledEvent[] = [];
  private readonly spareFsyncEvents: ScheduledEvent[] = [];
  private fsyncHead = 0;
  private readonly ctx: { id: string; nowUs: number; rng: ChoiceStream; traced: boolean; out: Effect[] | undefined };
  /** The list lent to steps as StepContext.out; undefined while a step has it. */
  private spareEffects: Effect[] | undefined = [];

  constructor(
    readonly id: string,
    private readonly factory: ProcessFactory,
    private readonly s: HostServices,
  ) {
    this.ctx = { id, nowUs: 0, rng: s.nodeStream, traced: true, out: undefined };
  }

  /** The running incarnation, for inspection by tests and end-of-run checks (undefined when down). */
  get instance(): SimProcess | undefined {
    return this.process;
  }

  isUp(): boolean {
    return this.state === 'up';
  }

  /** Starts the first incarnation (or a new one after a crash). */
  start(): void {
    if (this.state === 'up') throw new Error(`${this.id} is already up`);
    const restart = this.incarnation > 0;
    this.incarnation++;
    this.state = 'up';
    this.paused = false;
    this.process = this.factory(this.id);
    this.s.trace.record(restart ? 'restart' : 'start', this.id, [this.incarnation]);
    this.input({ kind: 'start', disk: this.disk.image(), restart });
  }

  /** Kills the process: memory, timers and connections go; the disk keeps what was durable. */
  crash(disk: CrashDiskOptions = { loseUnsynced: true, tearLastWrite: false }): void {
    if (this.state === 'down') return;
    this.s.trace.record('crash', this.id, [disk.loseUnsynced, disk.tearLastWrite]);
    for (const t of this.timers.values()) this.s.sched.cancel(t);
    this.timers.clear();
    this.queued = [];
    this.process = undefined;
    this.state = 'down';
    this.paused = false;
    this.s.net.endpointDown(this.id);
    this.disk.crash(disk, this.s.diskStream);
  }

  /** Disk loss: every file is gone (usually while down; a live process keeps its memory). */
  loseDisk(): void {
    this.s.trace.record('disk', this.id, ['wipe']);
    this.disk.wipe();
  }

  /** Freezes the process (a GC pause, SIGSTOP): inputs queue up until `resume`. */
  pause(): void {
    if (this.state !== 'up' || this.paused) return;
    this.paused = true;
    this.s.trace.record('pause', this.id);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.s.trace.record('resume', this.id);
    const queued = this.queued;
    this.queued = [];
    for (const input of queued) {
      if (this.state !== 'up' || this.paused) {
        this.queued.push(input);
        continue;
      }
      this.step(input);
    }
  }

  /** Delivers a harness command to the process (through the same input path as everything). */
  command(command: unknown): void {
    this.input({ kind: 'command', command });
  }

  // --- NetworkEndpoint ------------------------------------------------------------------

  onAccepted(conn: number, peer: string): void {
    this.input({ kind: 'accepted', conn, peer });
  }
  onConnected(conn: number, peer: string, tag: string): void {
    this.input({ kind: 'connected', conn, peer, tag });
  }
  onConnectFailed(conn: number, peer: string, tag: string, reason: 'refused' | 'timeout'): void {
    this.input({ kind: 'connectFailed', conn, peer, tag, reason });
  }
  onMessage(conn: number, peer: string, msg: unknown): void {
    this.input({ kind: 'message', conn, peer, msg });
  }
  onDisconnected(conn: number, peer: string, reason: DisconnectReason): void {
    this.input({ kind: 'disconnected', conn, peer, reason });
  }

  // --- internals --------------------------------------------------------------------------

  private input(input: ProcessInput): void {
    if (this.state !== 'up') return;
    if (this.paused) {
      this.queued.push(input);
      return;
    }
    this.step(input);
  }

  private step(input: ProcessInput): void {
    const ctx = this.ctx;
    ctx.nowUs = this.clock.localUs(this.s.sched.nowUs());
    ctx.traced = this.s.trace.wanted;
    // Lend the spare list (a nested step of this node gets none and allocates its own).
    const lent = this.spareEffects;
    this.spareEffects = undefined;
    ctx.out = lent;
    let effects: readonly Effect[];
    try {
      effects = this.process!.step(input, ctx as StepContext);
    } catch (err) {
      if (err instanceof ProcessStepError) throw err;
      throw new ProcessStepError(this.id, this.s.sched.nowUs(), this.s.trace.count, input, err);
    }
    try {
      this.applyAll(effects);
    } finally {
      if (lent !== undefined) {
        emptyInPlace(lent);
        this.spareEffects = lent;
      }
    }
  }

  private applyAll(effects: readonly Effect[]): void {
    const incarnation = this.incarnation;
    const boundary = this.s.boundary;
    for (let i = 0; i < effects.length; i++) {
      // An untraced event is only counted; nothing can observe it, so it needs no boundary.
      if (effects[i] === UNTRACED) {
        this.s.trace.skip();
        continue;
      }
      boundary.enter();
      try {
        this.apply(effects[i]!);
      } finally {
        boundary.leave();
      }
      boundary.flush();
      // A fault trigger may crash (and even restart) this node in the middle of its effects:
      // the rest belong to a dead incarnation and are discarded.
      if (this.state !== 'up' || this.incarnation !== incarnation) return;
    }
  }

  private apply(e: Effect): void {
    const s = this.s;
    switch (e.kind) {
      case 'send':
        s.net.sendFrom(e.conn, this.netIndex, e.msg);
        return;
      case 'connect':
        s.net.connect(this.id, e.to, e.tag);
        return;
      case 'close':
        s.net.close(e.conn, this.id);
        return;
      case 'setTimer':
        this.setTimer(e.id, e.afterUs);
        return;
      case 'cancelTimer': {
        // The cancelled event stays in `timers`: arming the same timer again revives it
        // (Scheduler.reschedule) instead of leaving a dead entry in the event heap.
        const t = this.timers.get(e.id);
        if (t !== undefined) s.sched.cancel(t);
        return;
      }
      case 'append':
        // Appends and fsyncs are per txn per replica: no event array when nobody reads it.
        if (s.trace.wanted) s.trace.record('disk', this.id, ['append', e.file, e.bytes.length]);
        else s.trace.skip();
        this.disk.append(e.file, e.bytes);
        return;
      case 'replace':
        s.trace.record('disk', this.id, ['replace', e.file, e.bytes.length]);
        this.disk.replace(e.file, e.bytes);
        return;
      case 'truncate':
        s.trace.record('disk', this.id, ['truncate', e.file, e.length]);
        this.disk.truncate(e.file, e.length);
        return;
      case 'deleteFile':
        s.trace.record('disk', this.id, ['delete', e.file]);
        this.disk.delete(e.file);
        return;
      case 'fsync':
        this.fsync(e.file, e.id);
        return;
      case 'trace':
        if (e === UNTRACED) s.trace.skip();
        else s.trace.record('proto', this.id, e.event);
        return;
      case 'output':
        s.onOutput(this.id, e.value);
        return;
    }
  }

  private setTimer(id: TimerId, afterUs: number): void {
    if (!Number.isSafeInteger(afterUs) || afterUs < 0) throw new RangeError(`${this.id}: timer ${id} needs a non-negative integer delay, got ${afterUs}`);
    const delayUs = this.clock.globalDelayUs(afterUs);
    const old = this.timers.get(id);
    // Re-arming (a timeout pushed back on every packet, or armed again after a cancel) moves the event.
    if (old !== undefined) {
      const moved = this.s.sched.reschedule(old, this.s.sched.nowUs() + delayUs);
      if (moved !== old) this.timers.set(id, moved);
      return;
    }
    this.timers.set(id, this.s.sched.after(delayUs, this.timerCallback(id)));
  }

  /**
   * A timer's callback. In a method of its own: a closure written in setTimer would make V8
   * allocate a context for `id` on every call, and most calls only move an armed timer.
   */
  private timerCallback(id: TimerId): () => void {
    return () => {
      this.timers.delete(id);
      this.s.trace.record('timer', this.id, id);
      this.input({ kind: 'timer', id });
    };
  }

  private fsync(file: string, id: number | string): void {
    const now = this.s.sched.nowUs();
    // One device queue per disk: fsyncs complete in the order they were issued.
    const doneAt = Math.max(now + sampleLatencyUs(this.s.fsyncLatency, this.s.diskStream), this.diskFreeAtUs);
    this.diskFreeAtUs = doneAt;
    if (this.s.trace.wanted) this.s.trace.record('fsync', this.id, [file, id]);
    else this.s.trace.skip();
    // Completion times never decrease and ties fire in scheduling order, so the events fire in
    // the order of this queue and one shared callback serves them all (no closure per fsync).
    this.fsyncFiles.push(file);
    this.fsyncIds.push(id);
    this.fsyncMarks.push(this.disk.syncMark());
    this.fsyncIncarnations.push(this.incarnation);
    // A fired completion event is nobody else's: arm it again rather than allocate (same key as `at`).
    const spare = this.spareFsyncEvents.pop();
    this.fsyncEvents.push(spare !== undefined ? this.s.sched.rearm(spare, doneAt) : this.s.sched.at(doneAt, this.fsyncDone));
  }

  private readonly fsyncDone = (): void => {
    const i = this.fsyncHead;
    const file = this.fsyncFiles[i]!;
    const id = this.fsyncIds[i]!;
    const mark = this.fsyncMarks[i]!;
    const incarnation = this.fsyncIncarnations[i]!;
    this.spareFsyncEvents.push(this.fsyncEvents[i]!);
    if (i + 1 === this.fsyncFiles.length) {
      // None left in flight: start over at the front.
      this.fsyncHead = 0;
      emptyInPlace(this.fsyncFiles);
      emptyInPlace(this.fsyncIds);
      emptyInPlace(this.fsyncMarks);
      emptyInPlace(this.fsyncIncarnations);
      emptyInPlace(this.fsyncEvents);
    } else if (i + 1 >= 1024) {
      // Never drained (fsyncs always overlapping): drop the spent front now and then.
      for (const list of [this.fsyncFiles, this.fsyncIds, this.fsyncMarks, this.fsyncIncarnations, this.fsyncEvents]) list.splice(0, i + 1);
      this.fsyncHead = 0;
    } else {
      this.fsyncHead = i + 1;
    }
    if (this.incarnation !== incarnation || this.state !== 'up') return;
    this.disk.commit(file, mark);
    if (this.s.trace.wanted) this.s.trace.record('fsynced', this.id, [file, id]);
    else this.s.trace.skip();
    this.input({ kind: 'fsynced', id, file });
  };
}
