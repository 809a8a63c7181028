/** History file formats: Jepsen EDN, JSON Lines, Porcupine's etcd log. */
export { FormatError } from './formatError.ts';
export { EdnReader, EdnSet, EdnSymbol, EdnTagged, Keyword, printEdn, readEdn, type EdnForm, type EdnValue } from './edn.ts';
export { ednToPlain, readEdnHistory, writeEdnHistory } from './jepsenEdn.ts';
export { readJsonlHistory, writeJsonlHistory } from './jsonl.ts';
export { readEtcdLog } from './etcdLog.ts';
export { detectFormat, HISTORY_FORMATS, readHistory, type HistoryFormat } from './detect.ts';
export type { ParsedHistory } from './historyRecord.ts';
