import { isMap, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { explainIssue } from './issueMessage.ts';

/** Alias expansions allowed in one document: a scenario needs a handful; the yaml package's default is 100. */
const MAX_ALIAS_COUNT = 100;

/** A problem in an input file, located at line and column (1-based). */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${col}: ${detail}`);
    this.name = 'InputError';
  }
}

/** A parsed YAML file that can say where any path in it came from. */
export class YamlSource {
  private constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Parses YAML text; syntax errors become an InputError at the offending position. */
  static parse(text: string, file: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const err = doc.errors[0];
    if (err !== undefined) {
      const pos = lines.linePos(err.pos[0]);
      throw new InputError(file, pos.line, pos.col, `invalid YAML: ${err.message.split('\n')[0]}`);
    }
    // An unknown tag (`!foo bar`) would otherwise be dropped, leaving the plain value as if
    // the tag meant nothing; the author meant something by it, so it is refused.
    const unresolved = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
    if (unresolved !== undefined) {
      const pos = lines.linePos(unresolved.pos[0]);
      const tag = /Unresolved tag: (\S+)/.exec(unresolved.message)?.[1] ?? '';
      throw new InputError(file, pos.line, pos.col, `unknown YAML tag ${tag}: expected plain values, without tags`);
    }
    return new YamlSource(file, doc, lines);
  }

  private plain: { value: unknown } | undefined;

  /**
   * The document as plain JS values. Aliases are expanded at most {@link MAX_ALIAS_COUNT}
   * times, so a "billion laughs" file of nested aliases is refused instead of filling memory.
   */
  value(): unknown {
    if (this.plain === undefined) {
      try {
        this.plain = { value: this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
      } catch (err) {
        if (!(err instanceof ReferenceError)) throw err;
        const pos = this.lines.linePos(this.firstAliasOffset());
        throw new InputError(this.file, pos.line, pos.col, `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} copies); expected a file without nested alias chains`);
      }
    }
    return this.plain.value;
  }

  private firstAliasOffset(): number {
    let offset = 0;
    visit(this.doc, {
      Alias: (_key, node) => {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    return offset;
  }

  /** Line and column of the node at `path` (or of its nearest existing ancestor). */
  locate(path: readonly PropertyKey[], key?: string): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let offset = (this.doc.contents as YamlNode | null)?.range?.[0] ?? 0;
    const steps = key === undefined ? path : [...path, key];
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === step);
        if (pair === undefined) break;
        const isKeyTarget = key !== undefined && i === steps.length - 1;
        const target = (isKeyTarget ? pair.key : pair.value ?? pair.key) as YamlNode | null;
        if (target?.range) offset = target.range[0];
        node = isKeyTarget ? pair.key : pair.value;
      } else if (isSeq(node) && typeof step === 'number') {
        const item = node.items[step] as YamlNode | undefined;
        if (item === undefined) break;
        if (item.range) offset = item.range[0];
        node = item;
      } else {
        break;
      }
    }
    return this.lines.linePos(offset);
  }

  /** Validates against a zod schema; the first issue becomes an InputError at its position. */
  validate<T>(schema: z.ZodType<T>): T {
    const r = schema.safeParse(this.value());
    if (r.success) return r.data;
    throw this.issueError(r.error.issues[0]!);
  }

  /** An InputError for a zod issue whose path is relative to `prefix` in this document. */
  issueError(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): InputError {
    const report = explainIssue(issue, prefix, (path) => this.valueAt(path));
    return this.errorAt(report.path, report.message, report.key);
  }

  /** The plain value at `path`, or undefined when there is none. */
  private valueAt(path: readonly PropertyKey[]): unknown {
    let v = this.value();
    for (const step of path) {
      if (v === null || typeof v !== 'object' || !Object.hasOwn(v, step)) return undefined;
      v = (v as Record<PropertyKey, unknown>)[step];
    }
    return v;
  }

  /** An InputError located at `path` (or at the key `key` below it). */
  errorAt(path: readonly PropertyKey[], message: string, key?: string): InputError {
    const pos = this.locate(path, key);
    return new InputError(this.file, pos.line, pos.col, message);
  }
}
