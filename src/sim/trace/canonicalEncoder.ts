/**
 * A small msgpack writer for trace events. It writes straight into a reusable buffer and caches
 * the encoding of short repeated strings (event kinds, node ids), which makes tracing several
 * times cheaper than a general encoder. Output is standard msgpack (any decoder reads it) and
 * canonical: integers take their smallest form, object keys keep insertion order.
 */

const MAX_CACHED_STRING = 64;
const MAX_CACHE_ENTRIES = 4096;

export class CanonicalEncoder {
  private buf: Buffer;
  private view: DataView;
  private pos = 0;
  private readonly strings = new Map<string, Buffer>();
  /** Set by `encodePlainView`: strings must be ASCII, values plain data; `refused` says one was not. */
  private plainOnly = false;
  private refused = false;

  constructor(initialBytes = 80 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Encodes `value` on its own and returns a copy of its bytes. */
  encode(value: unknown): Uint8Array {
    const start = this.pos;
    this.write(value, 0);
    const out = Buffer.from(this.buf.subarray(start, this.pos));
    this.pos = start;
    return out;
  }

  /**
   * Encodes `value` if it is plain data — objects with the Object (or no) prototype, arrays, Uint8Array,
   * finite or not numbers, booleans, null, ASCII strings — and returns a view of the bytes, valid
   * until the next call; otherwise undefined. For such values the bytes are exactly what
   * @msgpack/msgpack's default encoder writes (non-ASCII strings are refused because that
   * encoder treats lone surrogates differently by string length).
   */
  encodePlainView(value: unknown): Uint8Array | undefined {
    const start = this.pos;
    this.plainOnly = true;
    this.refused = false;
    try {
      this.write(value, 0);
    } finally {
      this.plainOnly = false;
    }
    const end = this.pos;
    this.pos = start;
    return this.refused ? undefined : this.buf.subarray(start, end);
  }

  /** Appends one trace event, the array `[timeUs, kind, node, data]`, to the buffer. */
  appendEvent(timeUs: number, kind: string, node: string, data: unknown): void {
    this.u8(0x94);
    this.number(timeUs);
    this.string(kind);
    this.string(node);
    this.write(data, 1);
  }

  /** Bytes appended since the last `reset`. */
  get length(): number {
    return this.pos;
  }

  /** A view of the bytes appended since the last `reset` (valid until the next append). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** Empties the buffer (after its bytes were hashed or written out). */
  reset(): void {
    this.pos = 0;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  private u8(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  private write(v: unknown, depth: number): void {
    if (depth > 100) {
      if (this.plainOnly) return this.refuse();
      throw new Error('trace value nested too deeply');
    }
    switch (typeof v) {
      case 'number':
        return this.number(v);
      case 'string':
        return this.string(v);
      case 'boolean':
        return this.u8(v ? 0xc3 : 0xc2);
      case 'undefined':
        return this.u8(0xc0);
      case 'bigint':
        if (this.plainOnly) return this.refuse();
        this.ensure(9);
        this.buf[this.pos] = 0xd3;
        this.view.setBigInt64(this.pos + 1, v);
        this.pos += 9;
        return;
      case 'object':
        if (v === null) return this.u8(0xc0);
        if (Array.isArray(v)) return this.array(v, depth);
        if (v instanceof Uint8Array) return this.binary(v);
        if (this.plainOnly && !isPlainObject(v)) return this.refuse();
        return this.map(v as Record<string, unknown>, depth);
      default:
        if (this.plainOnly) return this.refuse();
        throw new TypeError(`cannot trace a value of type ${typeof v}`);
    }
  }

  private number(n: number): void {
    this.ensure(9);
    const b = this.buf;
    const p = this.pos;
    if (Number.isInteger(n) && Number.isSafeInteger(n)) {
      if (n >= 0) {
        if (n < 0x80) { b[p] = n; this.pos = p + 1; }
        else if (n < 0x100) { b[p] = 0xcc; b[p + 1] = n; this.pos = p + 2; }
        else if (n < 0x10000) { b[p] = 0xcd; this.view.setUint16(p + 1, n); this.pos = p + 3; }
        else if (n < 0x100000000) { b[p] = 0xce; this.view.setUint32(p + 1, n); this.pos = p + 5; }
        else { b[p] = 0xcf; this.view.setUint32(p + 1, Math.floor(n / 0x100000000)); this.view.setUint32(p + 5, n >>> 0); this.pos = p + 9; }
      } else {
        if (n >= -0x20) { b[p] = 0xe0 | (n + 0x20); this.pos = p + 1; }
        else if (n >= -0x80) { b[p] = 0xd0; this.view.setInt8(p + 1, n); this.pos = p + 2; }
        else if (n >= -0x8000) { b[p] = 0xd1; this.view.setInt16(p + 1, n); this.pos = p + 3; }
        else if (n >= -0x80000000) { b[p] = 0xd2; this.view.setInt32(p + 1, n); this.pos = p + 5; }
        else { b[p] = 0xd3; this.view.setBigInt64(p + 1, BigInt(n)); this.pos = p + 9; }
      }
      return;
    }
    b[p] = 0xcb;
    this.view.setFloat64(p + 1, n);
    this.pos = p + 9;
  }

  /** In plain-only mode: remember that the value is not plain; the bytes will be thrown away. */
  private refuse(): void {
    this.refused = true;
  }

  private string(s: string): void {
    if (this.plainOnly) return this.asciiString(s);
    if (s.length <= MAX_CACHED_STRING) {
      let enc = this.strings.get(s);
      if (enc === undefined) {
        // Once the cache is full, most strings missing it are one-offs (txn digests, paths,
        // values): write them in place rather than build a throwaway encoding for each.
        if (this.strings.size >= MAX_CACHE_ENTRIES) return this.uncachedString(s);
        enc = encodeStringHeaderAndBody(s);
        this.strings.set(s, enc);
      }
      const n = enc.length;
      this.ensure(n);
      const b = this.buf;
      let p = this.pos;
      // A byte loop beats Buffer#copy for the few bytes of a kind or a node id.
      for (let i = 0; i < n; i++) b[p++] = enc[i]!;
      this.pos = p;
      return;
    }
    this.uncachedString(s);
  }

  /** A string written without the cache: ASCII byte by byte in place, anything else through Buffer. */
  private uncachedString(s: string): void {
    if (isAscii(s)) return this.asciiString(s);
    const body = Buffer.from(s, 'utf8');
    this.header(body.length, 0xa0, 32, 0xd9, 0xda, 0xdb);
    this.ensure(body.length);
    body.copy(this.buf, this.pos);
    this.pos += body.length;
  }

  /**
   * An ASCII string, byte by byte in place. In plain-only mode any other string is refused: the
   * check rides along with the copy (one pass), since a refused value's bytes are thrown away.
   */
  private asciiString(s: string): void {
    const n = s.length;
    this.header(n, 0xa0, 32, 0xd9, 0xda, 0xdb);
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      seen |= c;
      b[p++] = c;
    }
    this.pos = p;
    if (seen >= 0x80) this.refuse();
  }

  private binary(bytes: Uint8Array): void {
    this.header(bytes.length, -1, 0, 0xc4, 0xc5, 0xc6);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private array(a: readonly unknown[], depth: number): void {
    this.header(a.length, 0x90, 16, -1, 0xdc, 0xdd);
    for (let i = 0; i < a.length; i++) this.write(a[i], depth + 1);
  }

  private map(o: Record<string, unknown>, depth: number): void {
    const keys = Object.keys(o);
    this.header(keys.length, 0x80, 16, -1, 0xde, 0xdf);
    for (const k of keys) {
      this.string(k);
      this.write(o[k], depth + 1);
    }
  }

  /** Writes a length header: fix form below `fixLimit`, else 8/16/32-bit forms (-1 = absent). */
  private header(len: number, fixBase: number, fixLimit: number, op8: number, op16: number, op32: number): void {
    this.ensure(5);
    const b = this.buf;
    const p = this.pos;
    if (len < fixLimit) { b[p] = fixBase | len; this.pos = p + 1; }
    else if (op8 >= 0 && len < 0x100) { b[p] = op8; b[p + 1] = len; this.pos = p + 2; }
    else if (len < 0x10000) { b[p] = op16; this.view.setUint16(p + 1, len); this.pos = p + 3; }
    else { b[p] = op32; this.view.setUint32(p + 1, len); this.pos = p + 5; }
  }
}

function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

function encodeStringHeaderAndBody(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  const n = body.length;
  let head: number[];
  if (n < 32) head = [0xa0 | n];
  else if (n < 0x100) head = [0xd9, n];
  else if (n < 0x10000) head = [0xda, n >> 8, n & 0xff];
  else head = [0xdb, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from(head), body]);
}
