/**
 * Property tests: random multi-session command sequences against the standalone core keep the
 * tree's invariants after every step (numChildren, the cversion formula, zxid ordering, no
 * children under ephemerals, ephemerals owned by live sessions, unique sequential suffixes,
 * one zxid per write), replay identically, and snapshot → msgpack → restore keeps the digest.
 * A second property checks the prep/apply split: prepping a batch before applying it gives the
 * same results and digest as applying each txn at once.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { decode, encode } from '@msgpack/msgpack';
import { StandaloneServer } from '../../src/engine/server/standaloneServer.ts';
import type { ServerEffect } from '../../src/engine/server/effects.ts';
import { databaseDigest, restoreDatabase, snapshotDatabase, type DatabaseSnapshot } from '../../src/engine/db/zkDatabase.ts';
import type { MultiOpRequest, WriteRequest } from '../../src/engine/request/types.ts';
import { parentOf } from '../../src/engine/tree/paths.ts';
import { Pipeline, create } from './helpers.ts';

const PATHS = ['/a', '/a/b', '/a/b/c', '/b', '/b/x', '/a/e', '/c', '/c/d'];
const SEQ_PREFIXES = ['/a/s-', '/b/q-', '/c/'];

const pathArb = fc.constantFrom(...PATHS);
const versionArb = fc.constantFrom(-1, -1, 0, 1, 2);
const dataArb = fc.option(fc.uint8Array({ maxLength: 4 }), { nil: null });
const createArb: fc.Arbitrary<MultiOpRequest> = fc.oneof(
  fc.record({ path: pathArb, flags: fc.constantFrom(0, 0, 1), data: dataArb }).map((r) => create(r.path, r.flags, r.data)),
  fc.record({ path: fc.constantFrom(...SEQ_PREFIXES), flags: fc.constantFrom(2, 3) }).map((r) => create(r.path, r.flags)),
  pathArb.map((path) => ({ ...create(path), op: 'createContainer' as const })),
);
const opArb: fc.Arbitrary<MultiOpRequest> = fc.oneof(
  createArb,
  fc.record({ op: fc.constant('delete' as const), path: pathArb, version: versionArb }),
  fc.record({ op: fc.constant('setData' as const), path: pathArb, data: dataArb, version: versionArb }),
  fc.record({ op: fc.constant('check' as const), path: pathArb, version: versionArb }),
);
const writeArb: fc.Arbitrary<WriteRequest> = fc.oneof(
  { weight: 5, arbitrary: opArb.filter((op): op is Exclude<MultiOpRequest, { op: 'check' }> => op.op !== 'check') },
  { weight: 1, arbitrary: fc.array(opArb, { maxLength: 3 }).map((ops) => ({ op: 'multi' as const, ops })) },
);

type Command =
  | { kind: 'connect'; timeoutMs: number }
  | { kind: 'close' | 'disconnect' | 'reconnect'; slot: number }
  | { kind: 'tick'; advanceMs: number }
  | { kind: 'write'; slot: number; request: WriteRequest }
  | { kind: 'read'; slot: number; op: 'getData' | 'exists' | 'getChildren'; path: string };

const slotArb = fc.nat({ max: 3 });
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('connect' as const), timeoutMs: fc.constantFrom(2000, 3000, 5000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('close' as const, 'disconnect' as const, 'reconnect' as const), slot: slotArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), advanceMs: fc.nat({ max: 4000 }) }) },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('write' as const), slot: slotArb, request: writeArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), slot: slotArb, op: fc.constantFrom('getData' as const, 'exists' as const, 'getChildren' as const), path: pathArb }) },
);

interface Slot {
  sessionId: number;
  connId: number | null;
}

/** Checks every tree invariant; throws with a description on the first violation. */
function checkInvariants(server: StandaloneServer): void {
  const { tree, sessions, lastProcessedZxid } = server.db;
  const childCount = new Map<string, number>();
  for (const path of tree.sortedPaths()) if (path !== '/') childCount.set(parentOf(path), (childCount.get(parentOf(path)) ?? 0) + 1);
  for (const path of tree.sortedPaths()) {
    const node = tree.getNode(path)!;
    const stat = tree.statOf(path)!;
    expect(stat.numChildren, `numChildren of ${path}`).toBe(childCount.get(path) ?? 0);
    expect(stat.cversion, `cversion of ${path}`).toBe(2 * node.stat.childCreates - stat.numChildren);
    if (path !== '/' && path !== '/zookeeper') expect(node.stat.childCreates).toBeGreaterThanOrEqual(stat.numChildren);
    expect(stat.pzxid).toBeGreaterThanOrEqual(stat.czxid);
    expect(stat.mzxid).toBeGreaterThanOrEqual(stat.czxid);
    expect(Math.max(stat.pzxid, stat.mzxid)).toBeLessThanOrEqual(lastProcessedZxid);
    if (stat.ephemeralOwner !== 0) {
      expect(stat.numChildren, `ephemeral ${path} has children`).toBe(0);
      expect(sessions.has(stat.ephemeralOwner), `owner of ${path} is live`).toBe(true);
      expect(server.tracker.isActive(stat.ephemeralOwner)).toBe(true);
    }
  }
  expect([...sessions.keys()].sort((a, b) => a - b)).toEqual(server.tracker.sessionIds());
}

/** Runs commands against a fresh server, checking invariants; returns every effect and the server. */
function execute(commands: Command[]): { effects: ServerEffect[]; server: StandaloneServer } {
  const server = new StandaloneServer({ tickTimeMs: 1000, containerCheckIntervalMs: 3000 });
  const slots: Slot[] = [];
  const effects: ServerEffect[] = [];
  const suffixes = new Map<string, Set<string>>();
  let nextConn = 1;
  let nowMs = 0;
  let xid = 1;
  const forget = (out: ServerEffect[]) => {
    for (const e of out) {
      if (e.type !== 'closeConnection') continue;
      for (const slot of slots) if (slot.connId === e.connId) slot.connId = null;
    }
  };
  const noteSequential = (path: string) => {
    const match = /^(.*\/)[^/]*?(-?\d{10})$/.exec(path);
    if (match === null) return;
    const seen = suffixes.get(match[1]!) ?? new Set<string>();
    suffixes.set(match[1]!, seen);
    expect(seen.has(match[2]!), `suffix ${match[2]} reused under ${match[1]}`).toBe(false);
    seen.add(match[2]!);
  };
  for (const command of commands) {
    const slot = 'slot' in command ? slots[command.slot % Math.max(1, slots.length)] : undefined;
    let out: ServerEffect[] = [];
    const before = server.lastProcessedZxid;
    switch (command.kind) {
      case 'connect': {
        const connId = nextConn++;
        out = server.connect(connId, { timeoutMs: command.timeoutMs });
        const response = out.find((e) => e.type === 'connectResponse');
        if (response?.type === 'connectResponse') slots.push({ sessionId: response.sessionId, connId });
        expect(server.lastProcessedZxid).toBe(before + 1);
        break;
      }
      case 'tick':
        nowMs += command.advanceMs;
        out = server.tick(nowMs);
        break;
      case 'close':
        if (slot?.connId != null) out = server.request(slot.connId, xid++, { op: 'closeSession' });
        break;
      case 'disconnect':
        if (slot?.connId != null) {
          out = server.disconnect(slot.connId);
          slot.connId = null;
        }
        break;
      case 'reconnect':
        if (slot !== undefined) {
          const connId = nextConn++;
          out = server.connect(connId, { sessionId: slot.sessionId, passwd: server.tracker.isActive(slot.sessionId) ? sessionPasswordOf(slot.sessionId) : undefined, timeoutMs: 3000 });
          if (out.some((e) => e.type === 'connectResponse' && e.sessionId !== 0)) slot.connId = connId;
        }
        break;
      case 'write':
        if (slot?.connId != null) {
          out = server.request(slot.connId, xid++, command.request);
          const reply = out.at(-1);
          expect(reply?.type).toBe('reply');
          expect(server.lastProcessedZxid, 'one zxid per write').toBe(before + 1);
          if (reply?.type === 'reply' && reply.err === 0 && reply.result?.type === 'create') noteSequential(reply.result.path);
          if (reply?.type === 'reply' && reply.result?.type === 'multi') {
            for (const r of reply.result.results) if (r.type === 'create') noteSequential(r.path);
          }
        }
        break;
      case 'read':
        if (slot?.connId != null) {
          out = server.request(slot.connId, xid++, { op: command.op, path: command.path, watch: true });
          expect(server.lastProcessedZxid).toBe(before);
        }
        break;
    }
    forget(out);
    expect(server.lastProcessedZxid).toBeGreaterThanOrEqual(before);
    effects.push(...out);
    checkInvariants(server);
  }
  return { effects, server };
}

import { sessionPassword as sessionPasswordOf } from '../../src/engine/session/sessionId.ts';

describe('standalone core under random multi-session workloads', () => {
  test.prop([fc.array(commandArb, { minLength: 1, maxLength: 60 })], { numRuns: 150 })(
    'invariants hold after every step',
    (commands) => {
      execute(commands);
    },
  );

  test.prop([fc.array(commandArb, { minLength: 1, maxLength: 40 })], { numRuns: 60 })(
    'replaying the same commands gives identical effects and digest',
    (commands) => {
      const first = execute(commands);
      const second = execute(commands);
      expect(encode(second.effects)).toEqual(encode(first.effects));
      expect(second.server.digest()).toBe(first.server.digest());
    },
  );

  test.prop([fc.array(commandArb, { minLength: 1, maxLength: 40 })], { numRuns: 60 })(
    'snapshot → msgpack → restore keeps the digest and every stat',
    (commands) => {
      const { server } = execute(commands);
      const restored = restoreDatabase(decode(encode(snapshotDatabase(server.db))) as DatabaseSnapshot);
      expect(databaseDigest(restored)).toBe(server.digest());
      for (const path of server.db.tree.sortedPaths()) expect(restored.tree.statOf(path)).toEqual(server.db.tree.statOf(path));
      expect(restored.tree.ephemeralOwners()).toEqual(server.db.tree.ephemeralOwners());
      expect(restored.tree.containerPaths()).toEqual(server.db.tree.containerPaths());
    },
  );
});

describe('prep/apply split', () => {
  const stepArb = fc.oneof(
    { weight: 8, arbitrary: fc.record({ session: fc.constantFrom(11, 12, 13), request: writeArb }) },
    { weight: 1, arbitrary: fc.record({ session: fc.constantFrom(11, 12, 13), close: fc.constant(true as const) }) },
  );
  test.prop([fc.array(fc.record({ step: stepArb, applyAfter: fc.boolean() }), { minLength: 1, maxLength: 40 })], { numRuns: 150 })(
    'prepping batches ahead of apply gives the same results and digest as one at a time',
    (steps) => {
      const eager = new Pipeline();
      const batched = new Pipeline();
      for (const p of [eager, batched]) {
        for (const id of [11, 12, 13]) p.prepCreateSession(id);
        p.applyAll();
      }
      const closed = new Set<number>();
      const eagerResults: unknown[] = [];
      const batchedResults: unknown[] = [];
      for (const { step, applyAfter } of steps) {
        if (closed.has(step.session)) continue;
        if ('close' in step) {
          closed.add(step.session);
          eager.prepClose(step.session);
          batched.prepClose(step.session);
        } else {
          eager.prep(step.session, step.request);
          batched.prep(step.session, step.request);
        }
        eagerResults.push(...eager.applyAll().map((o) => o.result));
        if (applyAfter) batchedResults.push(...batched.applyAll().map((o) => o.result));
      }
      batchedResults.push(...batched.applyAll().map((o) => o.result));
      expect(batchedResults).toEqual(eagerResults);
      expect(databaseDigest(batched.db)).toBe(databaseDigest(eager.db));
      expect(batched.changes.size).toBe(0);
    },
  );
});
