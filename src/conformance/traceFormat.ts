/**
 * Parsing of conformance traces (`/work/shared/conformance/FORMAT.md`): JSON Lines, one record
 * per line, the first a `meta` record. Malformed input raises TraceFormatError naming the file,
 * the line and what was expected; the CLI turns it into exit code 2.
 *
 * Extensions beyond FORMAT.md, for hand-written traces (listed in docs/deviations.md):
 * - create `mode` may be a raw integer flag (sent with the create2 opcode) or
 *   PERSISTENT_WITH_TTL / PERSISTENT_SEQUENTIAL_WITH_TTL (sent as createTTL);
 * - ops `addWatch {path, mode}`, `removeWatches {path, watcherType}`, `getEphemerals {path}`,
 *   `getAllChildrenNumber {path}`;
 * - `connect` on a label that already has a session re-attaches with its id and password
 *   (`"password": "wrong"` presents a wrong one).
 */
import { z } from 'zod';

/** A trace line that does not follow the format; the message is `file:line:col: detail`. */
export class TraceFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
    readonly col = 1,
  ) {
    super(`${file}:${line}:${col}: ${detail}`);
    this.name = 'TraceFormatError';
  }
}

const label = z.string().min(1);
const dataSchema = z.union([z.string(), z.null(), z.object({ fill: z.string().min(1), length: z.number().int().min(0) })]);
const version = z.number().int();
const result = z.looseObject({ ok: z.boolean() });
const createMode = z.union([
  z.enum([
    'PERSISTENT',
    'EPHEMERAL',
    'PERSISTENT_SEQUENTIAL',
    'EPHEMERAL_SEQUENTIAL',
    'CONTAINER',
    'PERSISTENT_WITH_TTL',
    'PERSISTENT_SEQUENTIAL_WITH_TTL',
  ]),
  z.number().int(),
]);

/** Data as a trace writes it: UTF-8 text, null, or `{fill, length}`. */
export type TraceData = z.infer<typeof dataSchema>;
/** A create mode name or raw flag. */
export type TraceCreateMode = z.infer<typeof createMode>;

const multiOp = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), path: z.string(), data: dataSchema.default(null), mode: createMode.default('PERSISTENT') }),
  z.object({ op: z.literal('delete'), path: z.string(), version: version.default(-1) }),
  z.object({ op: z.literal('setData'), path: z.string(), data: dataSchema.default(null), version: version.default(-1) }),
  z.object({ op: z.literal('check'), path: z.string(), version }),
]);

/** One op inside a multi record. */
export type TraceMultiOp = z.infer<typeof multiOp>;

const opBase = { kind: z.literal('op'), session: label, result };
const opRecord = z.discriminatedUnion('op', [
  z.object({ ...opBase, op: z.literal('create'), path: z.string(), data: dataSchema, mode: createMode }),
  z.object({ ...opBase, op: z.literal('delete'), path: z.string(), version }),
  z.object({ ...opBase, op: z.literal('setData'), path: z.string(), data: dataSchema, version }),
  z.object({ ...opBase, op: z.enum(['getData', 'exists', 'getChildren']), path: z.string(), watch: z.boolean() }),
  z.object({ ...opBase, op: z.literal('multi'), ops: z.array(multiOp) }),
  z.object({ ...opBase, op: z.literal('sync'), path: z.string() }),
  z.object({ ...opBase, op: z.literal('addWatch'), path: z.string(), mode: z.enum(['PERSISTENT', 'PERSISTENT_RECURSIVE']) }),
  z.object({ ...opBase, op: z.literal('removeWatches'), path: z.string(), watcherType: z.enum(['CHILDREN', 'DATA', 'ANY']) }),
  z.object({ ...opBase, op: z.enum(['getEphemerals', 'getAllChildrenNumber']), path: z.string() }),
]);

/** An `op` record. */
export type TraceOp = z.infer<typeof opRecord>;

const eventType = z.enum(['NodeCreated', 'NodeDeleted', 'NodeDataChanged', 'NodeChildrenChanged']);

const otherRecord = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('meta'), server: z.string().optional(), mode: z.enum(['standalone', 'ensemble']), tickTime: z.number().int().positive(), note: z.string().optional() }),
  z.object({ kind: z.literal('connect'), session: label, timeoutMs: z.number().int().positive(), result, password: z.literal('wrong').optional() }),
  z.object({ kind: z.literal('event'), session: label, type: eventType, path: z.string() }),
  z.object({ kind: z.enum(['close', 'disconnect']), session: label }),
  z.object({ kind: z.literal('sleep'), ms: z.number().int().min(0) }),
]);

/** Any record other than `op`. */
export type TraceOther = z.infer<typeof otherRecord>;
/** Any record, with its 1-based line number. */
export type TraceRecord = (TraceOp | TraceOther) & { line: number };
/** The meta record. */
export type TraceMeta = Extract<TraceOther, { kind: 'meta' }>;

/** A parsed trace: its meta record and every other record in order. */
export interface Trace {
  file: string;
  meta: TraceMeta & { line: number };
  records: TraceRecord[];
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid record';
  const where = issue.path.length > 0 ? `field ${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/** 1-based column of a JSON syntax error, from V8's "at position N" (1 when it gives none). */
function syntaxErrorColumn(error: unknown, indent: number): number {
  const match = error instanceof SyntaxError ? /position (\d+)/.exec(error.message) : null;
  return match === null ? 1 : indent + Number(match[1]) + 1;
}

const RECORD_KINDS: readonly string[] = ['meta', 'connect', 'op', 'event', 'close', 'disconnect', 'sleep'];

/** 1-based column of `"key":` in the line (the first occurrence), else 1. */
function issueColumnOfKey(key: string, text: string, indent: number): number {
  const at = text.indexOf(JSON.stringify(key) + ':');
  return at < 0 ? 1 : indent + at + 1;
}

/** 1-based column of the key an issue is about (the last string key of its path), else 1. */
function issueColumn(error: z.ZodError, text: string, indent: number): number {
  const key = [...(error.issues[0]?.path ?? [])].reverse().find((k) => typeof k === 'string');
  return key === undefined ? 1 : issueColumnOfKey(key, text, indent);
}

function parseLine(file: string, line: number, raw: string): TraceRecord {
  const indent = raw.length - raw.trimStart().length;
  const text = raw.trim();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TraceFormatError(file, line, 'expected one JSON object per line', syntaxErrorColumn(error, indent));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TraceFormatError(file, line, 'expected a JSON object', indent + 1);
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !RECORD_KINDS.includes(kind)) {
    const got = kind === undefined ? 'no "kind"' : `unknown kind ${JSON.stringify(kind)}`;
    throw new TraceFormatError(file, line, `${got}: expected one of ${RECORD_KINDS.join(', ')}`, issueColumnOfKey('kind', text, indent));
  }
  const schema = kind === 'op' ? opRecord : otherRecord;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new TraceFormatError(file, line, `bad ${kind} record: ${describeIssue(parsed.error)}`, issueColumn(parsed.error, text, indent));
  }
  return { ...parsed.data, line } as TraceRecord;
}

/** Parses a trace's text. Blank lines are skipped; line numbers count every line. */
export function parseTrace(file: string, text: string): Trace {
  const records: TraceRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const content = lines[i]!.replace(/\r$/, '');
    if (content.trim().length === 0) continue;
    records.push(parseLine(file, i + 1, content));
  }
  const first = records[0];
  if (first === undefined) throw new TraceFormatError(file, 1, 'empty trace: expected a meta record');
  if (first.kind !== 'meta') throw new TraceFormatError(file, first.line, 'expected the first record to be kind "meta"');
  const later = records.slice(1).find((r) => r.kind === 'meta');
  if (later !== undefined) throw new TraceFormatError(file, later.line, 'meta record allowed only on the first line');
  if (first.mode !== 'standalone') throw new TraceFormatError(file, first.line, 'only mode "standalone" can be replayed');
  return { file, meta: first, records: records.slice(1) };
}
