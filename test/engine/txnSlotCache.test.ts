/**
 * TxnSlotCache (behind the txn-record and txn-digest caches): a hit only for the very txn object
 * that was stored, whatever the zxid; a slot shared by two zxids keeps the later one.
 */
import { describe, expect, it } from 'vitest';
import type { Txn } from '../../src/engine/request/txn.ts';
import { TxnSlotCache } from '../../src/engine/request/txnSlotCache.ts';

const txn = (zxid: number, path = '/a'): Txn => ({ zxid, timeMs: 1, sessionId: 7, cxid: 1, body: { type: 'delete', path } }) as Txn;

describe('TxnSlotCache', () => {
  it('hits only for the same txn object', () => {
    const cache = new TxnSlotCache<string>(8);
    const t = txn(0x100000003);
    cache.set(t, 'v');
    expect(cache.get(t)).toBe('v');
    // An equal txn that is another object (a txn read back from disk, a different leader's) misses.
    expect(cache.get(txn(0x100000003))).toBeUndefined();
  });

  it('uses the low bits of the zxid: a later txn in the same slot replaces the earlier', () => {
    const cache = new TxnSlotCache<string>(8);
    const a = txn(0x100000001);
    const b = txn(0x100000009); // same slot as a (9 & 7 === 1)
    const c = txn(0x200000002); // another epoch, another slot
    cache.set(a, 'a');
    cache.set(c, 'c');
    expect(cache.get(a)).toBe('a');
    cache.set(b, 'b');
    expect(cache.get(a)).toBeUndefined();
    expect(cache.get(b)).toBe('b');
    expect(cache.get(c)).toBe('c');
  });

  it('keeps zxids past 2^32 apart by their counter bits', () => {
    const cache = new TxnSlotCache<number>(4096);
    const many = Array.from({ length: 4096 }, (_, i) => txn(0x500000000 + i));
    many.forEach((t, i) => cache.set(t, i));
    // Every slot holds its own txn: nothing collided.
    expect(many.every((t, i) => cache.get(t) === i)).toBe(true);
  });

  it('rejects a size that is not a power of two', () => {
    expect(() => new TxnSlotCache<number>(1000)).toThrow(RangeError);
  });
});
