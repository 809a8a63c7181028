/**
 * JSON Lines histories: one op object per line with Jepsen's field names (`type`, `process`, `f`,
 * `value`, `time`, `index`, `error`, plus any extras such as `session` or `zxid`). Blank lines are
 * ignored; `"process": "nemesis"` ops are skipped. This is the simulator's native history format.
 */
import type { HistoryOp } from '../history/op.ts';
import { FormatError, firstColumn, jsonErrorColumn, jsonErrorText, jsonFieldColumn } from './formatError.ts';
import { orderedEntries, toHistoryOp, type ParsedHistory } from './historyRecord.ts';

/** Parses one JSON object row; throws {@link FormatError} at the offending column. */
export function parseJsonRow(row: string, line: number, example: string): Record<string, unknown> {
  let rec: unknown;
  try {
    rec = JSON.parse(row);
  } catch (err) {
    throw new FormatError(`expected one JSON object per line (${jsonErrorText(err)})`, line, jsonErrorColumn(row));
  }
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new FormatError(`expected a JSON object like ${example}`, line, firstColumn(row));
  return rec as Record<string, unknown>;
}

/** Reads a JSON Lines history. Throws {@link FormatError} with the line and column of the problem. */
export function readJsonlHistory(text: string): ParsedHistory {
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  const columns: number[] = [];
  const rows = text.split('\n');
  let position = 0;
  rows.forEach((row, i) => {
    const line = i + 1;
    if (row.trim() === '') return;
    const rec = parseJsonRow(row, line, '{"type":"invoke","process":0,"f":"read","value":null}');
    const op = toHistoryOp(rec, position++, (field) => [line, jsonFieldColumn(row, field)]);
    if (op === 'skip') return;
    ops.push(op);
    lines.push(line);
    columns.push(firstColumn(row));
  });
  return { ops, lines, columns };
}

/** Writes ops as JSON Lines with Jepsen's field order. */
export function writeJsonlHistory(ops: readonly HistoryOp[]): string {
  return ops.map((op) => `${JSON.stringify(Object.fromEntries(orderedEntries(op)))}\n`).join('');
}
