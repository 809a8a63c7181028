/**
 * The names of the files a server keeps (ZooKeeper's `dataDir/version-2` layout, flattened:
 * the simulated disk has no directories) and the namespaces of the fsync ids the persistence
 * layer issues, so the node can route each `fsynced` input to its owner.
 *
 *   log.<hex zxid>        txn log; <zxid> is the first txn in the file (Long.toHexString style)
 *   snapshot.<hex zxid>   snapshot of the state after applying <zxid>
 *   currentEpoch          decimal text
 *   acceptedEpoch         decimal text
 *   currentEpoch.tmp      intent marker for a currentEpoch update (see epochFiles.ts)
 */
import { assert } from '../assert.ts';

/** Prefix of txn-log file names. */
export const LOG_PREFIX = 'log.';
/** Prefix of snapshot file names. */
export const SNAPSHOT_PREFIX = 'snapshot.';
/** The file holding the epoch of the last NEWLEADER this server acknowledged (or led). */
export const CURRENT_EPOCH_FILE = 'currentEpoch';
/** The file holding the highest epoch this server has accepted in discovery. */
export const ACCEPTED_EPOCH_FILE = 'acceptedEpoch';
/** Intent marker: "currentEpoch is being raised to the value inside" (ZOOKEEPER-1653). */
export const CURRENT_EPOCH_TMP_FILE = 'currentEpoch.tmp';

/** The two epoch files. */
export type EpochFileName = typeof CURRENT_EPOCH_FILE | typeof ACCEPTED_EPOCH_FILE | typeof CURRENT_EPOCH_TMP_FILE;

/** Canonical lowercase hex without padding or `0x`, like Java's Long.toHexString. */
function hex(zxid: number): string {
  assert(Number.isSafeInteger(zxid) && zxid >= 0, `bad zxid for a file name: ${zxid}`);
  return zxid.toString(16);
}

/** Parses canonical hex; rejects padding, upper case and anything else (foreign files). */
function parseHex(text: string): number | undefined {
  if (!/^[0-9a-f]+$/.test(text)) return undefined;
  const value = parseInt(text, 16);
  if (!Number.isSafeInteger(value) || value.toString(16) !== text) return undefined;
  return value;
}

/** `log.<hex>` for a log file whose first txn is `firstZxid`. */
export function logFileName(firstZxid: number): string {
  return LOG_PREFIX + hex(firstZxid);
}

/** The first zxid encoded in a log file name, or undefined when `name` is not a log file. */
export function parseLogFileName(name: string): number | undefined {
  return name.startsWith(LOG_PREFIX) ? parseHex(name.slice(LOG_PREFIX.length)) : undefined;
}

/** `snapshot.<hex>` for a snapshot at `zxid`. */
export function snapshotFileName(zxid: number): string {
  return SNAPSHOT_PREFIX + hex(zxid);
}

/** The zxid encoded in a snapshot file name, or undefined when `name` is not a snapshot. */
export function parseSnapshotFileName(name: string): number | undefined {
  return name.startsWith(SNAPSHOT_PREFIX) ? parseHex(name.slice(SNAPSHOT_PREFIX.length)) : undefined;
}

/** Who issued an fsync, by the prefix of its id. */
export type FsyncOwner = 'log' | 'snap' | 'epoch';

/**
 * The owner of an fsync id issued by this module (`log:…` → TxnLog.onFsynced, `snap:…` →
 * SnapshotStore.onFsynced, `epoch:…` → the node's epoch bookkeeping), or undefined for ids the
 * node issued itself.
 */
export function fsyncOwner(id: number | string): FsyncOwner | undefined {
  if (typeof id !== 'string') return undefined;
  if (id.startsWith('log:')) return 'log';
  if (id.startsWith('snap:')) return 'snap';
  if (id.startsWith('epoch:')) return 'epoch';
  return undefined;
}
