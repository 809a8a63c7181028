/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table-driven. Written here rather than
 * imported because the engine may not use `node:*` modules; it guards txn-log records and
 * snapshots against torn or corrupted bytes.
 */

/** The 256-entry lookup table, built once at module load (pure computation). */
const TABLE: Uint32Array = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 of `bytes[start, end)` as an unsigned 32-bit number ("123456789" → 0xCBF43926). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
