/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table-driven. Written here rather than
 * imported because the engine may not use `node:*` modules; it guards txn-log records and
 * snapshots against torn or corrupted bytes.
 */

/**
 * Four 256-entry tables in one array, for slicing-by-4: entry [k·256 + n] is the CRC state change
 * for byte n followed by k zero bytes, so one step consumes four bytes. Int32 entries keep the
 * arithmetic in 32-bit integers (a Uint32Array hands out values ≥ 2³¹ as doubles). Built once at
 * module load (pure computation).
 */
const TABLES: Int32Array = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let k = 1; k < 4; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

/** CRC-32 of `bytes[start, end)` as an unsigned 32-bit number ("123456789" → 0xCBF43926). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let c = -1;
  let i = start;
  // Four bytes per step (every txn-log record and snapshot is checksummed), then the tail.
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t[768 + (c & 0xff)]! ^ t[512 + ((c >>> 8) & 0xff)]! ^ t[256 + ((c >>> 16) & 0xff)]! ^ t[c >>> 24]!;
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
