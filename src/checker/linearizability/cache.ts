/**
 * The WGL memo cache: the set of configurations (which operations are linearized, model state)
 * already explored. Seeing a configuration twice means the subtree below it was already searched,
 * which is what turns the exponential search into something usable.
 *
 * Compact keys: a plain bitset costs n/32 words per entry, which is what makes long partitions
 * run out of memory (Porcupine's "memory hog"). But operations are numbered in invocation order
 * and the search linearizes roughly in time order, so a linearized set is "everything up to
 * about here, minus a few stragglers, plus a few ahead". The key stores only that: `hi` (one past
 * the last non-zero word) and the words below `hi` that are not all ones, as (index, word) pairs.
 * Words below `hi` not listed are all ones; words from `hi` on are zero. The encoding is canonical,
 * so equal sets give equal keys. {@link LinearizedSet} maintains it incrementally. Partitions of
 * at most {@link DENSE_MAX_WORDS} words keep the plain bitset as the key: it is as small, and
 * cheaper to maintain.
 *
 * Layout is chosen for the inner loop: keys live in one growing Uint32Array slab, chains are
 * Int32Array links, and a lookup allocates nothing. A hash hit is confirmed by comparing the keys
 * and calling the model's real `equal`, so collisions can never cause a wrong verdict. Memory is
 * charged to a shared meter by what the arrays really allocate, before allocating.
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

/**
 * Arrays grow 4× at a time: a hard partition stores hundreds of thousands of configurations and
 * every growth copies and re-buckets them all (growing 2× at a time cost a tenth of a check).
 */
const GROWTH = 4;
/** Estimated bytes per stored model state (a reference plus a small immutable value). */
const STATE_BYTES = 40;
const FULL = 0xffffffff;
/** Bitsets up to this many words are stored whole (dense keys). */
export const DENSE_MAX_WORDS = 8;

/** The set of linearized operations: a bitset plus the compact key described above. */
export class LinearizedSet {
  readonly bits: Uint32Array;
  /** Sorted indexes of the words below `hi` that are not all ones; `count` are valid. */
  readonly partial: Int32Array;
  count = 0;
  /** One past the last non-zero word. */
  hi = 0;
  /** Small sets use the whole bitset as their key and skip the partial list. */
  readonly dense: boolean;

  constructor(n: number) {
    const words = Math.max(1, Math.ceil(n / 32));
    this.bits = new Uint32Array(words);
    this.dense = words <= DENSE_MAX_WORDS;
    this.partial = new Int32Array(this.dense ? 0 : words);
  }

  /** Bytes the set allocates. */
  get bytes(): number {
    return this.bits.byteLength + this.partial.byteLength;
  }

  /** Marks operation `op` linearized (it must not be). */
  add(op: number): void {
    const w = op >>> 5;
    const bits = this.bits;
    bits[w]! |= 1 << (op & 31);
    if (this.dense) return;
    if (w >= this.hi) {
      // Words between the old end and `w` are zero: they join the partial list, then `w` does.
      for (let x = this.hi; x < w; x++) this.partial[this.count++] = x;
      if (bits[w] !== FULL) this.partial[this.count++] = w;
      this.hi = w + 1;
    } else if (bits[w] === FULL) {
      this.remove(w);
    }
  }

  /** Marks operation `op` not linearized (it must be). */
  delete(op: number): void {
    const w = op >>> 5;
    const bits = this.bits;
    if (this.dense) {
      bits[w]! &= ~(1 << (op & 31));
      return;
    }
    if (bits[w] === FULL) this.insert(w);
    bits[w]! &= ~(1 << (op & 31));
    if (w === this.hi - 1 && bits[w] === 0) {
      // The last words are zero now: pull `hi` back; they are the tail of the sorted list.
      while (this.hi > 0 && bits[this.hi - 1] === 0) {
        this.hi--;
        this.count--;
      }
    }
  }

  /** Key length in words: the bitset when dense, else `hi`, `count`, then (index, word) pairs. */
  get keyWords(): number {
    return this.dense ? this.bits.length : 2 + 2 * this.count;
  }

  private insert(w: number): void {
    const p = this.partial;
    let at = this.count;
    while (at > 0 && p[at - 1]! > w) at--;
    p.copyWithin(at + 1, at, this.count);
    p[at] = w;
    this.count++;
  }

  private remove(w: number): void {
    const p = this.partial;
    let at = this.count - 1;
    while (p[at] !== w) at--;
    p.copyWithin(at, at + 1, this.count);
    this.count--;
  }
}

/** Open-hashing set of (linearized set, state) configurations. */
export class ConfigCache<S> {
  private buckets: Int32Array;
  private links: Int32Array;
  private hashes: Int32Array;
  private offsets: Int32Array;
  private slab: Uint32Array;
  private slabUsed = 0;
  private states: S[] = [];
  private size = 0;
  private chargedBytes = 0;

  constructor(
    private readonly equal: (a: S, b: S) => boolean,
    private readonly meter: MemoryMeter,
  ) {
    const capacity = 64;
    this.buckets = new Int32Array(capacity * 2).fill(-1);
    this.links = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.offsets = new Int32Array(capacity);
    this.slab = new Uint32Array(capacity * 4);
    this.charge(this.allocatedBytes());
  }

  /** Adds the configuration unless an equal one is present; never allocates past the memory cap. */
  add(set: LinearizedSet, hash: number, state: S): AddResult {
    const slab = this.slab;
    for (let e = this.buckets[hash & (this.buckets.length - 1)]!; e !== -1; e = this.links[e]!) {
      if (this.hashes[e] === hash && this.sameKey(set, this.offsets[e]!) && this.equal(this.states[e]!, state)) return PRESENT;
    }
    const { bits, partial, count, hi } = set;
    const need = set.keyWords;
    if (this.size === this.links.length && !this.growEntries()) return OVER_MEMORY;
    if (this.slabUsed + need > this.slab.length && !this.growSlab(need)) return OVER_MEMORY;
    if (this.meter.usedBytes + STATE_BYTES > this.meter.capBytes) return OVER_MEMORY;
    const e = this.size++;
    let at = this.slabUsed;
    this.offsets[e] = at;
    if (set.dense) {
      this.slab.set(bits, at);
      at += bits.length;
    } else {
      this.slab[at++] = hi;
      this.slab[at++] = count;
      for (let j = 0; j < count; j++) {
        const w = partial[j]!;
        this.slab[at++] = w;
        this.slab[at++] = bits[w]!;
      }
    }
    this.slabUsed = at;
    this.hashes[e] = hash;
    this.states.push(state);
    const b = hash & (this.buckets.length - 1);
    this.links[e] = this.buckets[b]!;
    this.buckets[b] = e;
    this.charge(STATE_BYTES);
    return ADDED;
  }

  /** True when the key stored at `at` is the key of `set`. */
  private sameKey(set: LinearizedSet, at: number): boolean {
    const slab = this.slab;
    const bits = set.bits;
    if (set.dense) {
      for (let w = 0; w < bits.length; w++) if (slab[at + w] !== bits[w]) return false;
      return true;
    }
    const { partial, count } = set;
    if (slab[at] !== set.hi || slab[at + 1] !== count) return false;
    at += 2;
    for (let j = 0; j < count; j++, at += 2) {
      const w = partial[j]!;
      if (slab[at] !== w || slab[at + 1] !== bits[w]) return false;
    }
    return true;
  }

  /** Returns this cache's bytes to the shared meter; the cache must not be used afterwards. */
  release(): void {
    this.meter.usedBytes -= this.chargedBytes;
    this.chargedBytes = 0;
    this.states = [];
    this.slab = new Uint32Array(0);
  }

  /** Number of configurations stored. */
  get count(): number {
    return this.size;
  }

  private allocatedBytes(): number {
    return this.buckets.byteLength + this.links.byteLength + this.hashes.byteLength + this.offsets.byteLength + this.slab.byteLength;
  }

  private charge(bytes: number): void {
    this.chargedBytes += bytes;
    this.meter.usedBytes += bytes;
    if (this.meter.usedBytes > this.meter.peakBytes) this.meter.peakBytes = this.meter.usedBytes;
  }

  /** Reserves `bytes` more against the cap; false (nothing charged) when they do not fit. */
  private reserve(bytes: number): boolean {
    if (this.meter.usedBytes + bytes > this.meter.capBytes) return false;
    this.charge(bytes);
    return true;
  }

  private growSlab(need: number): boolean {
    let capacity = this.slab.length * GROWTH;
    while (capacity < this.slabUsed + need) capacity *= GROWTH;
    if (!this.reserve((capacity - this.slab.length) * 4)) return false;
    const slab = new Uint32Array(capacity);
    slab.set(this.slab.subarray(0, this.slabUsed));
    this.slab = slab;
    return true;
  }

  private growEntries(): boolean {
    const capacity = this.links.length * GROWTH;
    // Links, hashes, offsets grow (3 × 4 bytes per entry); buckets stay at twice the capacity.
    if (!this.reserve((capacity - this.links.length) * 12 + (capacity - this.links.length) * 8)) return false;
    const links = new Int32Array(capacity);
    const hashes = new Int32Array(capacity);
    const offsets = new Int32Array(capacity);
    hashes.set(this.hashes);
    offsets.set(this.offsets);
    const buckets = new Int32Array(capacity * 2).fill(-1);
    const mask = buckets.length - 1;
    for (let e = 0; e < this.size; e++) {
      const b = hashes[e]! & mask;
      links[e] = buckets[b]!;
      buckets[b] = e;
    }
    this.links = links;
    this.hashes = hashes;
    this.offsets = offsets;
    this.buckets = buckets;
    return true;
  }
}
