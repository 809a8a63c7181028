/**
 * Matching a trace's expected result against the simulated one: every field present in the
 * expectation must be equal in the simulation (fields it omits are not compared), `children`
 * compare as sets (the real server's order is hash order), and `data` compares as bytes, so a
 * `{fill, length}` expectation matches the same bytes written out.
 */
import type { TraceData } from './traceFormat.ts';
import { traceDataBytes } from './translate.ts';

function bytesEqual(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function isTraceData(value: unknown): value is TraceData {
  if (value === null || typeof value === 'string') return true;
  return isPlainObject(value) && typeof value.fill === 'string' && typeof value.length === 'number';
}

function sameSet(expected: unknown[], got: unknown[]): boolean {
  if (expected.length !== got.length) return false;
  const left = expected.map((v) => JSON.stringify(v)).sort();
  const right = got.map((v) => JSON.stringify(v)).sort();
  return left.every((v, i) => v === right[i]);
}

/** Whether `got` satisfies `expected` under the trace matching rules. */
export function matches(expected: unknown, got: unknown, key = ''): boolean {
  if (key === 'data' && isTraceData(expected) && (got === null || got instanceof Uint8Array)) {
    return bytesEqual(traceDataBytes(expected), got);
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(got)) return false;
    if (key === 'children') return sameSet(expected, got);
    return expected.length === got.length && expected.every((e, i) => matches(e, got[i]));
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(got)) return false;
    return Object.keys(expected).every((k) => k in got && matches(expected[k], got[k], k));
  }
  return expected === got;
}

/** Printable form of a simulated result: bytes become UTF-8 text (long values abbreviated). */
export function printable(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    if (value.length > 200) return { length: value.length };
    return new TextDecoder().decode(value);
  }
  if (Array.isArray(value)) return value.map(printable);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)]));
  return value;
}
