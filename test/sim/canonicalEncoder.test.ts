/**
 * The trace encoder's output is standard msgpack, byte for byte what @msgpack/msgpack writes
 * for the same value — also once its string cache is full and strings are written in place.
 */
import { describe, expect, it } from 'vitest';
import { encode } from '@msgpack/msgpack';
import { CanonicalEncoder } from '../../src/sim/trace/canonicalEncoder.ts';

describe('CanonicalEncoder strings', () => {
  it('writes the same bytes as msgpack before and after its string cache fills', () => {
    const e = new CanonicalEncoder(64);
    const samples = ['', 'a', 'x'.repeat(31), 'y'.repeat(32), 'z'.repeat(64), 'w'.repeat(65), 'v'.repeat(300), 'é', '€uro', '😀', 'q'.repeat(70000)];
    const check = () => {
      for (const s of samples) expect(Buffer.from(e.encode(s))).toEqual(Buffer.from(encode(s)));
      expect(Buffer.from(e.encode({ k: ['1:2:3:setData', 'ü'] }))).toEqual(Buffer.from(encode({ k: ['1:2:3:setData', 'ü'] })));
    };
    check();
    for (let i = 0; i < 5000; i++) e.encode(`fill-${i}`);
    samples.push('fresh-after-full', 'frisch-ä');
    check();
  });
});
