/**
 * The WGL memo cache: the set of configurations (which operations are linearized, model state)
 * already explored. Seeing a configuration twice means the subtree below it was already searched,
 * which is what turns the exponential search into something usable.
 *
 * Layout is chosen for the inner loop: bitsets live in one growing Uint32Array slab, chains are
 * Int32Array links, and a lookup allocates nothing. A hash hit is confirmed by comparing the bitset
 * words and calling the model's real `equal`, so collisions can never cause a wrong verdict.
 */

/** Shared byte meter, so several partitions together stay under one memory cap. */
export interface MemoryMeter {
  usedBytes: number;
  peakBytes: number;
  readonly capBytes: number;
}

/** {@link ConfigCache.add}: the configuration was new and is now stored. */
export const ADDED = 0;
/** The configuration was already explored. */
export const PRESENT = 1;
/** Storing it would exceed the memory cap. */
export const OVER_MEMORY = 2;
/** One of {@link ADDED}, {@link PRESENT}, {@link OVER_MEMORY}. */
export type AddResult = typeof ADDED | typeof PRESENT | typeof OVER_MEMORY;

/** Rough per-entry overhead of a state reference and bookkeeping besides the bitset words. */
const ENTRY_OVERHEAD_BYTES = 24;

/** Open-hashing set of (bitset, state) configurations. */
export class ConfigCache<S> {
  private buckets: Int32Array;
  private links: Int32Array;
  private hashes: Int32Array;
  private slab: Uint32Array;
  private states: S[] = [];
  private size = 0;
  private chargedBytes = 0;
  private readonly entryBytes: number;

  constructor(
    private readonly words: number,
    private readonly equal: (a: S, b: S) => boolean,
    private readonly meter: MemoryMeter,
  ) {
    const capacity = 1024;
    this.buckets = new Int32Array(capacity * 2).fill(-1);
    this.links = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.slab = new Uint32Array(capacity * words);
    this.entryBytes = words * 4 + ENTRY_OVERHEAD_BYTES + 8;
  }

  /** Adds the configuration unless an equal one is present; never adds past the memory cap. */
  add(bits: Uint32Array, hash: number, state: S): AddResult {
    const words = this.words;
    const mask = this.buckets.length - 1;
    const slot = hash & mask;
    for (let e = this.buckets[slot]!; e !== -1; e = this.links[e]!) {
      if (this.hashes[e] !== hash) continue;
      const base = e * words;
      let same = true;
      for (let w = 0; w < words; w++) {
        if (this.slab[base + w] !== bits[w]) {
          same = false;
          break;
        }
      }
      if (same && this.equal(this.states[e]!, state)) return PRESENT;
    }
    if (this.meter.usedBytes + this.entryBytes > this.meter.capBytes) return OVER_MEMORY;
    if (this.size === this.links.length) this.grow();
    const e = this.size++;
    this.slab.set(bits, e * words);
    this.hashes[e] = hash;
    this.states.push(state);
    const b = hash & (this.buckets.length - 1);
    this.links[e] = this.buckets[b]!;
    this.buckets[b] = e;
    this.charge(this.entryBytes);
    return ADDED;
  }

  /** Returns this cache's bytes to the shared meter; the cache must not be used afterwards. */
  release(): void {
    this.meter.usedBytes -= this.chargedBytes;
    this.chargedBytes = 0;
    this.states = [];
  }

  /** Number of configurations stored. */
  get count(): number {
    return this.size;
  }

  private charge(bytes: number): void {
    this.chargedBytes += bytes;
    this.meter.usedBytes += bytes;
    if (this.meter.usedBytes > this.meter.peakBytes) this.meter.peakBytes = this.meter.usedBytes;
  }

  private grow(): void {
    const capacity = this.links.length * 2;
    const links = new Int32Array(capacity);
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    const slab = new Uint32Array(capacity * this.words);
    slab.set(this.slab);
    // Bucket array stays at twice the entry capacity, so chains stay short.
    const buckets = new Int32Array(capacity * 2).fill(-1);
    const mask = buckets.length - 1;
    for (let e = 0; e < this.size; e++) {
      const b = hashes[e]! & mask;
      links[e] = buckets[b]!;
      buckets[b] = e;
    }
    this.links = links;
    this.hashes = hashes;
    this.slab = slab;
    this.buckets = buckets;
  }
}
