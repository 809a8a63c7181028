/**
 * Goal: command data reaches the wire as exactly its UTF-8 bytes. `dataBytes` has a hand-written
 * path for short ASCII strings; TextEncoder (an independent implementation) is the reference for
 * every string, short or long, ASCII or not, lone surrogates included.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dataBytes } from '../../src/client/commands.ts';

const reference = new TextEncoder();

describe('client: command data bytes', () => {
  it('null and undefined stay null (ZooKeeper keeps null data apart from empty data)', () => {
    expect(dataBytes(null)).toBeNull();
    expect(dataBytes(undefined)).toBeNull();
    expect(dataBytes('')).toEqual(new Uint8Array(0));
  });

  it('equals TextEncoder for any string', () => {
    const strings = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
    );
    fc.assert(
      fc.property(strings, (s) => {
        expect(Array.from(dataBytes(s)!)).toEqual(Array.from(reference.encode(s)));
      }),
      { numRuns: 2000 },
    );
  });
});
