/**
 * Interns JSON-like values to small integers, so register states are plain numbers: hashing is
 * a mix of an int, equality is `===`, and the memo cache stores no objects.
 */

/** Canonical text of a value: object keys sorted, so `{a,b}` and `{b,a}` intern alike. */
export function canonicalText(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalText).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalText(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A per-check table from values to dense ids. */
export class ValueTable {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly raw: unknown[] = [];

  /** The id of `v`, allocating one on first sight. */
  id(v: unknown): number {
    const text = canonicalText(v);
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
      this.raw.push(v ?? null);
    }
    return id;
  }

  /** The value an id was interned from. */
  value(id: number): unknown {
    return this.raw[id];
  }

  /** The canonical text of an id, for descriptions (`null` prints as `nil`). */
  text(id: number): string {
    const t = this.texts[id] ?? '?';
    return t === 'null' ? 'nil' : t;
  }
}
