/**
 * On-disk formats round-trip. Goal: every byte layout the persistence layer writes reads back
 * as exactly what was written, and anything else is rejected rather than misread.
 *
 * Method: CRC-32 against published check values and against node:zlib as an independent
 * implementation; txn-log records for every txn type the engine produces (real txns from the
 * prep/apply pipeline), decoded and re-applied to compare database digests; record headers
 * checked with a DataView, not the module's own readers; snapshots of a non-trivial tree with
 * sessions compared by digest, and every single-byte flip and every truncation of a snapshot
 * rejected; epoch files and file names parsed back from what was written.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { databaseDigest, restoreDatabase, snapshotDatabase, type DatabaseSnapshot } from '../../../src/engine/db/zkDatabase.ts';
import { crc32 } from '../../../src/engine/persistence/crc32.ts';
import { encodeEpoch, parseEpoch, writeAcceptedEpoch, writeCurrentEpoch, epochFsyncId } from '../../../src/engine/persistence/epochFiles.ts';
import {
  ACCEPTED_EPOCH_FILE,
  CURRENT_EPOCH_FILE,
  fsyncOwner,
  logFileName,
  parseLogFileName,
  parseSnapshotFileName,
  snapshotFileName,
} from '../../../src/engine/persistence/fileNames.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/engine/persistence/snapshotFormat.ts';
import { RECORD_HEADER_BYTES, decodeLogFile, encodeLogRecord, encodeLogRecords } from '../../../src/engine/persistence/txnLogFormat.ts';
import { makeZxid } from '../../../src/engine/zxid.ts';
import { DiskDriver, applyDirectly, everyTxnType, longHistory, utf8 } from './fixtures.ts';

const ascii = (text: string) => utf8(text);

describe('crc32', () => {
  // Published CRC-32/ISO-HDLC check values.
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['abc', 0x352441c2],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('crc32(%j) = known vector', (text, expected) => {
    expect(crc32(ascii(text))).toBe(expected);
  });

  it('agrees with node:zlib on random bytes and on any sub-range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        expect(crc32(bytes)).toBe(zlibCrc32(bytes));
        const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const end = start + (bytes.length === 0 ? 0 : b % (bytes.length - start + 1));
        expect(crc32(bytes, start, end)).toBe(zlibCrc32(bytes.subarray(start, end)));
      }),
    );
  });
});

describe('txn log records', () => {
  const { history, named } = everyTxnType();

  it.each(named)('%s txn decodes to exactly what was encoded', (_name, txn) => {
    const decoded = decodeLogFile(encodeLogRecord(txn));
    expect(decoded.tail).toBe('clean');
    expect(decoded.txns).toEqual([txn]);
  });

  it('record header is [u32 payload length][u32 crc32(payload)], big-endian', () => {
    for (const [, txn] of named) {
      const record = encodeLogRecord(txn);
      const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
      expect(view.getUint32(0, false)).toBe(record.length - RECORD_HEADER_BYTES);
      expect(view.getUint32(4, false)).toBe(zlibCrc32(record.subarray(RECORD_HEADER_BYTES)));
    }
  });

  it('a whole history decodes in order with contiguous record positions, and replays to the same digest', () => {
    const txns = history.txns;
    const bytes = encodeLogRecords(txns);
    const decoded = decodeLogFile(bytes);
    expect(decoded.tail).toBe('clean');
    expect(decoded.validBytes).toBe(bytes.length);
    expect(decoded.txns).toEqual(txns);
    expect(decoded.records.map((r) => r.zxid)).toEqual(txns.map((t) => t.zxid));
    expect(decoded.records[0]!.offset).toBe(0);
    for (let i = 1; i < decoded.records.length; i++) expect(decoded.records[i]!.offset).toBe(decoded.records[i - 1]!.end);
    expect(decoded.records[decoded.records.length - 1]!.end).toBe(bytes.length);
    expect(databaseDigest(applyDirectly(decoded.txns))).toBe(databaseDigest(history.db));
  });

  it('records spanning epochs decode when they continue each other', () => {
    const h = longHistory(60, 17);
    const decoded = decodeLogFile(encodeLogRecords(h.txns));
    expect(decoded.tail).toBe('clean');
    expect(decoded.txns).toEqual(h.txns);
  });

  it('records carved from shared buffers stay each their own: thousands of them, across buffer boundaries, every one still its txn', () => {
    // Enough records to fill several 64 KiB slabs, including ones larger than a quarter slab.
    const big = new Uint8Array(20_000).fill(7);
    const txns = longHistory(3000, 5).txns.map((t, i) => (i % 500 === 499 ? { ...t, body: { type: 'setData' as const, path: '/big', data: big, version: i } } : t));
    const records = txns.map((t) => encodeLogRecord(t));
    // Written one after another they make one clean log (no record overwrote another).
    const joined = decodeLogFile(encodeLogRecords(txns));
    expect(joined.txns).toEqual(txns);
    records.forEach((record, i) => {
      const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
      expect(view.getUint32(0, false)).toBe(record.length - RECORD_HEADER_BYTES);
      expect(view.getUint32(4, false)).toBe(zlibCrc32(record.subarray(RECORD_HEADER_BYTES)));
      expect(decodeLogFile(record).txns).toEqual([txns[i]]);
    });
  });

  it('refuses to encode a txn whose zxid is not a positive safe integer', () => {
    const txn = named[0]![1];
    for (const zxid of [0, -1, 1.5, 2 ** 53]) expect(() => encodeLogRecord({ ...txn, zxid })).toThrow();
  });
});

describe('snapshot files', () => {
  const h = longHistory(150, 40);
  const payload = snapshotDatabase(h.db);
  const zxid = h.db.lastProcessedZxid;
  const bytes = encodeSnapshot(zxid, payload);

  it('a non-trivial tree with sessions decodes to the same database digest', () => {
    expect(payload.tree.nodes.length).toBeGreaterThan(10);
    expect(payload.sessions.length).toBe(2);
    const decoded = decodeSnapshot<DatabaseSnapshot>(bytes, zxid);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.zxid).toBe(zxid);
    expect(decoded.payload).toEqual(payload);
    expect(databaseDigest(restoreDatabase(decoded.payload))).toBe(databaseDigest(h.db));
  });

  it('a snapshot named for another zxid is rejected', () => {
    expect(decodeSnapshot(bytes, zxid + 1).ok).toBe(false);
    expect(decodeSnapshot(bytes).ok).toBe(true);
  });

  it('every single-byte flip is rejected', () => {
    for (let at = 0; at < bytes.length; at++) {
      const damaged = bytes.slice();
      damaged[at]! ^= 0x01 << at % 8;
      expect(decodeSnapshot(damaged, zxid).ok, `flip at byte ${at}`).toBe(false);
    }
  });

  it('every truncation and any trailing garbage is rejected', () => {
    for (let length = 0; length < bytes.length; length++) {
      expect(decodeSnapshot(bytes.subarray(0, length), zxid).ok, `cut at ${length}`).toBe(false);
    }
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(decodeSnapshot(longer, zxid).ok).toBe(false);
  });

  it('random bytes never decode and never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        expect(decodeSnapshot(junk).ok).toBe(false);
      }),
    );
  });
});

describe('epoch files', () => {
  it.each([0, 1, 42, 2 ** 21 - 1, Number.MAX_SAFE_INTEGER])('epoch %d round-trips as the bare decimal digits ZooKeeper writes', (epoch) => {
    const bytes = encodeEpoch(epoch);
    // QuorumPeer.writeLongToFile writes Long.toString(value): no newline.
    expect(new TextDecoder().decode(bytes)).toBe(String(epoch));
    expect(parseEpoch(bytes)).toBe(epoch);
  });

  // QuorumPeer.readLongFromFile: Long.parseLong(first line).
  it.each([
    ['7', 7],
    ['7\n', 7],
    ['7\r\n', 7],
    ['7\n8', 7],
    ['007', 7],
    ['+7', 7],
    [' 7', undefined],
    ['7 ', undefined],
    ['', undefined],
    ['\n7', undefined],
    ['abc', undefined],
    ['7x', undefined],
    ['-1', undefined],
    ['1e3', undefined],
    ['99999999999999999', undefined],
  ])('parseEpoch(%j) = %s', (text, expected) => {
    expect(parseEpoch(ascii(text))).toBe(expected);
  });

  it('an epoch write is atomic: a crash before its fsync keeps the old value, after it the new one', () => {
    const d = new DiskDriver();
    d.apply(writeCurrentEpoch(4));
    expect(d.completeNext()).toEqual({ id: epochFsyncId(CURRENT_EPOCH_FILE, 4), file: CURRENT_EPOCH_FILE });
    d.apply(writeCurrentEpoch(5));
    d.apply(writeAcceptedEpoch(6));
    expect(parseEpoch(d.crash('lose').get(CURRENT_EPOCH_FILE)!)).toBe(4);
    expect(d.image().has(ACCEPTED_EPOCH_FILE)).toBe(false);
    d.apply(writeAcceptedEpoch(6));
    const done = d.completeNext();
    expect(done?.id).toBe(epochFsyncId(ACCEPTED_EPOCH_FILE, 6));
    expect(fsyncOwner(done!.id)).toBe('epoch');
    expect(parseEpoch(d.crash('tear').get(ACCEPTED_EPOCH_FILE)!)).toBe(6);
  });
});

describe('file names', () => {
  it('log and snapshot names round-trip through Long.toHexString-style hex', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 21 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (epoch, counter) => {
        const zxid = makeZxid(epoch, counter);
        expect(logFileName(zxid)).toBe(`log.${zxid.toString(16)}`);
        expect(parseLogFileName(logFileName(zxid))).toBe(zxid);
        expect(parseSnapshotFileName(snapshotFileName(zxid))).toBe(zxid);
        expect(parseSnapshotFileName(logFileName(zxid))).toBeUndefined();
        expect(parseLogFileName(snapshotFileName(zxid))).toBeUndefined();
      }),
    );
  });

  it.each(['log.', 'log.0a', 'log.A', 'log.1g', 'log.-1', 'log.1.tmp', 'logs.1', 'snapshot.', 'currentEpoch', 'log.' + 'f'.repeat(14)])(
    'foreign name %j is not a log or snapshot',
    (name) => {
      expect(parseLogFileName(name)).toBeUndefined();
      expect(parseSnapshotFileName(name.replace(/^log/, 'snapshot'))).toBeUndefined();
    },
  );

  it.each([
    ['log:3', 'log'],
    ['log:repair:0', 'log'],
    ['snap:1a', 'snap'],
    ['snap:repair:snapshot.1a', 'snap'],
    ['epoch:currentEpoch:3', 'epoch'],
    ['logx', undefined],
    [7, undefined],
  ] as const)('fsync id %j belongs to %s', (id, owner) => {
    expect(fsyncOwner(id)).toBe(owner);
  });
});
