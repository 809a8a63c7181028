/**
 * The epoch half of ZooKeeper's QuorumPeer.loadDataBase (3.8, lines ~1206-1265), run after the
 * log and snapshot are recovered:
 *
 * 1. currentEpoch missing → the epoch of the last logged zxid, and the file is written (ZooKeeper
 *    does this for upgrades from versions without the file; here it also covers a fresh disk).
 * 2. epoch(lastLoggedZxid) > currentEpoch → refuse to start ("The current epoch … is older than
 *    the last zxid"), unless the intent marker `currentEpoch.tmp` exists: then its epoch is
 *    adopted and written (ZOOKEEPER-1653/2354). We re-check after adopting, which ZooKeeper
 *    does not: a marker older than the log is still the inconsistent state the check is for.
 * 3. acceptedEpoch missing → the epoch of the last logged zxid, written.
 * 4. acceptedEpoch < currentEpoch → refuse to start (ZOOKEEPER-2307).
 *
 * Refusing to start is a value (`startupError`), not an exception: it is the documented
 * behaviour of a real server with such a disk, which a harness wants to observe.
 */
import type { Effect } from '../../sim/host/process.ts';
import type { DiskImage } from '../../sim/disk/disk.ts';
import { formatZxid, zxidEpoch } from '../zxid.ts';
import { clearCurrentEpochIntent, parseEpoch, writeEpochFile } from './epochFiles.ts';
import { ACCEPTED_EPOCH_FILE, CURRENT_EPOCH_FILE, CURRENT_EPOCH_TMP_FILE, type EpochFileName } from './fileNames.ts';

/** Why a server refuses to start. */
export type StartupError =
  | { kind: 'badEpochFile'; file: EpochFileName; message: string }
  | { kind: 'currentEpochBehindLog'; currentEpoch: number; lastLoggedZxid: number; message: string }
  | { kind: 'acceptedEpochBehindCurrent'; acceptedEpoch: number; currentEpoch: number; message: string };

/** Outcome of the epoch checks: the epochs to run with, files to (re)write, or a refusal. */
export interface EpochCheckResult {
  currentEpoch: number;
  acceptedEpoch: number;
  /** Epoch-file writes/deletes with their fsyncs (empty when startupError is set). */
  repairs: Effect[];
  startupError?: StartupError;
}

type Read = { present: false } | { present: true; epoch: number } | { present: true; bad: true };

function readEpoch(disk: DiskImage, file: EpochFileName): Read {
  const bytes = disk.get(file);
  if (bytes === undefined) return { present: false };
  const epoch = parseEpoch(bytes);
  return epoch === undefined ? { present: true, bad: true } : { present: true, epoch };
}

function bad(file: EpochFileName): EpochCheckResult {
  return { currentEpoch: -1, acceptedEpoch: -1, repairs: [], startupError: { kind: 'badEpochFile', file, message: `${file} does not hold a decimal epoch` } };
}

/** Runs the loadDataBase epoch checks against the disk, given the recovered last logged zxid. */
export function checkEpochsAtStartup(disk: DiskImage, lastLoggedZxid: number): EpochCheckResult {
  const epochOfZxid = zxidEpoch(lastLoggedZxid);
  const repairs: Effect[] = [];
  const current = readEpoch(disk, CURRENT_EPOCH_FILE);
  if ('bad' in current) return bad(CURRENT_EPOCH_FILE);
  let currentEpoch = current.present ? current.epoch : epochOfZxid;
  if (!current.present) repairs.push(...writeEpochFile(CURRENT_EPOCH_FILE, currentEpoch));
  const intent = readEpoch(disk, CURRENT_EPOCH_TMP_FILE);
  if (epochOfZxid > currentEpoch && intent.present && !('bad' in intent)) {
    currentEpoch = intent.epoch;
    repairs.push(...writeEpochFile(CURRENT_EPOCH_FILE, currentEpoch));
  }
  if (epochOfZxid > currentEpoch) {
    const message = `The current epoch, ${currentEpoch}, is older than the last zxid, ${formatZxid(lastLoggedZxid)}`;
    return { currentEpoch, acceptedEpoch: -1, repairs: [], startupError: { kind: 'currentEpochBehindLog', currentEpoch, lastLoggedZxid, message } };
  }
  // A leftover marker (crash after currentEpoch was written, or a marker that was not needed)
  // is removed so that a later, unrelated startup cannot adopt a stale epoch from it.
  if (intent.present) repairs.push(...clearCurrentEpochIntent());
  const accepted = readEpoch(disk, ACCEPTED_EPOCH_FILE);
  if ('bad' in accepted) return bad(ACCEPTED_EPOCH_FILE);
  const acceptedEpoch = accepted.present ? accepted.epoch : epochOfZxid;
  if (!accepted.present) repairs.push(...writeEpochFile(ACCEPTED_EPOCH_FILE, acceptedEpoch));
  if (acceptedEpoch < currentEpoch) {
    const message = `The accepted epoch, ${acceptedEpoch} is less than the current epoch, ${currentEpoch}`;
    return { currentEpoch, acceptedEpoch, repairs: [], startupError: { kind: 'acceptedEpochBehindCurrent', acceptedEpoch, currentEpoch, message } };
  }
  return { currentEpoch, acceptedEpoch, repairs };
}
