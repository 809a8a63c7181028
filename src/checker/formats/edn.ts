/**
 * A small EDN reader and printer, enough for Jepsen histories: nil, booleans, numbers, strings,
 * characters, keywords, symbols, lists, vectors, maps, sets, tagged values, `;` comments and `#_`
 * discards. Collections remember where they start, so history readers can report
 * `file:line:col` for a malformed op.
 */
import { FormatError } from './formatError.ts';

/** An EDN keyword, interned so keywords can be `Map` keys. */
export class Keyword {
  private static readonly table = new Map<string, Keyword>();
  private constructor(readonly name: string) {}
  /** The keyword named `name` (without the colon). */
  static of(name: string): Keyword {
    let k = Keyword.table.get(name);
    if (k === undefined) Keyword.table.set(name, (k = new Keyword(name)));
    return k;
  }
  toString(): string {
    return `:${this.name}`;
  }
}

/** An EDN symbol. */
export class EdnSymbol {
  constructor(readonly name: string) {}
}

/** An EDN set `#{...}`, kept as an array in reading order. */
export class EdnSet {
  constructor(readonly items: EdnValue[]) {}
}

/** A tagged literal such as `#inst "..."`. */
export class EdnTagged {
  constructor(
    readonly tag: string,
    readonly value: EdnValue,
  ) {}
}

/** Any EDN value. Lists and vectors both read as arrays. */
export type EdnValue = null | boolean | number | string | Keyword | EdnSymbol | EdnSet | EdnTagged | EdnValue[] | Map<EdnValue, EdnValue>;

/** A top-level form and where it starts. */
export interface EdnForm {
  value: EdnValue;
  /** 1-based line and column of the form's first character. */
  line: number;
  column: number;
  /** 0-based character offset of the form's first character. */
  offset: number;
}

/** A 1-based line and column. */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * How deep collections, tags and discards may nest. The reader recurses once per level, so an
 * unbounded depth would overflow the stack on hostile input; Jepsen histories nest a few levels.
 */
export const EDN_MAX_DEPTH = 1000;

const DELIMS = new Set(['(', ')', '[', ']', '{', '}', '"', ';']);
/** Per UTF-16 code unit: 0 when it ends a token (space, comma or delimiter), else 1. */
const TOKEN_CHAR = new Uint8Array(65536).fill(1);
for (const c of [' ', '\t', '\n', '\r', ',', ...DELIMS]) TOKEN_CHAR[c.charCodeAt(0)] = 0;
const PLAIN_INT = /^-?\d{1,15}$/;
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',';
const CHAR_NAMES: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r' };

/** Maps character offsets of `text` to 1-based line and column. */
export function positionFinder(text: string): (offset: number) => TextPosition {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
}

/**
 * Reads EDN text. Positions are kept as character offsets (cheap to record) and turned into
 * line and column only when an error or a caller asks.
 */
export class EdnReader {
  private pos = 0;
  /** Open collections, tags and discards around the current position. */
  private depth = 0;
  /** Start offset of each collection read (arrays, Maps, sets). */
  readonly offsetOf = new WeakMap<object, number>();
  /**
   * For each list, vector or map read, the start offset of each of its items (scalars included;
   * for a map, keys and values alternate in reading order).
   */
  readonly itemOffsets = new WeakMap<object, number[]>();
  /** Offset → line and column. */
  readonly position: (offset: number) => TextPosition;

  constructor(private readonly text: string) {
    this.position = positionFinder(text);
  }

  /** Reads every top-level form. */
  readAll(): EdnForm[] {
    const forms: EdnForm[] = [];
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) return forms;
      const offset = this.pos;
      const value = this.readForm();
      if (value !== DISCARDED) forms.push({ value: value as EdnValue, offset, ...this.position(offset) });
    }
  }

  private fail(detail: string, offset = this.pos): never {
    const { line, column } = this.position(Math.min(offset, this.text.length));
    throw new FormatError(detail, line, column);
  }

  private lineAt(offset: number): number {
    return this.position(offset).line;
  }

  private skip(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos]!;
      if (isSpace(c)) this.pos++;
      else if (c === ';') while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      else return;
    }
  }

  private readForm(): EdnValue | typeof DISCARDED {
    const t = this.text;
    const c = t[this.pos]!;
    if (c === '[' || c === '(') return this.readSeq(c === '[' ? ']' : ')');
    if (c === '{') return this.readMap();
    if (c === '"') return this.readString();
    if (c === ']' || c === ')' || c === '}') this.fail(`unexpected '${c}'`);
    if (c === '\\') return this.readChar();
    if (c === '#') return this.readDispatch();
    const start = this.pos;
    const token = this.readToken();
    return this.atom(token, start);
  }

  /** Enters one nesting level at `start`; a reader that fails is discarded, so only success leaves. */
  private enter(start: number): void {
    if (++this.depth > EDN_MAX_DEPTH) this.fail(`expected at most ${EDN_MAX_DEPTH} nested forms, found deeper nesting here`, start);
  }

  private readDispatch(): EdnValue | typeof DISCARDED {
    const start = this.pos;
    this.enter(start);
    const value = this.readDispatchBody(start);
    this.depth--;
    return value;
  }

  private readDispatchBody(start: number): EdnValue | typeof DISCARDED {
    const next = this.text[this.pos + 1];
    if (next === '{') {
      this.pos++;
      const items = this.readSeq('}', start);
      const set = new EdnSet(items);
      this.offsetOf.set(set, start);
      return set;
    }
    if (next === '_') {
      this.pos += 2;
      this.skip();
      if (this.pos >= this.text.length) this.fail("expected a form to discard after '#_'");
      this.readForm();
      return DISCARDED;
    }
    this.pos++;
    const tag = this.readToken();
    if (tag === '') this.fail("expected a tag, a set '#{' or a discard '#_' after '#'", start);
    this.skip();
    if (this.pos >= this.text.length) this.fail(`expected a value after tag #${tag}`);
    const value = this.readForm();
    if (value === DISCARDED) this.fail(`expected a value after tag #${tag}`);
    return new EdnTagged(tag, value as EdnValue);
  }

  private readSeq(close: string, start = this.pos): EdnValue[] {
    this.enter(start);
    this.pos++;
    const items: EdnValue[] = [];
    const offsets: number[] = [];
    this.offsetOf.set(items, start);
    this.itemOffsets.set(items, offsets);
    for (;;) {
      this.skip();
      if (this.pos >= this.text.length) this.fail(`expected '${close}' to close the collection opened on line ${this.lineAt(start)}`);
      const c = this.text[this.pos]!;
      if (c === close) {
        this.pos++;
        this.depth--;
        return items;
      }
      if (c === ']' || c === ')' || c === '}') this.fail(`expected '${close}' to close the collection opened on line ${this.lineAt(start)}, got '${c}'`);
      const at = this.pos;
      const v = this.readForm();
      if (v !== DISCARDED) {
        items.push(v as EdnValue);
        offsets.push(at);
      }
    }
  }

  private readMap(): Map<EdnValue, EdnValue> {
    const start = this.pos;
    const items = this.readSeq('}');
    if (items.length % 2 !== 0) this.fail(`expected an even number of forms in the map opened on line ${this.lineAt(start)}`, start);
    const map = new Map<EdnValue, EdnValue>();
    for (let i = 0; i < items.length; i += 2) map.set(items[i]!, items[i + 1]!);
    this.offsetOf.set(map, start);
    this.itemOffsets.set(map, this.itemOffsets.get(items)!);
    return map;
  }

  private readString(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++;
    // Most strings have no escapes: slice them whole instead of growing one char at a time.
    const close = t.indexOf('"', this.pos);
    if (close !== -1) {
      const body = t.slice(this.pos, close);
      if (!body.includes('\\')) {
        this.pos = close + 1;
        return body;
      }
    }
    let out = '';
    while (this.pos < t.length) {
      const c = t[this.pos++]!;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = t[this.pos++];
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'r') out += '\r';
      else if (e === 'b') out += '\b';
      else if (e === 'f') out += '\f';
      else if (e === '"' || e === '\\') out += e;
      else if (e === 'u') {
        const hex = t.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(`expected 4 hex digits after \\u in string`, this.pos - 2);
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else this.fail(`unknown escape \\${e ?? ''} in string`, this.pos - 2);
    }
    return this.fail(`expected '"' to close the string opened on line ${this.lineAt(start)}`, start);
  }

  private readChar(): string {
    const start = this.pos;
    this.pos++;
    const token = this.readToken();
    if (token.length === 1) return token;
    if (token === '' && this.pos < this.text.length) return this.text[this.pos++]!;
    const named = CHAR_NAMES[token];
    if (named !== undefined) return named;
    if (/^u[0-9a-fA-F]{4}$/.test(token)) return String.fromCharCode(parseInt(token.slice(1), 16));
    return this.fail(`unknown character literal \\${token}`, start);
  }

  private readToken(): string {
    const t = this.text;
    const start = this.pos;
    while (this.pos < t.length && TOKEN_CHAR[t.charCodeAt(this.pos)] !== 0) this.pos++;
    return t.slice(start, this.pos);
  }

  private atom(token: string, start: number): EdnValue {
    if (token === 'nil') return null;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token.startsWith(':')) {
      if (token.length === 1) this.fail('expected a keyword name after ":"', start);
      return Keyword.of(token.slice(1));
    }
    // Plain integers (process ids, times, values) are most numbers in a history.
    if (PLAIN_INT.test(token)) return Number(token);
    if (/^[+-]?\d/.test(token)) {
      const m = /^([+-]?\d+)N?$/.exec(token) ?? /^([+-]?\d+(\.\d*)?([eE][+-]?\d+)?)M?$/.exec(token);
      if (m === null) this.fail(`expected a number, got ${JSON.stringify(token)}`, start);
      return Number(m[1]);
    }
    if (token === '') this.fail(`unexpected character ${JSON.stringify(this.text[this.pos] ?? 'end of input')}`);
    return new EdnSymbol(token);
  }
}

const DISCARDED = Symbol('discarded');

/** What {@link readEdn} returns: the forms plus the reader's position tables. */
export interface EdnDocument {
  forms: EdnForm[];
  /** Start offset of each collection. */
  offsetOf: WeakMap<object, number>;
  /** Start offsets of each collection's items (map: keys and values alternating). */
  itemOffsets: WeakMap<object, number[]>;
  /** Offset → 1-based line and column. */
  position: (offset: number) => TextPosition;
}

/** Parses all top-level EDN forms of `text`. Throws {@link FormatError} with line and column. */
export function readEdn(text: string): EdnDocument {
  const reader = new EdnReader(text);
  const forms = reader.readAll();
  return { forms, offsetOf: reader.offsetOf, itemOffsets: reader.itemOffsets, position: reader.position };
}

const KEYWORD_NAME = /^[A-Za-z*+!_?<>=-][A-Za-z0-9*+!_?<>=./#'-]*$/;

/** Prints a JSON-like value as EDN. Object keys print as keywords when they can be one. */
export function printEdn(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot print ${v} as EDN`);
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Keyword) return v.toString();
  if (Array.isArray(v)) return `[${v.map(printEdn).join(' ')}]`;
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>).map(
      ([k, x]) => `${KEYWORD_NAME.test(k) ? `:${k}` : JSON.stringify(k)} ${printEdn(x)}`,
    );
    return `{${parts.join(', ')}}`;
  }
  throw new Error(`cannot print a ${typeof v} as EDN`);
}
