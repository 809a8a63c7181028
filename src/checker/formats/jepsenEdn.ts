/**
 * Jepsen `history.edn`: either one vector of op maps or one op map per line. Keywords become
 * strings (`:read` → `"read"`, in values too, as Jepsen's own JSON export does), maps become
 * objects with string keys, sets become arrays. Ops of the `:nemesis` process are skipped.
 */
import type { HistoryOp } from '../history/op.ts';
import { EdnSet, EdnSymbol, EdnTagged, Keyword, printEdn, readEdn, type EdnValue } from './edn.ts';
import { FormatError } from './formatError.ts';
import { orderedEntries, toHistoryOp, type ParsedHistory } from './historyRecord.ts';

/** Converts an EDN value to a JSON-like value (keywords and symbols to their names). */
export function ednToPlain(v: EdnValue): unknown {
  if (v instanceof Keyword || v instanceof EdnSymbol) return v.name;
  if (v instanceof EdnSet) return v.items.map(ednToPlain);
  if (v instanceof EdnTagged) return ednToPlain(v.value);
  if (Array.isArray(v)) return v.map(ednToPlain);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[String(ednToPlain(k))] = ednToPlain(x);
    return o;
  }
  return v;
}

/** Reads a Jepsen EDN history. Throws {@link FormatError} with the line of the bad op. */
export function readEdnHistory(text: string): ParsedHistory {
  const { forms, itemLines } = readEdn(text);
  let items: { value: EdnValue; line: number }[] = forms;
  const first = forms[0];
  if (forms.length === 1 && first !== undefined && Array.isArray(first.value)) {
    const lines = itemLines.get(first.value) ?? [];
    items = first.value.map((value, i) => ({ value, line: lines[i] ?? first.line }));
  }
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  items.forEach(({ value, line }, position) => {
    if (!(value instanceof Map)) throw new FormatError('expected an op map like {:type :invoke, :process 0, :f :read, :value nil}', line);
    const op = toHistoryOp(ednToPlain(value) as Record<string, unknown>, position, line);
    if (op === 'skip') return;
    ops.push(op);
    lines.push(line);
  });
  return { ops, lines };
}

/** Writes ops as Jepsen EDN, one map per line; `type` and `f` print as keywords. */
export function writeEdnHistory(ops: readonly HistoryOp[]): string {
  return ops
    .map((op) => {
      const fields = orderedEntries(op).map(([k, v]) => {
        const printed = k === 'type' || (k === 'f' && /^[A-Za-z*+!_?<>=-][\w*+!?<>=./-]*$/.test(String(v))) ? `:${String(v)}` : printEdn(v);
        return `:${k} ${printed}`;
      });
      return `{${fields.join(', ')}}\n`;
    })
    .join('');
}
