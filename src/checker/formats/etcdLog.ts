/**
 * Porcupine's etcd log format (Jepsen's etcd test log, as kept in porcupine/test_data/jepsen):
 * `INFO  jepsen.util - 2	:invoke	:cas	[3 0]`, fields separated by tabs or spaces. Read-only.
 * A keyword value on a `fail`/`info` line (`:timed-out`) is the error, not a value. The line
 * number is the op's time, so ordering follows the log.
 */
import type { HistoryOp } from '../history/op.ts';
import { Keyword, readEdn, type EdnValue } from './edn.ts';
import { FormatError, firstColumn } from './formatError.ts';
import { ednToPlain } from './jepsenEdn.ts';
import type { ParsedHistory } from './historyRecord.ts';

// The `d` flag records where each group starts, so errors can name the column.
const LINE = /^INFO\s+jepsen\.util\s+-\s+(\S+)\s+:(\S+)\s+:(\S+)\s*(.*)$/d;

/** Reads an etcd Jepsen log. Throws {@link FormatError} for a line that is not an op. */
export function readEtcdLog(text: string): ParsedHistory {
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  const columns: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const row = raw.trimEnd();
    if (row === '') return;
    const m = LINE.exec(row);
    if (m === null) throw new FormatError('expected "INFO  jepsen.util - <process> :<type> :<f> <value>"', line, firstColumn(row));
    const [, proc, type, f, rest] = m as unknown as [string, string, string, string, string];
    const col = (group: number): number => m.indices![group]![0] + 1;
    if (!/^\d+$/.test(proc)) {
      if (proc === ':nemesis') return;
      throw new FormatError(`expected an integer process, got ${JSON.stringify(proc)}`, line, col(1));
    }
    if (type !== 'invoke' && type !== 'ok' && type !== 'fail' && type !== 'info') {
      throw new FormatError(`expected :invoke, :ok, :fail or :info, got :${type}`, line, col(2) - 1);
    }
    let value: unknown = null;
    let error: unknown;
    if (rest !== '') {
      const forms = readEdnValues(rest, line, col(4));
      if (forms.length !== 1) throw new FormatError(`expected one value after :${f}, got ${JSON.stringify(rest)}`, line, col(4));
      const v = forms[0]!;
      if ((type === 'fail' || type === 'info') && v instanceof Keyword) error = v.name;
      else value = ednToPlain(v);
    }
    const op: HistoryOp = { index: ops.length, type, process: Number(proc), f, value, time: line };
    if (error !== undefined) op.error = error;
    ops.push(op);
    lines.push(line);
    columns.push(1);
  });
  return { ops, lines, columns };
}

/** Reads the value field; an EDN error's column is shifted to the field's place on the line. */
function readEdnValues(text: string, line: number, column: number): EdnValue[] {
  try {
    return readEdn(text).forms.map((f) => f.value);
  } catch (err) {
    if (err instanceof FormatError) throw new FormatError(`bad value: ${err.detail.replace(/on line \d+/, `on line ${line}`)}`, line, column + err.column - 1);
    throw err;
  }
}
