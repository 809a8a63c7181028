/**
 * The snapshot file format. A file `snapshot.<hex zxid>` holds:
 *
 *   "ZKSN" [u32 version=1] [u32 bodyLength] [u32 crc32(body)] [body = msgpack({zxid, payload})] "BenWasHere"
 *
 * The trailing signature mirrors the "BenWasHere" marker ZooKeeper puts after a serialized
 * tree: a snapshot whose write was cut short lacks it (or fails the length/CRC checks) and is
 * ignored, so recovery falls back to the previous one. The payload is opaque here (the node
 * stores the tree snapshot and the session table); it must be msgpack-able plain data.
 */
import { decode, encode } from '@msgpack/msgpack';
import { assert } from '../assert.ts';
import { asciiBytes, bytesEqualAt, concatBytes, readU32, writeU32 } from './binary.ts';
import { crc32 } from './crc32.ts';

const MAGIC = asciiBytes('ZKSN');
const SIGNATURE = asciiBytes('BenWasHere');
const VERSION = 1;
/** magic + version + bodyLength + crc. */
const HEADER_BYTES = 16;

/** A snapshot as stored: the zxid of the last txn applied and the node's opaque state. */
export interface SnapshotContents<S> {
  zxid: number;
  payload: S;
}

/** A decoded snapshot, or why the file is not a usable snapshot. */
export type DecodedSnapshot<S> = ({ ok: true } & SnapshotContents<S>) | { ok: false; reason: string };

/** Encodes a complete snapshot file. */
export function encodeSnapshot<S>(zxid: number, payload: S): Uint8Array {
  assert(Number.isSafeInteger(zxid) && zxid >= 0, `bad snapshot zxid ${zxid}`);
  const body = encode({ zxid, payload });
  const header = new Uint8Array(HEADER_BYTES);
  header.set(MAGIC, 0);
  writeU32(header, 4, VERSION);
  writeU32(header, 8, body.length);
  writeU32(header, 12, crc32(body));
  return concatBytes([header, body, SIGNATURE]);
}

/**
 * Decodes a snapshot file; never throws on bad bytes. `expectedZxid` (from the file name) must
 * match the zxid inside, so a file renamed or written under the wrong name is not trusted.
 */
export function decodeSnapshot<S = unknown>(bytes: Uint8Array, expectedZxid?: number): DecodedSnapshot<S> {
  if (bytes.length < HEADER_BYTES + SIGNATURE.length) return { ok: false, reason: `only ${bytes.length} bytes: incomplete` };
  if (!bytesEqualAt(bytes, 0, MAGIC)) return { ok: false, reason: 'bad magic' };
  if (readU32(bytes, 4) !== VERSION) return { ok: false, reason: `unknown version ${readU32(bytes, 4)}` };
  const bodyLength = readU32(bytes, 8);
  const bodyEnd = HEADER_BYTES + bodyLength;
  if (bodyEnd + SIGNATURE.length !== bytes.length) {
    return { ok: false, reason: `length ${bytes.length} does not match body ${bodyLength} + header + signature: incomplete` };
  }
  if (!bytesEqualAt(bytes, bodyEnd, SIGNATURE)) return { ok: false, reason: 'missing signature: incomplete' };
  if (crc32(bytes, HEADER_BYTES, bodyEnd) !== readU32(bytes, 12)) return { ok: false, reason: 'CRC mismatch' };
  let value: unknown;
  try {
    value = decode(bytes.subarray(HEADER_BYTES, bodyEnd));
  } catch (e) {
    return { ok: false, reason: `body does not decode: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || !('zxid' in value) || typeof value.zxid !== 'number') {
    return { ok: false, reason: 'body is not {zxid, payload}' };
  }
  const contents = value as SnapshotContents<S>;
  if (expectedZxid !== undefined && contents.zxid !== expectedZxid) {
    return { ok: false, reason: `holds zxid ${contents.zxid}, file name says ${expectedZxid}` };
  }
  return { ok: true, zxid: contents.zxid, payload: contents.payload };
}
