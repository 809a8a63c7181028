/**
 * The persistence layer inside a real simulated process. Goal: with the kernel's own host
 * (fsync latency, in-order completion, effects dropped when a crash interrupts a step) and its
 * crash modes (power loss, torn last write), a process that logs txns, rolls its log on the
 * snapshot schedule and snapshots its state always restarts with a prefix of what it logged
 * that holds every txn it was told was durable.
 *
 * Method: a small SimProcess recovers from the `start` disk image, applies the repairs, then
 * logs 1–3 txns every 300 µs, taking snapshots when SnapSchedule (snapCount 20, node stream)
 * fires, and reports what it logged, what became durable and what it recovered as `output`s.
 * The test crashes and restarts it at seeded times and checks each restart against the
 * previous incarnation's reports. Several seeds; the failing seed is in the test name.
 */
import { describe, expect, it } from 'vitest';
import { fsyncOwner } from '../../../src/engine/persistence/fileNames.ts';
import { recover } from '../../../src/engine/persistence/recovery.ts';
import { SnapSchedule } from '../../../src/engine/persistence/snapSchedule.ts';
import { SnapshotStore } from '../../../src/engine/persistence/snapshotStore.ts';
import { TxnLog } from '../../../src/engine/persistence/txnLog.ts';
import type { Effect, ProcessInput, SimProcess, StepContext } from '../../../src/sim/host/process.ts';
import { Choices } from '../../../src/sim/rng/choices.ts';
import { Simulation } from '../../../src/sim/simulation.ts';
import { type KeysPayload, recoveredHistory, testTxn, nextZxid, type Entry } from './logNode.ts';

type Report = { kind: 'recovered'; keys: number[] } | { kind: 'logged'; entries: Entry[] } | { kind: 'durable'; zxid: number } | { kind: 'refused'; message: string };

class LogProcess implements SimProcess {
  private log!: TxnLog;
  private store!: SnapshotStore;
  private schedule!: SnapSchedule;
  private history: Entry[] = [];
  private nextKey: number;

  constructor(incarnation: number) {
    this.nextKey = incarnation * 1_000_000;
  }

  step(input: ProcessInput, ctx: StepContext): readonly Effect[] {
    switch (input.kind) {
      case 'start': {
        const r = recover<KeysPayload>(input.disk);
        if (r.startupError !== undefined) return [{ kind: 'output', value: { kind: 'refused', message: r.startupError.message } }];
        this.history = recoveredHistory(r);
        this.log = TxnLog.open(r);
        this.store = SnapshotStore.open(r);
        this.schedule = SnapSchedule.start({ snapCount: 20, snapSizeLimitBytes: 0 }, ctx.rng);
        return [...r.repairs, { kind: 'output', value: { kind: 'recovered', keys: this.history.map((e) => e.key) } }, { kind: 'setTimer', id: 'tick', afterUs: 300 }];
      }
      case 'timer':
        return [...this.logSome(1 + ctx.rng.int(3), ctx), { kind: 'setTimer', id: 'tick', afterUs: 300 }];
      case 'fsynced': {
        const owner = fsyncOwner(input.id);
        if (owner === 'log') {
          const result = this.log.onFsynced(input.id);
          return [...result.effects, { kind: 'output', value: { kind: 'durable', zxid: result.durableUpTo } }];
        }
        if (owner === 'snap') this.store.onFsynced(String(input.id));
        return [];
      }
      default:
        return [];
    }
  }

  private logSome(count: number, ctx: StepContext): Effect[] {
    const effects: Effect[] = [];
    const logged: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const last = this.history.length === 0 ? 0 : this.history[this.history.length - 1]!.zxid;
      const entry = { zxid: nextZxid(last, false), key: this.nextKey++ };
      this.history.push(entry);
      logged.push(entry);
      effects.push(...this.log.append(testTxn(entry.zxid, entry.key, 5 + ctx.rng.int(60))));
      if (this.schedule.onTxnLogged(ctx.rng)) {
        effects.push(...this.log.startNewLog(entry.zxid));
        if (!this.store.writing) effects.push(...this.store.write<KeysPayload>(entry.zxid, { entries: this.history.map((e) => [e.zxid, e.key]) }));
        const purge = this.store.purge(2);
        effects.push(...purge.effects);
        if (purge.oldestKeptZxid !== undefined) effects.push(...this.log.purgeBefore(purge.oldestKeptZxid));
      }
    }
    return [{ kind: 'output', value: { kind: 'logged', entries: logged } }, ...effects];
  }
}

function runSeed(seed: number): void {
  const sim = new Simulation({ seed, fsyncLatency: { kind: 'uniform', minUs: 100, maxUs: 2_000 } });
  let incarnation = 0;
  const reports: Report[] = [];
  sim.addProcess('n1', () => new LogProcess(++incarnation));
  sim.onOutput((_node, value) => reports.push(value as Report));
  const faults = new Choices(seed).stream('test/faults');
  let believed: number[] = [];
  let durableZxid = 0;
  let zxidOfKey = new Map<number, number>();
  let restarts = 0;
  let lostUnsynced = 0;
  let durableSeen = 0;
  sim.host('n1').start();
  for (let cycle = 0; cycle < 12; cycle++) {
    reports.length = 0;
    sim.runFor(1_000 + faults.int(20_000));
    // What this incarnation logged and was told was durable.
    for (const r of reports) {
      if (r.kind === 'refused') throw new Error(`seed ${seed}: refused to start: ${r.message}`);
      if (r.kind === 'logged') {
        for (const e of r.entries) zxidOfKey.set(e.key, e.zxid);
        believed = [...believed, ...r.entries.map((e) => e.key)];
      }
      if (r.kind === 'durable') durableZxid = Math.max(durableZxid, r.zxid);
    }
    sim.host('n1').crash({ loseUnsynced: true, tearLastWrite: faults.chance(600) });
    reports.length = 0;
    sim.host('n1').start();
    restarts++;
    const recovered = reports.find((r) => r.kind === 'recovered');
    expect(recovered, `seed ${seed}: restart ${restarts} recovered nothing`).toBeDefined();
    const got = (recovered as { keys: number[] }).keys;
    expect(got, `seed ${seed} restart ${restarts}: not a prefix`).toEqual(believed.slice(0, got.length));
    const promised = believed.filter((k) => (zxidOfKey.get(k) ?? 0) <= durableZxid);
    expect(got.slice(0, promised.length), `seed ${seed} restart ${restarts}: lost durable txns`).toEqual(promised);
    lostUnsynced += believed.length - got.length;
    durableSeen = Math.max(durableSeen, promised.length);
    believed = got;
    zxidOfKey = new Map(got.map((k) => [k, zxidOfKey.get(k)!]));
    durableZxid = Math.max(0, ...got.map((k) => zxidOfKey.get(k)!));
  }
  expect(restarts).toBe(12);
  // The runs are not vacuous: txns were promised durable, and crashes did lose unsynced ones.
  expect(durableSeen).toBeGreaterThan(50);
  expect(lostUnsynced).toBeGreaterThan(0);
  expect(believed.length).toBeGreaterThan(100);
}

describe('persistence through the simulated host', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`crash/restart cycles keep every durable txn and invent none (seed ${seed})`, () => runSeed(seed));
  }
});
