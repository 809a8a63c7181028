/**
 * currentEpoch / acceptedEpoch files: one decimal number each, written like ZooKeeper's
 * QuorumPeer.writeLongToFile (AtomicFileWritingIdiom: write a temp file, fsync, rename). The
 * kernel's `replace` effect is exactly that idiom: until its fsync completes a crash keeps the
 * old file, afterwards the new one; never a mix. So a node must treat an epoch as persisted
 * only when the `fsynced` input for the id returned here arrives.
 *
 * The intent marker `currentEpoch.tmp` models the ZOOKEEPER-1653 fix: a follower that takes a
 * snapshot during NEWLEADER (whose zxid may be in the new epoch) before raising currentEpoch
 * first records the epoch it is about to write. If it crashes in between, the startup check
 * "epoch of the last zxid > currentEpoch" would otherwise refuse to start forever; with the
 * marker present, startup adopts the marker's epoch instead (see startupChecks.ts).
 */
import type { Effect } from '../../sim/host/process.ts';
import { assert } from '../assert.ts';
import { asciiBytes } from './binary.ts';
import { ACCEPTED_EPOCH_FILE, CURRENT_EPOCH_FILE, CURRENT_EPOCH_TMP_FILE, type EpochFileName } from './fileNames.ts';

/** The bytes of an epoch file: the decimal digits alone, as writeLongToFile's Long.toString. */
export function encodeEpoch(epoch: number): Uint8Array {
  assert(Number.isSafeInteger(epoch) && epoch >= 0, `bad epoch ${epoch}`);
  return asciiBytes(String(epoch));
}

/**
 * The epoch in an epoch file, read as QuorumPeer.readLongFromFile does: the first line through
 * Long.parseLong (an optional '+', then digits; no spaces). Undefined when that fails (ZooKeeper
 * throws "Found … in …" from loadDataBase; the caller turns this into a startup error). One
 * deviation: a negative number, which Java would accept, is refused too (epochs never are).
 */
export function parseEpoch(bytes: Uint8Array): number | undefined {
  let line = '';
  for (const b of bytes) {
    if (b === 0x0a || b === 0x0d) break;
    line += String.fromCharCode(b);
  }
  const match = /^\+?(\d{1,16})$/.exec(line);
  if (match === null) return undefined;
  const value = Number(match[1]);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The fsync id of an epoch-file write: `epoch:<file>:<value>` (and `epoch:<file>:delete`). */
export function epochFsyncId(file: EpochFileName, epoch: number | 'delete'): string {
  return `epoch:${file}:${epoch}`;
}

/** Atomically replaces one epoch file and fsyncs it; durable when the fsync id comes back. */
export function writeEpochFile(file: EpochFileName, epoch: number): Effect[] {
  return [
    { kind: 'replace', file, bytes: encodeEpoch(epoch) },
    { kind: 'fsync', file, id: epochFsyncId(file, epoch) },
  ];
}

/** Persists acceptedEpoch (discovery: LEADERINFO on a follower, getEpochToPropose on a leader). */
export function writeAcceptedEpoch(epoch: number): Effect[] {
  return writeEpochFile(ACCEPTED_EPOCH_FILE, epoch);
}

/** Persists currentEpoch (NEWLEADER on a follower, after waitForEpochAck on a leader). */
export function writeCurrentEpoch(epoch: number): Effect[] {
  return writeEpochFile(CURRENT_EPOCH_FILE, epoch);
}

/**
 * Records the intent to raise currentEpoch to `epoch` before taking a NEWLEADER snapshot; wait
 * for its fsync, take the snapshot, write currentEpoch, then `clearCurrentEpochIntent`.
 */
export function writeCurrentEpochIntent(epoch: number): Effect[] {
  return writeEpochFile(CURRENT_EPOCH_TMP_FILE, epoch);
}

/** Removes the intent marker once currentEpoch itself is durable. */
export function clearCurrentEpochIntent(): Effect[] {
  return [
    { kind: 'deleteFile', file: CURRENT_EPOCH_TMP_FILE },
    { kind: 'fsync', file: CURRENT_EPOCH_TMP_FILE, id: epochFsyncId(CURRENT_EPOCH_TMP_FILE, 'delete') },
  ];
}
