/**
 * Chooses a reader from the file extension, else from the first meaningful character, and reads
 * the history. Every reader error comes back as `file:line: what was expected`. Extensions that
 * name no format go by content: Porcupine's kv histories are `.txt` files of EDN maps, one a line.
 */
import { readEtcdLog } from './etcdLog.ts';
import { FormatError } from './formatError.ts';
import type { ParsedHistory } from './historyRecord.ts';
import { readEdnHistory } from './jepsenEdn.ts';
import { readJsonlHistory } from './jsonl.ts';

/** A history file format. */
export type HistoryFormat = 'edn' | 'jsonl' | 'etcd';

/** All formats, for CLI validation. */
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['edn', 'jsonl', 'etcd'];

/** Guesses the format of `text` (named `file`). */
export function detectFormat(file: string, text: string): HistoryFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.edn')) return 'edn';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  if (lower.endsWith('.log')) return 'etcd';
  for (const row of text.split('\n')) {
    const t = row.trim();
    if (t === '' || t.startsWith(';')) continue;
    if (t.startsWith('INFO')) return 'etcd';
    if (t.startsWith('{"') || t.startsWith('{ "')) return 'jsonl';
    return 'edn';
  }
  return 'jsonl';
}

/** Reads a history in `format` (or the detected one). Throws {@link FormatError} naming `file`. */
export function readHistory(file: string, text: string, format: HistoryFormat = detectFormat(file, text)): ParsedHistory {
  try {
    if (format === 'edn') return readEdnHistory(text);
    if (format === 'jsonl') return readJsonlHistory(text);
    return readEtcdLog(text);
  } catch (err) {
    if (err instanceof FormatError) throw err.withFile(file);
    throw err;
  }
}
