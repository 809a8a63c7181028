/**
 * Txn-log recovery: which logged txns a restarting server replays, and which bytes it must
 * drop so that later appends never follow garbage.
 *
 * Files are ordered by the first zxid in their name. Replay starts at the last file whose
 * first zxid is ≤ base+1 (the file that holds the txn right after the snapshot, as
 * ZooKeeper's FileTxnLog.getLogFiles picks), or at the first file. From there the records form
 * one chain that must be continuous (continuity.ts) across files and with the snapshot; the
 * chain stops at the first torn tail, corrupt record, or discontinuity. Everything after the
 * stop point is dropped: the stop file is truncated there and every later file deleted.
 *
 * ZooKeeper 3.8 differs (FileTxnLog.FileTxnIterator.next): a record cut short, or missing its
 * end-of-record byte, or of length 0 (preallocated zeros) ends that file and reading goes on
 * with the next one; a checksum mismatch throws and the server refuses to start; nothing is
 * ever cut off (a restarted server opens a new file and leaves the garbage behind). Here any
 * bad record ends the chain and the rest is dropped, so damage loses a suffix instead of
 * stopping the server (test/engine/persistence/tornTail.test.ts).
 *
 * Dropping is safe for durability because the TxnLog writer only lets a file receive records
 * once every earlier file is fully durable (see txnLog.ts), so a later file can never hold a
 * durable txn that follows a non-durable one. Files before the start file are only indexed
 * (for truncation and purge); their damage does not matter to the state and is only reported.
 */
import type { Txn } from '../request/txn.ts';
import { continuityViolation } from './continuity.ts';
import { parseLogFileName } from './fileNames.ts';
import { decodeLogFile, type LogRecordPosition } from './txnLogFormat.ts';

/** A log file as indexed after recovery (and repair): what the TxnLog writer starts from. */
export interface LogFileIndex {
  name: string;
  firstZxid: number;
  /** Record positions of the valid prefix, ascending. */
  records: LogRecordPosition[];
  /** File length once the repairs are applied. */
  sizeBytes: number;
}

/** Something recovery noticed and handled: a torn tail is routine, the rest are damage. */
export interface RecoveryProblem {
  file: string;
  kind: 'torn' | 'corrupt' | 'discontinuity' | 'dropped' | 'invalidSnapshot' | 'damagedOldLog';
  detail: string;
}

/** Where the chain stops and why. */
interface StopPoint {
  fileIndex: number;
  offset: number;
  problem: RecoveryProblem;
}

/** The result of log recovery. */
export interface RecoveredLog {
  /** Chain txns with zxid > base, in order. */
  txns: Txn[];
  /** max(base, last zxid in the chain). */
  lastLoggedZxid: number;
  /** Every log file that remains after the repairs, ascending. */
  files: LogFileIndex[];
  problems: RecoveryProblem[];
  /** truncate/deleteFile ops, last file first, without fsyncs (recovery.ts adds those). */
  repairs: Array<{ kind: 'truncate'; file: string; length: number } | { kind: 'deleteFile'; file: string }>;
}

/** Recovers the log chain from the log files on disk, given the snapshot zxid `baseZxid` (0 if none). */
export function recoverLog(logFiles: ReadonlyMap<string, Uint8Array>, baseZxid: number): RecoveredLog {
  const sorted: Array<{ name: string; firstZxid: number }> = [];
  for (const name of logFiles.keys()) {
    const firstZxid = parseLogFileName(name);
    if (firstZxid !== undefined) sorted.push({ name, firstZxid });
  }
  sorted.sort((a, b) => a.firstZxid - b.firstZxid);
  let start = 0;
  for (let i = 0; i < sorted.length; i++) if (sorted[i]!.firstZxid <= baseZxid + 1) start = i;
  const files: LogFileIndex[] = [];
  const problems: RecoveryProblem[] = [];
  for (let i = 0; i < start; i++) {
    const f = sorted[i]!;
    const bytes = logFiles.get(f.name)!;
    const dec = decodeLogFile(bytes);
    if (dec.tail !== 'clean') problems.push({ file: f.name, kind: 'damagedOldLog', detail: `${dec.tail}: ${dec.detail} (before the snapshot, not replayed)` });
    files.push({ name: f.name, firstZxid: f.firstZxid, records: dec.records, sizeBytes: bytes.length });
  }
  const txns: Txn[] = [];
  const repairs: RecoveredLog['repairs'] = [];
  let chainLast: number | undefined;
  let stop: StopPoint | undefined;
  for (let i = start; i < sorted.length && stop === undefined; i++) {
    const f = sorted[i]!;
    const bytes = logFiles.get(f.name)!;
    const dec = decodeLogFile(bytes);
    const kept: LogRecordPosition[] = [];
    for (let k = 0; k < dec.records.length && stop === undefined; k++) {
      const r = dec.records[k]!;
      const violation = recordViolation(f, k, r.zxid, chainLast, baseZxid);
      if (violation !== undefined) {
        stop = { fileIndex: i, offset: r.offset, problem: { file: f.name, kind: violation.kind, detail: violation.detail } };
        break;
      }
      kept.push(r);
      if (r.zxid > baseZxid) txns.push(dec.txns[k]!);
      chainLast = r.zxid;
    }
    if (stop === undefined && dec.tail !== 'clean') {
      const kind = dec.tail === 'torn' ? 'torn' : dec.tail;
      stop = { fileIndex: i, offset: dec.validBytes, problem: { file: f.name, kind, detail: dec.detail ?? dec.tail } };
    }
    const sizeBytes = stop === undefined ? bytes.length : stop.offset;
    if (sizeBytes > 0) files.push({ name: f.name, firstZxid: f.firstZxid, records: kept, sizeBytes });
    // An empty file holds nothing but its name, which a later log file may need.
    else if (stop === undefined) repairs.push({ kind: 'deleteFile', file: f.name });
  }
  if (stop !== undefined) {
    problems.push(stop.problem);
    for (let i = sorted.length - 1; i > stop.fileIndex; i--) {
      const name = sorted[i]!.name;
      problems.push({ file: name, kind: 'dropped', detail: `follows the stop point in ${stop.problem.file}` });
      repairs.push({ kind: 'deleteFile', file: name });
    }
    const stopName = sorted[stop.fileIndex]!.name;
    if (stop.offset === 0) repairs.push({ kind: 'deleteFile', file: stopName });
    else repairs.push({ kind: 'truncate', file: stopName, length: stop.offset });
  }
  return { txns, lastLoggedZxid: Math.max(baseZxid, chainLast ?? 0), files, problems, repairs };
}

/** Checks one chain record: the file name, continuity across files, and continuity with the snapshot. */
function recordViolation(
  file: { name: string; firstZxid: number },
  indexInFile: number,
  zxid: number,
  chainLast: number | undefined,
  baseZxid: number,
): { kind: 'corrupt' | 'discontinuity'; detail: string } | undefined {
  if (indexInFile === 0 && zxid !== file.firstZxid) {
    return { kind: 'corrupt', detail: `first record has zxid ${zxid}, the file name says ${file.firstZxid}` };
  }
  // Within a file decodeLogFile already checked continuity; across files it is checked here.
  if (indexInFile === 0 && chainLast !== undefined) {
    const v = continuityViolation(chainLast, zxid);
    if (v !== undefined) return { kind: 'discontinuity', detail: `across files: ${v}` };
  }
  // The first txn after the snapshot must continue the snapshot, unless the chain already holds
  // the snapshot's own txn right before it.
  if (zxid > baseZxid && (chainLast === undefined || chainLast < baseZxid)) {
    const v = continuityViolation(baseZxid, zxid);
    if (v !== undefined) return { kind: 'discontinuity', detail: `after the snapshot: ${v}` };
  }
  return undefined;
}
