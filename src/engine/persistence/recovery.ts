/**
 * Startup recovery (ZooKeeper's FileTxnSnapLog.restore + QuorumPeer.loadDataBase): from the
 * durable disk image to the state a restarting server runs with.
 *
 * On-disk layout (ZooKeeper's dataDir/version-2, flat: the simulated disk has no directories).
 * Nothing counts as written until the `fsynced` input for its id arrives.
 *
 *   log.<hex zxid>       txn log; <zxid> is the file's first txn. Records are
 *                        [u32 length][u32 crc32][msgpack txn] (txnLogFormat.ts). TxnLog appends
 *                        at once and fsyncs in group-commit batches (ids `log:<n>`); a new file is
 *                        opened after a roll (SnapSchedule), a TRUNC, a SNAP reset and a restart,
 *                        and only once every earlier log write is durable. TRUNC, SNAP, purge and
 *                        the repairs below truncate or delete files, each fsynced, last file first.
 *   snapshot.<hex zxid>  the state after <zxid>: "ZKSN", version, length, crc32, msgpack
 *                        {zxid, payload}, "BenWasHere" (snapshotFormat.ts). Written whole with an
 *                        atomic replace, fsynced (`snap:<hex zxid>`) by SnapshotStore.write when the
 *                        schedule fires and at NEWLEADER; deleted by purge (newest 3 kept), by the
 *                        TRUNC guard and by recovery when invalid.
 *   acceptedEpoch        decimal digits; atomic replace + fsync (`epoch:acceptedEpoch:<n>`) on
 *                        LEADERINFO (follower) or once a quorum has connected (leader).
 *   currentEpoch         decimal digits; atomic replace + fsync at NEWLEADER (follower) or after
 *                        the epoch ACKs (leader).
 *   currentEpoch.tmp     intent marker: written (and fsynced) before a NEWLEADER snapshot whose
 *                        epoch is above currentEpoch, deleted once currentEpoch is durable.
 *
 * Steps:
 *
 * 1. Snapshots: the newest snapshot that decodes completely (trailer, length, CRC, zxid matching
 *    its name) is the base; newer incomplete ones are ignored and deleted.
 * 2. Log: the txns after the base, from a continuous chain of log records (recoverLog.ts); a
 *    torn tail, corruption or discontinuity ends the chain and is cut off.
 * 3. Epochs: the loadDataBase checks (startupChecks.ts), which may refuse the start.
 *
 * The result carries `repairs`, the effects to apply before anything else (cut-off tails,
 * deleted files, rewritten epoch files), each followed by its fsync. The log repairs' fsync ids
 * are `log:repair:<n>`; TxnLog.open treats them as its first fsync batch and holds back new
 * appends until they complete, so no record is ever appended behind bytes that a crash could
 * still resurrect. When `startupError` is set, `repairs` is empty: a server that refuses to
 * start leaves its disk as it found it.
 */
import type { Effect } from '../../sim/host/process.ts';
import type { DiskImage } from '../../sim/disk/disk.ts';
import type { Txn } from '../request/txn.ts';
import { LOG_PREFIX, parseLogFileName, parseSnapshotFileName } from './fileNames.ts';
import { recoverLog, type LogFileIndex, type RecoveryProblem } from './recoverLog.ts';
import { decodeSnapshot, type SnapshotContents } from './snapshotFormat.ts';
import { checkEpochsAtStartup, type StartupError } from './startupChecks.ts';

/** Everything a restarting server needs from its disk. */
export interface RecoveredState<S = unknown> {
  /** The latest valid snapshot, or undefined (start from the empty state). */
  snapshot: SnapshotContents<S> | undefined;
  /** Logged txns after the snapshot, in zxid order, to replay on top of it. */
  txns: Txn[];
  /** The snapshot's zxid, or 0: the point the log continues from. */
  baseZxid: number;
  /** max(base, last replayed txn): what the server advertises in FLE and FOLLOWERINFO. */
  lastLoggedZxid: number;
  currentEpoch: number;
  acceptedEpoch: number;
  /** Set when the server must refuse to start (ZooKeeper throws from loadDataBase). */
  startupError: StartupError | undefined;
  /** What recovery noticed (torn tails are routine; anything else is damage). */
  problems: RecoveryProblem[];
  /** Effects to apply first, in order (empty when startupError is set). */
  repairs: Effect[];
  /** The fsync ids among `repairs` that belong to the txn log (for TxnLog.open). */
  logRepairFsyncIds: string[];
  /** Log files on disk after the repairs (for TxnLog.open). */
  logFiles: LogFileIndex[];
  /** zxids of the valid snapshots on disk after the repairs, ascending (for SnapshotStore.open). */
  snapshotZxids: number[];
}

/** Recovers the server state from a disk image (the `start` input's `disk`). Never throws on bad bytes. */
export function recover<S = unknown>(disk: DiskImage): RecoveredState<S> {
  const problems: RecoveryProblem[] = [];
  const snapshotRepairs: Effect[] = [];
  const snapshotZxids: number[] = [];
  let snapshot: SnapshotContents<S> | undefined;
  const snapshotNames = [...disk.keys()]
    .map((name) => ({ name, zxid: parseSnapshotFileName(name) }))
    .filter((s): s is { name: string; zxid: number } => s.zxid !== undefined)
    .sort((a, b) => b.zxid - a.zxid);
  for (const { name, zxid } of snapshotNames) {
    const decoded = decodeSnapshot<S>(disk.get(name)!, zxid);
    if (!decoded.ok) {
      problems.push({ file: name, kind: 'invalidSnapshot', detail: decoded.reason });
      snapshotRepairs.push({ kind: 'deleteFile', file: name }, { kind: 'fsync', file: name, id: `snap:repair:${name}` });
      continue;
    }
    snapshotZxids.unshift(zxid);
    if (snapshot === undefined) snapshot = { zxid, payload: decoded.payload };
  }
  const baseZxid = snapshot?.zxid ?? 0;
  const logFiles = new Map<string, Uint8Array>();
  for (const [name, bytes] of disk) if (name.startsWith(LOG_PREFIX) && parseLogFileName(name) !== undefined) logFiles.set(name, bytes);
  const log = recoverLog(logFiles, baseZxid);
  problems.push(...log.problems);
  const epochs = checkEpochsAtStartup(disk, log.lastLoggedZxid);
  const repairs: Effect[] = [];
  const logRepairFsyncIds: string[] = [];
  if (epochs.startupError === undefined) {
    for (const op of log.repairs) {
      const id = `log:repair:${logRepairFsyncIds.length}`;
      logRepairFsyncIds.push(id);
      repairs.push(op, { kind: 'fsync', file: op.file, id });
    }
    repairs.push(...snapshotRepairs, ...epochs.repairs);
  }
  return {
    snapshot,
    txns: log.txns,
    baseZxid,
    lastLoggedZxid: log.lastLoggedZxid,
    currentEpoch: epochs.currentEpoch,
    acceptedEpoch: epochs.acceptedEpoch,
    startupError: epochs.startupError,
    problems,
    repairs,
    logRepairFsyncIds,
    logFiles: log.files,
    snapshotZxids,
  };
}
