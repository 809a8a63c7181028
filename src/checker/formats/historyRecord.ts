/**
 * Turns one decoded record (from EDN or JSON) into a {@link HistoryOp}, checking the fields every
 * checker relies on. Shared by the EDN and JSON Lines readers so both accept the same ops.
 */
import { isOpType, type HistoryOp } from '../history/op.ts';
import { FormatError } from './formatError.ts';

/**
 * A parsed history plus, for each op, the 1-based source line and column of its record, so
 * later errors (pairing, model input) can still point at the file.
 */
export interface ParsedHistory {
  ops: HistoryOp[];
  lines: number[];
  columns: number[];
}

/** What a record turned into: an op, or a nemesis/fault op that checkers skip. */
export type RecordResult = HistoryOp | 'skip';

/**
 * Where a field of the record being read sits in the source: `[line, column]` of the field's
 * value, or of the record itself when `field` is undefined or absent.
 */
export type FieldLocator = (field: string | undefined) => [number, number];

const isNemesis = (p: unknown): boolean => p === 'nemesis';

/**
 * How deep an op's values may nest. JSON.parse takes any depth, but checkers walk values
 * recursively (printing, interning), so a hostile file could overflow their stack; the EDN reader
 * stops at the same depth.
 */
export const VALUE_MAX_DEPTH = 1000;

/** Whether `v` nests arrays or objects more than `max` levels deep (iterative: no recursion). */
export function nestsDeeperThan(v: unknown, max: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const child of Array.isArray(x) ? x : Object.values(x as object)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** `o[key] = v`, except that a key named `__proto__` becomes a plain field, never the prototype. */
export function setField(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/**
 * Validates `rec` (keys and keyword values already converted to strings). `position` is the
 * record's position in the file, used as the index when the record has none.
 */
export function toHistoryOp(rec: Record<string, unknown>, position: number, locate: FieldLocator): RecordResult {
  const { type, process, f, value, time, index, ...extra } = rec;
  const fail = (field: string, detail: string): never => {
    const [line, column] = locate(field in rec ? field : undefined);
    throw new FormatError(detail, line, column);
  };
  if (isNemesis(process)) return 'skip';
  if (!isOpType(type)) fail('type', `expected :type to be one of invoke, ok, fail, info; got ${JSON.stringify(type ?? null)}`);
  if (typeof process !== 'number' || !Number.isInteger(process)) {
    fail('process', `expected :process to be an integer or nemesis; got ${JSON.stringify(process ?? null)}`);
  }
  if (typeof f !== 'string' || f === '') fail('f', `expected :f to be a keyword or string; got ${JSON.stringify(f ?? null)}`);
  if (time !== undefined && time !== null && (typeof time !== 'number' || !Number.isInteger(time))) {
    fail('time', `expected :time to be an integer; got ${JSON.stringify(time)}`);
  }
  if (index !== undefined && index !== null && (typeof index !== 'number' || !Number.isInteger(index))) {
    fail('index', `expected :index to be an integer; got ${JSON.stringify(index)}`);
  }
  if (nestsDeeperThan(value, VALUE_MAX_DEPTH)) fail('value', `expected a :value nested at most ${VALUE_MAX_DEPTH} levels deep`);
  const op: HistoryOp = {
    index: typeof index === 'number' ? index : position,
    type: type as HistoryOp['type'],
    process: process as number,
    f: f as string,
    value: value ?? null,
    time: typeof time === 'number' ? time : -1,
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) continue;
    if (nestsDeeperThan(v, VALUE_MAX_DEPTH)) fail(k, `expected :${k} nested at most ${VALUE_MAX_DEPTH} levels deep`);
    setField(op, k, v);
  }
  return op;
}

/** Field order used by writers: the Jepsen keys first, then extras in their own order. */
export function orderedEntries(op: HistoryOp): [string, unknown][] {
  const head: [string, unknown][] = [
    ['index', op.index],
    ['type', op.type],
    ['process', op.process],
    ['f', op.f],
    ['value', op.value],
  ];
  if (op.time >= 0) head.push(['time', op.time]);
  const fixed = new Set(['index', 'type', 'process', 'f', 'value', 'time']);
  for (const [k, v] of Object.entries(op)) if (!fixed.has(k) && v !== undefined) head.push([k, v]);
  return head;
}
