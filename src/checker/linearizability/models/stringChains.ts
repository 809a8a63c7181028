/**
 * One key's values built by appending, hash-consed as chains: a node is (parent node, appended
 * string), so applying an append the search has applied before is a walk of the node's few
 * children, and no string is built or interned on the search's path. Children are linked lists
 * (first child, next sibling) rather than a hash table: a hard partition makes about a million
 * nodes, and a table that size spent its time rehashing and missing the CPU cache. Each node carries its key, its
 * length and a rolling polynomial hash, so comparing a node with an expected string checks two
 * numbers first and spells the node's text out only when they match (once per node, then cached).
 *
 * Two nodes with the same text but different histories ("ab" + "c", "a" + "bc") are different
 * nodes. The search then treats them as different states, which costs memo-cache merges, never
 * correctness: a node is only ever compared with an expected value through {@link equalsValue}.
 */
import type { ValueTable } from './values.ts';

const BASE = 0x01000193;
const INITIAL_SLOTS = 1 << 12;
/** Node arrays double when full: growing is one copy each, and a 4× step would overshoot more. */
const GROWTH = 2;

/** Appends nodes over one value table. */
export class StringChains {
  private parent = new Int32Array(INITIAL_SLOTS);
  /** The value id appended (for an append node) or held (for a leaf). */
  private valueOf = new Int32Array(INITIAL_SLOTS);
  private keyOf = new Int32Array(INITIAL_SLOTS);
  /** Text length, or -1 for a leaf holding a value that is not a string. */
  private length = new Int32Array(INITIAL_SLOTS);
  private hashes = new Int32Array(INITIAL_SLOTS);
  private firstChild = new Int32Array(INITIAL_SLOTS);
  private nextSibling = new Int32Array(INITIAL_SLOTS);
  private readonly texts: (string | undefined)[] = [];
  private count = 0;
  private readonly leaves = new Map<string, number>();
  /** Per value id: its string's length (-1: not a string), hash and multiplier B^length. */
  private readonly valueLength: number[] = [];
  private readonly valueHash: number[] = [];
  private readonly valuePow: number[] = [];

  constructor(private readonly values: ValueTable) {}

  /** The key a node belongs to. */
  key(node: number): number {
    return this.keyOf[node]!;
  }

  /** The node holding exactly the value `valueId` under `keyId` (a put, or the initial value). */
  leaf(keyId: number, valueId: number): number {
    const name = `${keyId}:${valueId}`;
    let node = this.leaves.get(name);
    if (node === undefined) {
      this.describe(valueId);
      node = this.push(-1, keyId, valueId, this.valueLength[valueId]!, this.valueHash[valueId]!);
      const v = this.values.value(valueId);
      this.texts[node] = typeof v === 'string' ? v : undefined;
      this.leaves.set(name, node);
    }
    return node;
  }

  /** The node for `node`'s text followed by the string `suffixId` (a non-string counts as ""). */
  append(node: number, suffixId: number): number {
    for (let c = this.firstChild[node]!; c !== -1; c = this.nextSibling[c]!) if (this.valueOf[c] === suffixId) return c;
    const base = this.length[node]! < 0 ? this.leaf(this.keyOf[node]!, this.values.id('')) : node;
    this.describe(suffixId);
    const len = Math.max(0, this.valueLength[suffixId]!);
    const hash = (Math.imul(this.hashes[base]!, this.valuePow[suffixId]!) + this.valueHash[suffixId]!) | 0;
    const child = this.push(base, this.keyOf[base]!, suffixId, this.length[base]! + len, hash);
    // Listed under `node` (what the search asked for), whatever base the text grew from.
    this.nextSibling[child] = this.firstChild[node]!;
    this.firstChild[node] = child;
    return child;
  }

  /** True when `node` holds exactly the value `valueId`. */
  equalsValue(node: number, valueId: number): boolean {
    this.describe(valueId);
    const len = this.valueLength[valueId]!;
    if (len < 0) return this.parent[node] === -1 && this.valueOf[node] === valueId;
    if (this.length[node] !== len || this.hashes[node] !== this.valueHash[valueId]) return false;
    return this.text(node) === this.values.value(valueId);
  }

  /** The node's value: its text, or the non-string value a leaf holds. */
  value(node: number): unknown {
    return this.length[node]! < 0 ? this.values.value(this.valueOf[node]!) : this.text(node);
  }

  private text(node: number): string {
    const cached = this.texts[node];
    if (cached !== undefined) return cached;
    const parts: string[] = [];
    let n = node;
    while (this.texts[n] === undefined) {
      parts.push(this.values.value(this.valueOf[n]!) as string);
      n = this.parent[n]!;
    }
    parts.push(this.texts[n]!);
    const text = parts.reverse().join('');
    this.texts[node] = text;
    return text;
  }

  private push(parent: number, keyId: number, valueId: number, length: number, hash: number): number {
    const node = this.count++;
    if (node === this.parent.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * GROWTH);
        b.set(a);
        return b;
      };
      this.parent = grow(this.parent);
      this.valueOf = grow(this.valueOf);
      this.keyOf = grow(this.keyOf);
      this.length = grow(this.length);
      this.hashes = grow(this.hashes);
      this.firstChild = grow(this.firstChild);
      this.nextSibling = grow(this.nextSibling);
    }
    this.parent[node] = parent;
    this.keyOf[node] = keyId;
    this.valueOf[node] = valueId;
    this.length[node] = length;
    this.hashes[node] = hash;
    this.firstChild[node] = -1;
    this.nextSibling[node] = -1;
    this.texts.push(undefined);
    return node;
  }

  /** Fills in a value's length, hash and multiplier on first use. */
  private describe(valueId: number): void {
    if (this.valueLength[valueId] !== undefined) return;
    const v = this.values.value(valueId);
    if (typeof v !== 'string') {
      this.valueLength[valueId] = -1;
      this.valueHash[valueId] = 0;
      this.valuePow[valueId] = 1;
      return;
    }
    let h = 0;
    let pow = 1;
    for (let i = 0; i < v.length; i++) {
      h = (Math.imul(h, BASE) + v.charCodeAt(i)) | 0;
      pow = Math.imul(pow, BASE);
    }
    this.valueLength[valueId] = v.length;
    this.valueHash[valueId] = h;
    this.valuePow[valueId] = pow;
  }
}
