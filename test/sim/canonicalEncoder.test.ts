/**
 * The trace encoder's output is standard msgpack, byte for byte what @msgpack/msgpack writes
 * for the same value — also once its string cache is full and strings are written in place.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
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

describe('CanonicalEncoder plain-only mode (txn log payloads)', () => {
  const asciiString = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 300 });
  const number = fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger(), fc.constantFrom(-0, 2 ** 32, 2 ** 53 - 1, -(2 ** 31) - 1, -(2 ** 53) + 1, 0xffffffff));
  const plain = (strings: fc.Arbitrary<string>) =>
    fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        number,
        strings,
        fc.boolean(),
        fc.constant(null),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(tie('value'), { maxLength: 20 }),
        fc.dictionary(strings, tie('value'), { maxKeys: 20 }),
      ),
    })).value;

  it('plain data with ASCII strings: encoded, byte for byte what @msgpack/msgpack writes', () => {
    const e = new CanonicalEncoder(64);
    fc.assert(
      fc.property(plain(asciiString), (v) => {
        const view = e.encodePlainView(v);
        expect(view).toBeDefined();
        expect(Buffer.from(view!)).toEqual(Buffer.from(encode(v)));
      }),
      { numRuns: 500 },
    );
  });

  it('any string: either the same bytes as @msgpack/msgpack, or refused when a string is not ASCII', () => {
    const e = new CanonicalEncoder(64);
    fc.assert(
      fc.property(plain(fc.string({ unit: 'binary', maxLength: 40 })), (v) => {
        const view = e.encodePlainView(v);
        if (view !== undefined) expect(Buffer.from(view)).toEqual(Buffer.from(encode(v)));
        else expect(JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? null : x))).toMatch(/[^\x00-\x7f]|\\u[0-9a-f]{4}/);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what is not plain data, and stays usable afterwards', () => {
    const e = new CanonicalEncoder(64);
    for (const v of [new Date(0), new Map([[1, 2]]), new Int16Array(2), 10n, { a: [1, { b: () => 1 }] }, 'é', { path: '/a\u00e9' }]) {
      expect(e.encodePlainView(v)).toBeUndefined();
      expect(Buffer.from(e.encodePlainView({ after: [1, 'x'] })!)).toEqual(Buffer.from(encode({ after: [1, 'x'] })));
    }
  });
});
