/**
 * The txn log file format. A file `log.<hex first zxid>` is a sequence of records:
 *
 *   [u32 payloadLength][u32 crc32(payload)][payload = msgpack(Txn)]     (big-endian u32s)
 *
 * There is no file header and no preallocation (ZooKeeper writes a "ZKLG" header and pads files
 * with zeros; neither adds anything under the simulated disk). Decoding tells apart the three
 * ways a file can end:
 *
 * - clean: the last record ends exactly at the end of the file;
 * - torn: the last record is cut short (header or payload), or is complete in length but fails
 *   its CRC with nothing after it. This is what a crash in the middle of an unsynced append
 *   leaves, an expected situation: the record was never durable, so it is dropped;
 * - corrupt: a record fails its CRC (or does not decode as a txn) and more bytes follow. A torn
 *   write cannot produce that, so the bytes after it are not trusted either.
 *
 * Decoding also checks continuity between the records of one file (see continuity.ts).
 */
import { Encoder, decode } from '@msgpack/msgpack';
import type { Txn } from '../request/txn.ts';
import { TxnSlotCache } from '../request/txnSlotCache.ts';
import { assert } from '../assert.ts';
import { concatBytes, readU32, writeU32 } from './binary.ts';
import { continuityViolation } from './continuity.ts';
import { crc32 } from './crc32.ts';
import { CanonicalEncoder } from '../../sim/trace/canonicalEncoder.ts';

/** Bytes before each payload: length + crc. */
export const RECORD_HEADER_BYTES = 8;

/** Where one record sits in its file: [offset, end) covers header and payload. */
export interface LogRecordPosition {
  zxid: number;
  offset: number;
  end: number;
}

/** How a log file ends (see the module comment); 'discontinuity' is a continuity violation. */
export type LogTail = 'clean' | 'torn' | 'corrupt' | 'discontinuity';

/** The valid prefix of a log file and why decoding stopped. */
export interface DecodedLogFile {
  /** The txns of the valid prefix, in file order. */
  txns: Txn[];
  /** Positions of those txns' records. */
  records: LogRecordPosition[];
  /** Length of the valid prefix: everything at or after it is to be dropped. */
  validBytes: number;
  tail: LogTail;
  /** Human-readable reason when `tail` is not 'clean'. */
  detail?: string;
}

/**
 * The payload writers. Txns are plain data with ASCII strings (paths, ACL schemes) almost
 * always, which the canonical encoder writes byte for byte as @msgpack/msgpack does, several
 * times faster; anything else goes to @msgpack/msgpack itself, so the format is exactly its
 * output either way. One instance each (msgpack's `encode()` builds an Encoder per call); both
 * return a view of their buffer, valid until their next encode, copied into the record at once.
 */
const plainEncoder = new CanonicalEncoder(4096);
const payloadEncoder = new Encoder();

/**
 * Recently encoded records, by txn object: each replica logs the very txn object the leader
 * proposed, and would otherwise encode and checksum the same bytes again. The record is shared by
 * every caller (and every simulated disk it is appended to): like the txn itself it is never
 * written to after this function.
 */
const recordCache = new TxnSlotCache<Uint8Array>(4096);

/**
 * Records are carved out of shared 64 KiB slabs. A Uint8Array over 64 bytes gets its own
 * off-heap buffer, whose allocation and later sweeping cost more than encoding the txn; a view
 * into a slab is an ordinary small object. Views never overlap, and nothing reads a record's
 * `.buffer`, so sharing the slab is invisible.
 */
const SLAB_BYTES = 64 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

function recordBytes(length: number): Uint8Array {
  if (length > SLAB_BYTES / 4) return new Uint8Array(length);
  if (slabUsed + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const view = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += length;
  return view;
}

/** Encodes one txn as a log record. */
export function encodeLogRecord(txn: Txn): Uint8Array {
  assert(Number.isSafeInteger(txn.zxid) && txn.zxid > 0, () => `txn zxid must be a positive safe integer, got ${txn.zxid}`);
  let record = recordCache.get(txn);
  if (record === undefined) {
    const payload = plainEncoder.encodePlainView(txn) ?? payloadEncoder.encodeSharedRef(txn);
    record = recordBytes(RECORD_HEADER_BYTES + payload.length);
    writeU32(record, 0, payload.length);
    writeU32(record, 4, crc32(payload));
    record.set(payload, RECORD_HEADER_BYTES);
    recordCache.set(txn, record);
  }
  return record;
}

/** Encodes several txns as consecutive records (one write: one append effect). */
export function encodeLogRecords(txns: readonly Txn[]): Uint8Array {
  return concatBytes(txns.map(encodeLogRecord));
}

/** A decoded payload is used only if it looks like a Txn; a CRC-valid non-txn is corruption. */
function asTxn(value: unknown): Txn | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const t = value as Partial<Txn>;
  if (typeof t.zxid !== 'number' || !Number.isSafeInteger(t.zxid) || t.zxid <= 0) return undefined;
  if (typeof t.body !== 'object' || t.body === null) return undefined;
  return value as Txn;
}

function decodePayload(payload: Uint8Array): Txn | undefined {
  try {
    return asTxn(decode(payload));
  } catch {
    // A CRC-valid payload that msgpack rejects: treated as corruption by the caller.
    return undefined;
  }
}

/**
 * Decodes a log file up to the first problem. `prevZxid`, when given, is the zxid the first
 * record must continue (the last txn of the previous file); without it the first record is
 * accepted as is.
 */
export function decodeLogFile(bytes: Uint8Array, prevZxid?: number): DecodedLogFile {
  const txns: Txn[] = [];
  const records: LogRecordPosition[] = [];
  let at = 0;
  let prev = prevZxid;
  const stop = (tail: LogTail, detail?: string): DecodedLogFile =>
    detail === undefined ? { txns, records, validBytes: at, tail } : { txns, records, validBytes: at, tail, detail };
  while (at < bytes.length) {
    const remaining = bytes.length - at;
    if (remaining < RECORD_HEADER_BYTES) return stop('torn', `record header cut short at byte ${at}`);
    const length = readU32(bytes, at);
    const end = at + RECORD_HEADER_BYTES + length;
    if (end > bytes.length) return stop('torn', `record at byte ${at} needs ${length} payload bytes, file ends first`);
    const payloadStart = at + RECORD_HEADER_BYTES;
    if (crc32(bytes, payloadStart, end) !== readU32(bytes, at + 4)) {
      // A bad checksum on the very last record is a torn write; with more data after it, the
      // file was damaged where no crash could have damaged it.
      return end === bytes.length ? stop('torn', `last record at byte ${at} fails its CRC`) : stop('corrupt', `record at byte ${at} fails its CRC`);
    }
    const txn = decodePayload(bytes.subarray(payloadStart, end));
    if (txn === undefined) return stop('corrupt', `record at byte ${at} passes its CRC but is not a txn`);
    if (prev !== undefined) {
      const violation = continuityViolation(prev, txn.zxid);
      if (violation !== undefined) return stop('discontinuity', `record at byte ${at}: ${violation}`);
    }
    txns.push(txn);
    records.push({ zxid: txn.zxid, offset: at, end });
    prev = txn.zxid;
    at = end;
  }
  return stop('clean');
}
