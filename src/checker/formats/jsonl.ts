/**
 * JSON Lines histories: one op object per line with Jepsen's field names (`type`, `process`, `f`,
 * `value`, `time`, `index`, `error`, plus any extras such as `session` or `zxid`). Blank lines are
 * ignored; `"process": "nemesis"` ops are skipped. This is the simulator's native history format.
 */
import type { HistoryOp } from '../history/op.ts';
import { FormatError } from './formatError.ts';
import { orderedEntries, toHistoryOp, type ParsedHistory } from './historyRecord.ts';

/** Reads a JSON Lines history. Throws {@link FormatError} with the line of the bad record. */
export function readJsonlHistory(text: string): ParsedHistory {
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  let position = 0;
  rows.forEach((row, i) => {
    const line = i + 1;
    if (row.trim() === '') return;
    let rec: unknown;
    try {
      rec = JSON.parse(row);
    } catch (err) {
      throw new FormatError(`expected one JSON object per line (${(err as Error).message})`, line);
    }
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new FormatError('expected a JSON object like {"type":"invoke","process":0,"f":"read","value":null}', line);
    const op = toHistoryOp(rec as Record<string, unknown>, position++, line);
    if (op === 'skip') return;
    ops.push(op);
    lines.push(line);
  });
  return { ops, lines };
}

/** Writes ops as JSON Lines with Jepsen's field order. */
export function writeJsonlHistory(ops: readonly HistoryOp[]): string {
  return ops.map((op) => `${JSON.stringify(Object.fromEntries(orderedEntries(op)))}\n`).join('');
}
