/**
 * Property: under any interleaving of appends, fsync completions, log rolls with snapshots,
 * TRUNC, SNAP sync, purges and crashes (power loss, torn last write, process kill), the log a
 * restart recovers is a prefix of a history the node had, contains every txn the log reported
 * durable, and shows no damage other than a torn tail.
 *
 * Method: fast-check generates the command list; a LogNode (TxnLog + SnapshotStore over the
 * simulated disk, fsyncs completed in issue order) runs it. After every command the durable
 * image is recovered and checked with `checkImage` (so a durability claim is checked the moment
 * it is made, not only at crashes); a crash restarts the node from what the disk kept, applying
 * the recovery repairs, and the run goes on. On failure fast-check prints the seed and the
 * shrunk command list.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { LogNode, checkImage } from './logNode.ts';

type Command =
  | { op: 'append'; sizes: number[]; newEpoch: boolean }
  | { op: 'fsync'; count: number }
  | { op: 'crash'; mode: 'lose' | 'tear' | 'kill'; seed: number }
  | { op: 'truncate'; pick: number }
  | { op: 'snapshot'; pick: number }
  | { op: 'snapSync'; pick: number; fresh: number }
  | { op: 'purge'; keep: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('append' as const), sizes: fc.array(fc.nat({ max: 120 }), { minLength: 1, maxLength: 4 }), newEpoch: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('fsync' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('crash' as const), mode: fc.constantFrom('lose' as const, 'tear' as const, 'kill' as const), seed: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('snapshot' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('snapSync' as const), pick: fc.nat(), fresh: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('purge' as const), keep: fc.integer({ min: 1, max: 3 }) }) },
);

/** Runs one command; returns the node to continue with (a new one after a crash). */
function run(node: LogNode, c: Command): LogNode {
  const pick = (n: number) => n % (node.history.length + 1);
  switch (c.op) {
    case 'append':
      // A node in the middle of a SNAP sync logs nothing until the log is reset.
      if (!node.snapSyncPending) node.append(c.sizes, c.newEpoch);
      return node;
    case 'fsync':
      for (let i = 0; i < c.count; i++) node.completeFsync();
      return node;
    case 'crash': {
      const image = node.driver.crash(c.mode, c.seed);
      const violation = checkImage(node, image);
      if (violation !== undefined) throw new Error(`after crash (${c.mode}): ${violation}`);
      return new LogNode(node.driver, image);
    }
    case 'truncate':
      if (!node.snapSyncPending) node.truncate(pick(c.pick));
      return node;
    case 'snapshot':
      node.snapshot(pick(c.pick));
      return node;
    case 'snapSync':
      if (!node.snapSyncPending) node.snapSync(pick(c.pick), c.fresh);
      return node;
    case 'purge':
      node.purge(c.keep);
      return node;
  }
}

describe('txn log under crashes', () => {
  test.prop([fc.array(commandArb, { minLength: 1, maxLength: 45 })], { numRuns: 800 })(
    'recovered log is a prefix of what was logged and holds everything acknowledged durable',
    (commands) => {
      let node = new LogNode();
      for (const [i, c] of commands.entries()) {
        node = run(node, c);
        const violation = checkImage(node, node.driver.image());
        if (violation !== undefined) throw new Error(`after command ${i} ${JSON.stringify(c)}: ${violation}`);
      }
      // Draining every fsync makes the whole history durable.
      while (node.completeFsync() !== undefined);
      expect(node.log.durableUpTo).toBe(node.log.lastLoggedZxid);
      expect(checkImage(node, node.driver.crash('lose', 1))).toBeUndefined();
    },
  );
});
