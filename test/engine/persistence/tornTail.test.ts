/**
 * Torn and corrupt log tails. Goal: whatever a crash or a bad sector leaves in a log file,
 * recovery keeps exactly the records before the first damaged one, cuts the rest off, and
 * never throws.
 *
 * Method: a log of N real txns (every txn type); the file cut at every byte offset inside the
 * last record, and every byte of the last record flipped, must recover exactly N-1 records
 * both through decodeLogFile and through the whole `recover` from a DiskImage (whose repair
 * truncates the file back to the end of record N-1). Damage in the middle stops recovery at the
 * last valid record before it; the later files of the log are dropped too. A property test
 * flips random bytes and cuts at random offsets and checks the recovered txns are exactly the
 * records that lie wholly before the first damaged byte.
 *
 * What ZooKeeper 3.8 does (FileTxnLog.FileTxnIterator.next, Util.readTxnBytes): a record whose
 * bytes run out, or whose end-of-record marker 'B' is missing, or a zero-length record (the
 * preallocated zero padding) is treated as the end of that file and reading continues with the
 * next log file; a record whose Adler32 checksum does not match throws IOException("CRC check
 * failed"), which aborts loadDataBase: the server refuses to start. ZooKeeper never truncates a
 * torn tail; it opens a new log file on restart and leaves the garbage behind. We instead stop
 * at the first bad record, whatever the damage, and cut the log there (truncate that file,
 * delete the later ones), so a corrupt record in the middle loses the suffix rather than
 * refusing to start. Reported as a deviation.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { recover } from '../../../src/engine/persistence/recovery.ts';
import { logFileName } from '../../../src/engine/persistence/fileNames.ts';
import { decodeLogFile, encodeLogRecord, encodeLogRecords } from '../../../src/engine/persistence/txnLogFormat.ts';
import { recoverLog } from '../../../src/engine/persistence/recoverLog.ts';
import type { Txn } from '../../../src/engine/request/txn.ts';
import { everyTxnType, imageOf, longHistory } from './fixtures.ts';

const txns: Txn[] = everyTxnType().history.txns;
const N = txns.length;
const file = encodeLogRecords(txns);
const lastStart = file.length - encodeLogRecord(txns[N - 1]!).length;
const name = logFileName(txns[0]!.zxid);

/** Record boundaries [start, end) of `file`, computed from the encoder alone. */
function boundaries(list: readonly Txn[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 0;
  for (const t of list) {
    const len = encodeLogRecord(t).length;
    out.push([at, at + len]);
    at += len;
  }
  return out;
}

describe('torn last record', () => {
  it(`cutting the file at every offset inside the last record recovers exactly the first ${N - 1} records`, () => {
    expect(N).toBeGreaterThan(10);
    for (let cut = lastStart + 1; cut < file.length; cut++) {
      const bytes = file.subarray(0, cut);
      const decoded = decodeLogFile(bytes);
      expect(decoded.txns, `cut at ${cut}`).toEqual(txns.slice(0, N - 1));
      expect(decoded.tail).toBe('torn');
      expect(decoded.validBytes).toBe(lastStart);
      const r = recover(imageOf([[name, bytes]]));
      expect(r.startupError).toBeUndefined();
      expect(r.txns, `recover, cut at ${cut}`).toEqual(txns.slice(0, N - 1));
      expect(r.lastLoggedZxid).toBe(txns[N - 2]!.zxid);
      expect(r.repairs[0]).toEqual({ kind: 'truncate', file: name, length: lastStart });
      expect(r.logFiles).toEqual([expect.objectContaining({ name, sizeBytes: lastStart })]);
      expect(r.problems.map((p) => p.kind)).toEqual(['torn']);
    }
  });

  it('a cut exactly at a record boundary is a clean shorter log that needs no repair', () => {
    for (const [, end] of boundaries(txns)) {
      const r = recover(imageOf([[name, file.subarray(0, end)]]));
      expect(r.txns).toEqual(txns.filter((t) => t.zxid <= decodeLogFile(file.subarray(0, end)).records.at(-1)!.zxid));
      expect(r.problems).toEqual([]);
      expect(r.repairs.filter((e) => e.kind === 'truncate' || e.kind === 'deleteFile')).toEqual([]);
    }
  });

  it(`flipping any byte of the last record recovers exactly the first ${N - 1} records`, () => {
    for (let at = lastStart; at < file.length; at++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const bytes = file.slice();
        bytes[at]! ^= mask;
        const r = recover(imageOf([[name, bytes]]));
        expect(r.txns, `flip ${mask} at ${at}`).toEqual(txns.slice(0, N - 1));
        expect(r.repairs[0]).toEqual({ kind: 'truncate', file: name, length: lastStart });
      }
    }
  });

  it('a torn first record leaves no txn and deletes the file', () => {
    const first = encodeLogRecord(txns[0]!);
    for (let cut = 1; cut < first.length; cut++) {
      const r = recover(imageOf([[name, first.subarray(0, cut)]]));
      expect(r.txns).toEqual([]);
      expect(r.lastLoggedZxid).toBe(0);
      expect(r.logFiles).toEqual([]);
      expect(r.repairs[0]).toEqual({ kind: 'deleteFile', file: name });
    }
  });
});

describe('damage in the middle', () => {
  it('a flipped payload byte in record k stops recovery after record k-1 (corrupt, not torn)', () => {
    const bounds = boundaries(txns);
    for (let k = 0; k < N - 1; k++) {
      const [start, end] = bounds[k]!;
      const bytes = file.slice();
      bytes[Math.floor((start + 8 + end) / 2)]! ^= 0x10;
      const r = recover(imageOf([[name, bytes]]));
      expect(r.txns, `record ${k}`).toEqual(txns.slice(0, k));
      expect(r.problems[0]!.kind).toBe('corrupt');
      expect(r.repairs[0]).toEqual(k === 0 ? { kind: 'deleteFile', file: name } : { kind: 'truncate', file: name, length: start });
    }
  });

  it('damage in an earlier file drops the later files of the chain, last file first', () => {
    const h = longHistory(120, 40);
    const parts = [h.txns.slice(0, 30), h.txns.slice(30, 60), h.txns.slice(60, 90), h.txns.slice(90)];
    const files = parts.map((p) => [logFileName(p[0]!.zxid), encodeLogRecords(p)] as [string, Uint8Array]);
    const damaged = files[1]![1].slice();
    const cutRecord = 12;
    const [start] = boundaries(parts[1]!)[cutRecord]!;
    damaged[start + 9]! ^= 0x42;
    const r = recover(imageOf([files[0]!, [files[1]![0], damaged], files[2]!, files[3]!]));
    expect(r.txns).toEqual(h.txns.slice(0, 30 + cutRecord));
    // Last file first: a crash part-way through the repairs leaves the log minus a suffix.
    expect(r.repairs.filter((e) => (e.kind === 'truncate' || e.kind === 'deleteFile') && e.file.startsWith('log.'))).toEqual([
      { kind: 'deleteFile', file: files[3]![0] },
      { kind: 'deleteFile', file: files[2]![0] },
      { kind: 'truncate', file: files[1]![0], length: start },
    ]);
    expect(r.problems.map((p) => [p.kind, p.file])).toEqual([
      ['corrupt', files[1]![0]],
      ['dropped', files[3]![0]],
      ['dropped', files[2]![0]],
    ]);
    // Every repair is fsynced, and the fsync ids are the log's (TxnLog.open waits for them).
    expect(r.logRepairFsyncIds).toEqual(['log:repair:0', 'log:repair:1', 'log:repair:2']);
  });
});

describe('any damage, any cut', () => {
  const h = longHistory(40, 15);
  const all = encodeLogRecords(h.txns);
  const bounds = boundaries(h.txns);

  it('recovers exactly the records wholly before the first damaged byte, and never throws', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: all.length }),
        fc.array(fc.record({ at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }), { maxLength: 3 }),
        fc.uint8Array({ maxLength: 20 }),
        (cut, flips, garbage) => {
          const bytes = new Uint8Array(cut + garbage.length);
          bytes.set(all.subarray(0, cut));
          bytes.set(garbage, cut);
          for (const f of flips) {
            if (bytes.length === 0) break;
            bytes[f.at % bytes.length]! ^= f.mask;
          }
          // Damage starts at the first byte that differs from the intact log (garbage that equals
          // the real next bytes, or two flips of one byte that cancel, are not damage).
          let firstDamage = 0;
          while (firstDamage < bytes.length && firstDamage < all.length && bytes[firstDamage] === all[firstDamage]) firstDamage++;
          const expected = bounds.filter(([, end]) => end <= Math.min(firstDamage, all.length)).length;
          const decoded = decodeLogFile(bytes);
          expect(decoded.txns).toEqual(h.txns.slice(0, expected));
          const r = recoverLog(new Map([[logFileName(h.txns[0]!.zxid), bytes]]), 0);
          expect(r.txns).toEqual(h.txns.slice(0, expected));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('recover never throws on a disk of random files', () => {
    const nameArb = fc.oneof(
      fc.nat({ max: 300 }).map((z) => `log.${z.toString(16)}`),
      fc.nat({ max: 300 }).map((z) => `snapshot.${z.toString(16)}`),
      fc.constantFrom('currentEpoch', 'acceptedEpoch', 'currentEpoch.tmp', 'junk'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(nameArb, fc.uint8Array({ maxLength: 64 })), { maxLength: 6 }), (files) => {
        const r = recover(imageOf(files));
        expect(r.lastLoggedZxid).toBeGreaterThanOrEqual(r.baseZxid);
      }),
    );
  });
});
