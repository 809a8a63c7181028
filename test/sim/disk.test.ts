/**
 * The simulated disk: only fsynced writes survive a crash, a torn write leaves a strict prefix
 * of the last write, disk loss wipes everything, and fsyncs complete in issue order.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SimDisk } from '../../src/sim/disk/disk.ts';
import { Choices } from '../../src/sim/rng/choices.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import type { DiskImage } from '../../src/sim/disk/disk.ts';
import type { Effect } from '../../src/sim/host/process.ts';
import { ScriptedProcess } from './helpers.ts';

const bytes = (...v: number[]) => Uint8Array.from(v);
const stream = () => new Choices(1).stream('disk');

describe('disk', () => {
  it('a crash keeps exactly the writes issued before a completed fsync (any write/sync mix)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('sync' as const), fc.integer({ min: 0, max: 255 })), { maxLength: 60 }), (ops) => {
        const d = new SimDisk();
        let durable: number[] = [];
        let written: number[] = [];
        for (const op of ops) {
          if (op === 'sync') {
            d.commit('log', d.syncMark());
            durable = [...written];
          } else {
            d.append('log', bytes(op));
            written.push(op);
          }
        }
        expect([...(d.read('log') ?? [])]).toEqual(written);
        d.crash({ loseUnsynced: true, tearLastWrite: false }, stream());
        expect([...(d.image().get('log') ?? [])]).toEqual(durable);
      }),
    );
  });

  it('a torn last write leaves the synced bytes plus a strict prefix of it', () => {
    for (let seed = 0; seed < 30; seed++) {
      const d = new SimDisk();
      d.append('log', bytes(1, 2, 3));
      d.commit('log', d.syncMark());
      d.append('log', bytes(4, 5, 6, 7, 8, 9, 10, 11));
      d.crash({ loseUnsynced: true, tearLastWrite: true }, new Choices(seed).stream('disk'));
      const got = [...d.image().get('log')!];
      expect(got.slice(0, 3)).toEqual([1, 2, 3]);
      expect(got.length).toBeLessThan(11);
      expect(got.slice(3)).toEqual([4, 5, 6, 7, 8, 9, 10, 11].slice(0, got.length - 3));
    }
  });

  it('a process kill (OS keeps its buffers) keeps unsynced writes; atomic replace is all-or-nothing', () => {
    const d = new SimDisk();
    d.replace('epoch', bytes(1));
    d.commit('epoch', d.syncMark());
    d.replace('epoch', bytes(2));
    d.crash({ loseUnsynced: true, tearLastWrite: false }, stream());
    expect([...d.image().get('epoch')!]).toEqual([1]);
    d.replace('epoch', bytes(3));
    d.crash({ loseUnsynced: false, tearLastWrite: false }, stream());
    expect([...d.image().get('epoch')!]).toEqual([3]);
  });

  it('truncate and delete become durable only with an fsync; disk loss wipes everything', () => {
    const d = new SimDisk();
    d.append('log', bytes(1, 2, 3, 4));
    d.append('snap', bytes(9));
    d.commit('log', d.syncMark());
    d.commit('snap', d.syncMark());
    d.truncate('log', 2);
    d.delete('snap');
    d.crash({ loseUnsynced: true, tearLastWrite: false }, stream());
    expect([...d.image().get('log')!]).toEqual([1, 2, 3, 4]);
    expect(d.image().has('snap')).toBe(true);
    d.truncate('log', 2);
    d.delete('snap');
    d.commit('log', d.syncMark());
    d.commit('snap', d.syncMark());
    expect([...d.image().get('log')!]).toEqual([1, 2]);
    expect(d.image().has('snap')).toBe(false);
    d.wipe();
    expect(d.image().size).toBe(0);
  });

  it('through the host: a restart sees what was fsynced before the crash, fsyncs complete in order', () => {
    const sim = new Simulation({ seed: 3, fsyncLatency: { kind: 'uniform', minUs: 100, maxUs: 5000 } });
    const images: DiskImage[] = [];
    const synced: (string | number)[] = [];
    sim.addProcess('n1', () =>
      new ScriptedProcess((input) => {
        if (input.kind === 'start') {
          images.push(input.disk);
          return [
            { kind: 'append', file: 'log', bytes: bytes(1) },
            { kind: 'fsync', file: 'log', id: 1 },
            { kind: 'append', file: 'log', bytes: bytes(2) },
            { kind: 'fsync', file: 'log', id: 2 },
            { kind: 'append', file: 'log', bytes: bytes(3) },
          ];
        }
        if (input.kind === 'fsynced') synced.push(input.id);
        return [];
      }),
    );
    sim.host('n1').start();
    sim.runUntil(1_000_000);
    expect(synced).toEqual([1, 2]);
    sim.host('n1').crash();
    sim.host('n1').start();
    expect([...images[1]!.get('log')!]).toEqual([1, 2]);
  });
  it('through the host: fsyncs in flight at a crash never reach the next incarnation, whose own complete with their ids', () => {
    // Slow fsyncs, so the first incarnation's are still queued on the device when it crashes.
    const sim = new Simulation({ seed: 5, fsyncLatency: { kind: 'uniform', minUs: 40_000, maxUs: 60_000 } });
    const seen: string[] = [];
    let incarnation = 0;
    sim.addProcess('n1', () => {
      const me = ++incarnation;
      return new ScriptedProcess((input) => {
        if (input.kind === 'start') {
          const file = me === 1 ? 'old' : 'new';
          return [
            { kind: 'append', file, bytes: bytes(me) },
            { kind: 'fsync', file, id: `${file}-a` },
            { kind: 'append', file, bytes: bytes(me) },
            { kind: 'fsync', file, id: `${file}-b` },
          ];
        }
        if (input.kind === 'fsynced') seen.push(`${me}:${input.file}:${input.id}`);
        return [];
      });
    });
    sim.host('n1').start();
    sim.runUntil(10_000);
    sim.host('n1').crash();
    sim.host('n1').start();
    sim.runUntil(1_000_000);
    // The device queue drains the dead incarnation's fsyncs first; nobody hears of them.
    expect(seen).toEqual(['2:new:new-a', '2:new:new-b']);
    sim.host('n1').crash();
    sim.host('n1').start();
    expect(sim.host('n1').disk.image().has('old')).toBe(false);
    expect([...sim.host('n1').disk.image().get('new')!]).toEqual([2, 2]);
  });
  it('through the host: a device queue that never drains completes thousands of fsyncs in issue order', () => {
    // Each completion issues the next two fsyncs, so at least one is always in flight: the
    // host's queue is never empty and must still hand back every id once, in order.
    const sim = new Simulation({ seed: 9, fsyncLatency: { kind: 'uniform', minUs: 100, maxUs: 900 } });
    const issued: number[] = [];
    const completed: number[] = [];
    let next = 0;
    const issue = (): Effect[] => {
      const id = next++;
      issued.push(id);
      return [{ kind: 'append', file: 'log', bytes: bytes(id & 0xff) }, { kind: 'fsync', file: 'log', id }];
    };
    sim.addProcess('n1', () =>
      new ScriptedProcess((input) => {
        if (input.kind === 'start') return issue();
        if (input.kind !== 'fsynced') return [];
        completed.push(input.id as number);
        return next < 5000 ? [...issue(), ...issue()] : [];
      }),
    );
    sim.host('n1').start();
    sim.runUntil(60_000_000);
    expect(issued.length).toBeGreaterThanOrEqual(5000);
    expect(completed).toEqual(issued);
  });
});
