/**
 * The virtual clock: events fire in (time, scheduling order), cancelled timers never fire,
 * and the run loops stop where they say they do.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Scheduler } from '../../src/sim/clock/scheduler.ts';

describe('scheduler', () => {
  it('fires events in time order, ties in scheduling order, for any schedule', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }), (times) => {
        const s = new Scheduler();
        const fired: number[] = [];
        times.forEach((t, i) => s.at(t, () => fired.push(i)));
        s.runUntilQuiescent();
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.i);
        expect(fired).toEqual(expected);
      }),
    );
  });

  it('never fires a cancelled timer and keeps the others', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.boolean()), { maxLength: 100 }), (plan) => {
        const s = new Scheduler();
        const fired = new Set<number>();
        const handles = plan.map(([t], i) => s.at(t, () => fired.add(i)));
        plan.forEach(([, cancel], i) => cancel && s.cancel(handles[i]));
        s.runUntilQuiescent();
        plan.forEach(([, cancel], i) => expect(fired.has(i)).toBe(!cancel));
        expect(s.pendingCount).toBe(0);
      }),
    );
  });

  it('events scheduled while running fire at their own time, and time never goes back', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.at(10, () => {
      seen.push(s.nowUs());
      s.after(5, () => seen.push(s.nowUs()));
      s.at(3, () => seen.push(s.nowUs())); // the past is clamped to now
    });
    s.runUntilQuiescent();
    expect(seen).toEqual([10, 10, 15]);
  });

  it('runUntil fires events up to the limit inclusive and advances the clock to it', () => {
    const s = new Scheduler();
    const fired: number[] = [];
    for (const t of [5, 10, 11]) s.at(t, () => fired.push(t));
    expect(s.runUntil(10)).toBe('time-limit');
    expect(fired).toEqual([5, 10]);
    expect(s.nowUs()).toBe(10);
    expect(s.runUntil(100)).toBe('quiescent');
    expect(s.nowUs()).toBe(100);
  });

  it('step fires exactly one event and a bounded loop reports the bound', () => {
    const s = new Scheduler();
    let n = 0;
    const again = () => {
      n++;
      s.after(1, again);
    };
    s.at(0, again);
    expect(s.step()).toBe(true);
    expect(n).toBe(1);
    expect(s.runUntilQuiescent(10)).toBe('event-limit');
    expect(n).toBe(11);
  });
  it('reschedule (of a pending or cancelled event) fires exactly as cancel + at would, for any mix of re-arms, cancels and steps', () => {
    // Each op: schedule timer k at +d, re-arm timer k at +d, cancel timer k, or fire one event.
    const op = fc.tuple(fc.constantFrom('arm', 'arm', 'cancel', 'step'), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 6 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const run = (useReschedule: boolean) => {
          const s = new Scheduler();
          const log: string[] = [];
          const timers = new Map<number, ReturnType<Scheduler['at']>>();
          const arm = (k: number, d: number) => {
            const old = timers.get(k);
            if (old !== undefined && useReschedule) return timers.set(k, s.reschedule(old, s.nowUs() + d));
            if (old !== undefined) s.cancel(old);
            timers.set(k, s.after(d, () => { timers.delete(k); log.push(`${s.nowUs()}:${k}`); }));
          };
          for (const [kind, k, d] of ops) {
            if (kind === 'arm') arm(k, d);
            else if (kind === 'cancel') {
              s.cancel(timers.get(k));
              // A host keeps a cancelled timer's event to reschedule it when the timer is armed again.
              if (!useReschedule) timers.delete(k);
            }
            else s.step();
            log.push(`pending ${s.pendingCount} next ${s.nextEventUs()}`);
          }
          s.runUntilQuiescent();
          return log;
        };
        expect(run(true)).toEqual(run(false));
      }),
    );
  });
  it('rearm reuses a fired event and fires it where at() would; an event still queued gets a fresh one', () => {
    const s = new Scheduler();
    const log: string[] = [];
    const ev = s.at(10, () => log.push(`pump@${s.nowUs()}`));
    s.at(20, () => log.push('other@20'));
    s.runUntil(10);
    expect(s.rearm(ev, 20)).toBe(ev); // fired: reused, and after 'other' (later sequence number)
    s.at(20, () => log.push('later@20'));
    s.runUntil(30);
    expect(log).toEqual(['pump@10', 'other@20', 'pump@20', 'later@20']);
    const queued = s.at(40, () => log.push('queued'));
    s.cancel(queued);
    const fresh = s.rearm(queued, 50);
    expect(fresh).not.toBe(queued);
    s.runUntil(60);
    expect(log.slice(4)).toEqual(['queued']);
    expect(s.pendingCount).toBe(0);
  });
});
