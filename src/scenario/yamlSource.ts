import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';

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
    return new YamlSource(file, doc, lines);
  }

  /** The document as plain JS values. */
  value(): unknown {
    return this.doc.toJS();
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
    const path = [...prefix, ...issue.path];
    const unknownKey = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys[0] : undefined;
    const where = path.length > 0 ? path.map(String).join('.') : '';
    const message = unknownKey !== undefined ? `unknown key "${unknownKey}"${where ? ` in ${where}` : ''}` : `${where ? `${where}: ` : ''}${issue.message}`;
    return this.errorAt(path, message, unknownKey);
  }

  /** An InputError located at `path` (or at the key `key` below it). */
  errorAt(path: readonly PropertyKey[], message: string, key?: string): InputError {
    const pos = this.locate(path, key);
    return new InputError(this.file, pos.line, pos.col, message);
  }
}
