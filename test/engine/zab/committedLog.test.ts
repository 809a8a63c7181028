/**
 * The committed-log window holds exactly what the old `push` + `splice(0, excess)` array held,
 * for any mix of commits, TRUNCs and clears.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CommittedLog } from '../../../src/engine/zab/replica/committedLog.ts';
import type { Txn } from '../../../src/engine/request/txn.ts';

const txn = (zxid: number): Txn => ({ zxid, timeMs: 0, sessionId: 1, cxid: zxid, body: { type: 'error', err: 0 } });

describe('CommittedLog', () => {
  it('matches a plain array trimmed on every push', () => {
    const op = fc.oneof(fc.constant<['push']>(['push']), fc.tuple(fc.constant('truncate' as const), fc.nat(300)), fc.constant<['clear']>(['clear']));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.oneof({ weight: 8, arbitrary: fc.constant<['push']>(['push']) }, { weight: 1, arbitrary: op }), { maxLength: 300 }), (capacity, ops) => {
        const log = new CommittedLog(capacity);
        let ref: Txn[] = [];
        let next = 1;
        for (const o of ops) {
          if (o[0] === 'push') {
            const t = txn(next++);
            log.push(t);
            ref.push(t);
            if (ref.length > capacity) ref.splice(0, ref.length - capacity);
          } else if (o[0] === 'truncate') {
            log.dropAfter(o[1]);
            ref = ref.filter((t) => t.zxid <= o[1]);
            next = Math.max(o[1], ref[ref.length - 1]?.zxid ?? 0) + 1;
          } else {
            log.clear();
            ref = [];
          }
          expect(log.toArray()).toEqual(ref);
          expect(log.length).toBe(ref.length);
          expect(log.first()).toBe(ref[0]);
          const mid = ref[Math.floor(ref.length / 2)]?.zxid ?? 0;
          expect(log.after(mid)).toEqual(ref.filter((t) => t.zxid > mid));
        }
      }),
    );
  });
});
