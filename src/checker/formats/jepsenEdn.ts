/**
 * Jepsen `history.edn`: either one vector of op maps or one op map per line. Keywords become
 * strings (`:read` → `"read"`, in values too, as Jepsen's own JSON export does), maps become
 * objects with string keys, sets become arrays. Ops of the `:nemesis` process are skipped.
 */
import type { HistoryOp } from '../history/op.ts';
import { EdnSet, EdnSymbol, EdnTagged, Keyword, printEdn, readEdn, type EdnValue } from './edn.ts';
import { FormatError } from './formatError.ts';
import { orderedEntries, setField, toHistoryOp, type ParsedHistory } from './historyRecord.ts';

/** Converts an EDN value to a JSON-like value (keywords and symbols to their names). */
export function ednToPlain(v: EdnValue): unknown {
  if (v instanceof Keyword || v instanceof EdnSymbol) return v.name;
  if (v instanceof EdnSet) return v.items.map(ednToPlain);
  if (v instanceof EdnTagged) return ednToPlain(v.value);
  if (Array.isArray(v)) return v.map(ednToPlain);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) setField(o, String(ednToPlain(k)), ednToPlain(x));
    return o;
  }
  return v;
}

/** Reads a Jepsen EDN history. Throws {@link FormatError} with the line and column of the problem. */
export function readEdnHistory(text: string): ParsedHistory {
  const { forms, itemOffsets, position } = readEdn(text);
  let items: { value: EdnValue; offset: number }[] = forms;
  const first = forms[0];
  if (forms.length === 1 && first !== undefined && Array.isArray(first.value)) {
    const offsets = itemOffsets.get(first.value) ?? [];
    items = first.value.map((value, i) => ({ value, offset: offsets[i] ?? first.offset }));
  }
  const ops: HistoryOp[] = [];
  const lines: number[] = [];
  const columns: number[] = [];
  items.forEach(({ value, offset }, index) => {
    const at = position(offset);
    if (!(value instanceof Map)) throw new FormatError('expected an op map like {:type :invoke, :process 0, :f :read, :value nil}', at.line, at.column);
    const locate = (field: string | undefined): [number, number] => {
      const where = field === undefined ? undefined : valueOffset(value, itemOffsets.get(value), field);
      const p = where === undefined ? at : position(where);
      return [p.line, p.column];
    };
    const op = toHistoryOp(ednToPlain(value) as Record<string, unknown>, index, locate);
    if (op === 'skip') return;
    ops.push(op);
    lines.push(at.line);
    columns.push(at.column);
  });
  return { ops, lines, columns };
}

/** Offset of the value stored under `:field` (or `"field"`) in an op map, if present. */
function valueOffset(map: Map<EdnValue, EdnValue>, offsets: number[] | undefined, field: string): number | undefined {
  if (offsets === undefined) return undefined;
  let i = 0;
  for (const key of map.keys()) {
    const name = key instanceof Keyword ? key.name : key;
    if (name === field) return offsets[i + 1];
    i += 2;
  }
  return undefined;
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
