import { CalendarQueue } from './calendarQueue.ts';
import type { ScheduledEvent } from './eventQueue.ts';
import type { Clock } from './clock.ts';

/** Why a run loop returned. */
export type StopReason = 'quiescent' | 'time-limit' | 'event-limit' | 'stopped';

/**
 * The virtual clock and its event queue. Time only moves when an event fires; nothing here
 * reads a real clock. Events at the same instant fire in scheduling order.
 */
export class Scheduler implements Clock {
  private queue = new CalendarQueue();
  private seq = 0;
  private now = 0;
  private stopRequested = false;
  /** Events fired so far (the kernel's unit of work, reported by benchmarks). */
  firedCount = 0;

  nowUs(): number {
    return this.now;
  }

  /** Number of pending (not cancelled) events. */
  get pendingCount(): number {
    return this.queue.size;
  }

  /** Schedules `fire` at absolute time `atUs` (clamped to now: the past cannot be scheduled). */
  at(atUs: number, fire: () => void): ScheduledEvent {
    if (!Number.isSafeInteger(atUs)) throw new RangeError(`event time must be an integer µs, got ${atUs}`);
    const ev: ScheduledEvent = {
      timeUs: atUs < this.now ? this.now : atUs, seq: this.seq++, fire, cancelled: false, inQueue: false, deferredTimeUs: 0, deferredSeq: -1, slot: -1,
    };
    this.queue.push(ev);
    return ev;
  }

  /**
   * Moves an event, pending or cancelled, to `atUs`: exactly `cancel(ev)` then `at(atUs, ev.fire)`
   * (it takes the next sequence number, so it fires where a freshly scheduled event would),
   * returning the event to keep. A move to a later time reuses the queue entry while it is still
   * there (CalendarQueue.defer): a timeout re-armed on every packet, or cancelled on every reply and
   * armed again with the next request, otherwise leaves one dead entry each time in the queue
   * until its old deadline, hundreds of thousands of them in a busy ensemble.
   */
  reschedule(ev: ScheduledEvent, atUs: number): ScheduledEvent {
    if (!Number.isSafeInteger(atUs)) throw new RangeError(`event time must be an integer µs, got ${atUs}`);
    const timeUs = atUs < this.now ? this.now : atUs;
    if (!ev.inQueue || timeUs < ev.timeUs) {
      if (ev.inQueue) this.cancel(ev);
      return this.at(timeUs, ev.fire);
    }
    this.queue.defer(ev, timeUs, this.seq++);
    return ev;
  }

  /**
   * Schedules an event that has left the queue (it fired, or was cancelled and dropped) again,
   * reusing the object: exactly `at(atUs, ev.fire)` — same clamping, next sequence number — minus
   * the allocation. Only for an owner that holds the sole reference (a network pipe's pump, one
   * per delivered message); an event still in the queue gets a fresh one, as `at` would.
   */
  rearm(ev: ScheduledEvent, atUs: number): ScheduledEvent {
    if (ev.inQueue) return this.at(atUs, ev.fire);
    if (!Number.isSafeInteger(atUs)) throw new RangeError(`event time must be an integer µs, got ${atUs}`);
    ev.timeUs = atUs < this.now ? this.now : atUs;
    ev.seq = this.seq++;
    ev.cancelled = false;
    ev.deferredTimeUs = 0;
    ev.deferredSeq = -1;
    this.queue.push(ev);
    return ev;
  }

  /** Schedules `fire` after `delayUs` (≥ 0) microseconds. */
  after(delayUs: number, fire: () => void): ScheduledEvent {
    return this.at(this.now + delayUs, fire);
  }

  /** Cancels a scheduled event; cancelling twice or after it fired is harmless. */
  cancel(ev: ScheduledEvent | undefined): void {
    if (ev !== undefined) this.queue.cancel(ev);
  }

  /** Time of the next pending event, or undefined when quiescent. */
  nextEventUs(): number | undefined {
    return this.queue.peek()?.timeUs;
  }

  /** Fires exactly one event. Returns false when there was none. */
  step(): boolean {
    const ev = this.queue.pop();
    if (ev === undefined) return false;
    this.now = ev.timeUs;
    this.firedCount++;
    ev.fire();
    return true;
  }

  /** Asks a running loop to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Fires events up to and including `limitUs`, then sets the clock to `limitUs`.
   * `maxEvents` bounds the work so a livelocked protocol cannot hang the caller.
   */
  runUntil(limitUs: number, maxEvents = Number.POSITIVE_INFINITY): StopReason {
    this.stopRequested = false;
    const stopped = this.fireUntil(limitUs, maxEvents);
    if (stopped !== undefined) return stopped;
    if (limitUs > this.now) this.now = limitUs;
    return this.queue.size === 0 ? 'quiescent' : 'time-limit';
  }

  /**
   * The loop of runUntil, on its own: a run is one long call, so V8 optimizes the loop while
   * it spins (on-stack replacement) before the code after it ever ran. Were that code in the
   * same function, the optimized loop would leave through code with no type feedback and be
   * thrown away at the end of every run (seen in the throughput bench).
   */
  private fireUntil(limitUs: number, maxEvents: number): StopReason | undefined {
    let fired = 0;
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.timeUs > limitUs) return undefined;
      if (fired >= maxEvents) return 'event-limit';
      this.step();
      fired++;
      if (this.stopRequested) return 'stopped';
    }
  }

  /** Fires events until none are left (or `maxEvents` fired). */
  runUntilQuiescent(maxEvents = Number.POSITIVE_INFINITY): StopReason {
    this.stopRequested = false;
    let fired = 0;
    while (this.queue.size > 0) {
      if (fired >= maxEvents) return 'event-limit';
      this.step();
      fired++;
      if (this.stopRequested) return 'stopped';
    }
    return 'quiescent';
  }
}
