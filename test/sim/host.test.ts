/**
 * The process host: crash drops memory and timers, restart starts a new incarnation, pause
 * queues inputs until resume, and a skewed or drifting clock changes what the node sees.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import { LocalClock } from '../../src/sim/host/localClock.ts';
import { ScriptedProcess } from './helpers.ts';

describe('process host', () => {
  it('timers fire in order, a crash cancels them, and a restart begins a fresh incarnation', () => {
    const sim = new Simulation({ seed: 1 });
    const incarnations: ScriptedProcess[] = [];
    sim.addProcess('n1', () => {
      const p = new ScriptedProcess((i) =>
        i.kind === 'start'
          ? [
              { kind: 'setTimer', id: 'b', afterUs: 200 },
              { kind: 'setTimer', id: 'a', afterUs: 100 },
              { kind: 'setTimer', id: 'c', afterUs: 300 },
              { kind: 'setTimer', id: 'late', afterUs: 10_000 },
              { kind: 'cancelTimer', id: 'c' },
            ]
          : [],
      );
      incarnations.push(p);
      return p;
    });
    sim.host('n1').start();
    sim.runUntil(1000);
    expect(incarnations[0]!.inputs.map((r) => (r.input.kind === 'timer' ? `${r.input.id}@${r.atUs}` : r.input.kind))).toEqual(['start', 'a@100', 'b@200']);
    sim.host('n1').crash();
    sim.runUntil(20_000);
    expect(incarnations[0]!.inputs.length).toBe(3); // 'late' never fired
    sim.host('n1').start();
    expect(incarnations.length).toBe(2);
    expect(incarnations[1]!.inputs[0]!.input).toMatchObject({ kind: 'start', restart: true });
  });

  it('lends each step a list for its effects, and a step nested in another gets a list of its own', () => {
    // The process pushes onto the lent list. Its first output makes the harness send it a
    // command at once, so a second step runs while the host is still applying the first
    // step's effects: those must all still be applied, in order, after the nested ones.
    const sim = new Simulation({ seed: 1 });
    const lentLists: (unknown[] | undefined)[] = [];
    sim.addProcess('n1', () => {
      return new ScriptedProcess((input, ctx) => {
        lentLists.push(ctx.out);
        const out = ctx.out ?? [];
        if (input.kind === 'command') {
          out.push({ kind: 'output', value: `${String(input.command)}-a` }, { kind: 'output', value: `${String(input.command)}-b` });
        }
        return out;
      });
    });
    const seen: string[] = [];
    sim.onOutput((_node, value) => {
      seen.push(String(value));
      if (value === 'outer-a') sim.host('n1').command('inner');
    });
    sim.host('n1').start();
    sim.host('n1').command('outer');
    sim.host('n1').command('after');
    expect(seen).toEqual(['outer-a', 'inner-a', 'inner-b', 'outer-b', 'after-a', 'after-b']);
    // start, outer and after got the lent list (the same one, emptied each time); inner got none.
    expect(lentLists.map((l) => (l === undefined ? 'none' : 'lent'))).toEqual(['lent', 'lent', 'none', 'lent']);
    expect(lentLists[3]).toBe(lentLists[0]);
    expect(lentLists[0]).toEqual([]);
  });

  it('a paused node receives nothing until resumed, then gets everything in order', () => {
    const sim = new Simulation({ seed: 2, link: { latency: { kind: 'constant', us: 100 } } });
    const receiver = new ScriptedProcess((i) => (i.kind === 'start' ? [{ kind: 'setTimer', id: 't', afterUs: 5000 }] : []));
    const sender = new ScriptedProcess((i) => {
      if (i.kind === 'start') return [{ kind: 'connect', to: 'n2', tag: 'x' }];
      if (i.kind === 'connected') return [1, 2, 3].map((n) => ({ kind: 'send' as const, conn: i.conn, msg: n }));
      return [];
    });
    sim.addProcess('n1', () => sender);
    sim.addProcess('n2', () => receiver);
    sim.host('n2').start();
    sim.host('n2').pause();
    sim.host('n1').start();
    sim.runUntil(50_000);
    expect(receiver.kinds()).toEqual(['start']);
    sim.host('n2').resume();
    expect(receiver.kinds()).toEqual(['start', 'accepted', 'message', 'message', 'message', 'timer']);
    expect(receiver.messages().map((m) => m.msg)).toEqual([1, 2, 3]);
    // All queued inputs are handled at the resume instant.
    expect(new Set(receiver.inputs.slice(1).map((r) => r.atUs))).toEqual(new Set([50_000]));
  });

  it('clock skew shifts local time; drift changes both local time and timer length', () => {
    const c = new LocalClock();
    c.shift(0, 5000);
    expect(c.localUs(1000)).toBe(6000);
    c.setDrift(1000, 100_000); // local clock runs 10 % fast from global 1000 µs on
    expect(c.localUs(11_000)).toBe(6000 + 11_000);
    expect(c.globalDelayUs(11_000)).toBe(10_000);
    expect(c.offsetUs(11_000)).toBe(6000);
    expect(() => c.setDrift(0, -1_000_000)).toThrow(RangeError);
  });

  it('a node sees its own skewed time in every step', () => {
    const sim = new Simulation({ seed: 4 });
    const p = new ScriptedProcess((i) => (i.kind === 'start' ? [{ kind: 'setTimer', id: 't', afterUs: 1000 }] : []));
    sim.addProcess('n1', () => p);
    sim.host('n1').clock.shift(0, -500);
    sim.host('n1').start();
    sim.runUntil(10_000);
    expect(p.inputs.map((r) => r.atUs)).toEqual([-500, 500]);
  });
});
