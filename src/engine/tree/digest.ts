/**
 * A small deterministic 64-bit hash (two independent 32-bit FNV-1a style lanes) for comparing
 * replicas. Not cryptographic: it only has to make accidental divergence visible.
 */

/** Incremental hasher over numbers, strings and byte arrays. */
export class Hasher {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x9e3779b9;

  /** Feeds one byte into both lanes. */
  byte(value: number): void {
    this.a = Math.imul(this.a ^ (value & 0xff), 0x01000193) >>> 0;
    this.b = Math.imul(this.b ^ (value & 0xff), 0x5bd1e995) >>> 0;
    this.b = (this.b ^ (this.b >>> 13)) >>> 0;
  }

  /** Feeds a safe integer (sign and 53 bits) as a tagged 8-byte value. */
  int(value: number): void {
    this.byte(value < 0 ? 1 : 0);
    let magnitude = Math.abs(value);
    for (let i = 0; i < 7; i++) {
      this.byte(magnitude % 256);
      magnitude = Math.floor(magnitude / 256);
    }
  }

  /** Feeds a string as length + UTF-16 code units, so concatenations cannot collide. */
  text(value: string): void {
    this.int(value.length);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      this.byte(code);
      this.byte(code >>> 8);
    }
  }

  /** Feeds bytes or null (distinct from an empty array). */
  bytes(value: Uint8Array | null): void {
    if (value === null) {
      this.int(-1);
      return;
    }
    this.int(value.length);
    for (const b of value) this.byte(b);
  }

  /** The 64-bit digest as 16 hex digits. */
  hex(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}
