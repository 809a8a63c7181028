/**
 * The calendar queue fires the same events in the same order as the binary heap it replaced:
 * both are driven by one random script of pushes (near, far, at the same instant), cancels,
 * defers (revivals included), peeks and pops, and must agree on every answer.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CalendarQueue } from '../../src/sim/clock/calendarQueue.ts';
import { EventQueue, type ScheduledEvent } from '../../src/sim/clock/eventQueue.ts';

type Op =
  | { op: 'push'; delayUs: number }
  | { op: 'cancel'; pick: number }
  | { op: 'defer'; pick: number; laterUs: number }
  | { op: 'peek' }
  | { op: 'pop' };

const delayUs = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 2_000 }), // messages and fsyncs
  fc.integer({ min: 60_000, max: 70_000 }), // around the calendar's edge
  fc.integer({ min: 65_530, max: 65_540 }), // right at it (2^16 µs from the window's start)
  fc.integer({ min: 0, max: 30_000_000 }), // timers, seconds away
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: delayUs.map((d) => ({ op: 'push' as const, delayUs: d })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ op: 'cancel' as const, pick })) },
  { weight: 1, arbitrary: fc.record({ pick: fc.nat(), laterUs: delayUs }).map((r) => ({ op: 'defer' as const, ...r })) },
  { weight: 1, arbitrary: fc.constant({ op: 'peek' as const }) },
  { weight: 4, arbitrary: fc.constant({ op: 'pop' as const }) },
);

/** One queue's run of the script: what each peek and pop answered, and the sizes seen. */
function run(queue: CalendarQueue | EventQueue, ops: readonly Op[]): string[] {
  const log: string[] = [];
  const events: ScheduledEvent[] = [];
  let seq = 0;
  let nowUs = 0;
  const make = (timeUs: number, id: number): ScheduledEvent => ({
    timeUs, seq: seq++, fire: () => id, cancelled: false, inQueue: false, deferredTimeUs: 0, deferredSeq: -1, slot: -1,
  });
  const name = (ev: ScheduledEvent | undefined) => (ev === undefined ? '-' : `${String(ev.fire())}@${ev.timeUs}/${ev.seq}`);
  for (const o of ops) {
    switch (o.op) {
      case 'push': {
        const ev = make(nowUs + o.delayUs, events.length);
        events.push(ev);
        queue.push(ev);
        break;
      }
      case 'cancel': {
        const ev = events[o.pick % Math.max(1, events.length)];
        if (ev?.inQueue) queue.cancel(ev);
        break;
      }
      case 'defer': {
        // As Scheduler.reschedule: only an event still queued, only to a later key.
        const ev = events[o.pick % Math.max(1, events.length)];
        if (ev?.inQueue && nowUs + o.laterUs >= ev.timeUs) queue.defer(ev, nowUs + o.laterUs, seq++);
        break;
      }
      case 'peek':
        log.push(`peek ${name(queue.peek())}`);
        break;
      case 'pop': {
        const ev = queue.pop();
        if (ev !== undefined) nowUs = ev.timeUs;
        log.push(`pop ${name(ev)}`);
        break;
      }
    }
    log.push(`size ${queue.size}`);
  }
  for (let ev = queue.pop(); ev !== undefined; ev = queue.pop()) log.push(`drain ${name(ev)}`);
  return log;
}

describe('calendar queue', () => {
  it('answers every peek and pop as the binary heap does, for any script', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        expect(run(new CalendarQueue(), ops)).toEqual(run(new EventQueue(), ops));
      }),
      { numRuns: 300 },
    );
  });

  it('an event scheduled before a window that moved ahead (a run stopped short) still fires first', () => {
    const q = new CalendarQueue();
    const far: ScheduledEvent = { timeUs: 5_000_000, seq: 0, fire: () => 'far', cancelled: false, inQueue: false, deferredTimeUs: 0, deferredSeq: -1, slot: -1 };
    q.push(far);
    expect(q.peek()).toBe(far); // the calendar moves to 5 s
    const near: ScheduledEvent = { ...far, timeUs: 1_000, seq: 1, fire: () => 'near' };
    q.push(near);
    expect(q.pop()).toBe(near);
    expect(q.pop()).toBe(far);
    expect(q.pop()).toBeUndefined();
  });
});
