/**
 * Porcupine's etcd log format (Jepsen's etcd test log, as kept in porcupine/test_data/jepsen):
 * `INFO  jepsen.util - 2	:invoke	:cas	[3 0]`, fields separated by tabs or spaces. Read-only.
 * A keyword value on a `fail`/`info` line (`:timed-out`) is the error, not a value. The line
 * number is the op's time, so ordering follows the log.
 */
import type { HistoryOp } from '../history/op.ts';
import { readEdn } from './edn.ts';
import { FormatError } from './formatError.ts';
import { ednToPlain } from './jepsenEdn.ts';
import type { ParsedHistory } from './historyRecord.ts';
import { Keyword } from './edn.ts';

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\S+)\s+:(\S+)\s+:(\S+)\s*(.*)$/;

/** Reads an etcd Jepsen log. Throws {@link FormatError} for a line that is not an op. */
export function readEtcdLog(text: string): ParsedHistory {
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const row = raw.trimEnd();
    if (row === '') return;
    const m = LINE.exec(row);
    if (m === null) throw new FormatError('expected "INFO  jepsen.util - <process> :<type> :<f> <value>"', line);
    const [, proc, type, f, rest] = m as unknown as [string, string, string, string, string];
    if (!/^\d+$/.test(proc)) {
      if (proc === ':nemesis') return;
      throw new FormatError(`expected an integer process, got ${JSON.stringify(proc)}`, line);
    }
    if (type !== 'invoke' && type !== 'ok' && type !== 'fail' && type !== 'info') {
      throw new FormatError(`expected :invoke, :ok, :fail or :info, got :${type}`, line);
    }
    let value: unknown = null;
    let error: unknown;
    if (rest !== '') {
      const forms = readEdnLine(rest, line);
      if (forms.length !== 1) throw new FormatError(`expected one value after :${f}, got ${JSON.stringify(rest)}`, line);
      const v = forms[0]!;
      if ((type === 'fail' || type === 'info') && v instanceof Keyword) error = v.name;
      else value = ednToPlain(v);
    }
    const op: HistoryOp = { index: ops.length, type, process: Number(proc), f, value, time: line };
    if (error !== undefined) op.error = error;
    ops.push(op);
    lines.push(line);
  });
  return { ops, lines };
}

function readEdnLine(text: string, line: number): ReturnType<typeof readEdn>['forms'][number]['value'][] {
  try {
    return readEdn(text).forms.map((f) => f.value);
  } catch (err) {
    if (err instanceof FormatError) throw new FormatError(`bad value: ${err.detail}`, line);
    throw err;
  }
}
