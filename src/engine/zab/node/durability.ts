import type { Effect } from '../../../sim/host/process.ts';

/**
 * "Do this once that write is on disk." ZooKeeper persists epochs and txns synchronously on
 * the thread that then sends the ACK; as a state machine we issue the write and its fsync,
 * and park the continuation until the kernel reports the fsync complete. fsyncs on one disk
 * complete in issue order, so continuations run in the order they were registered.
 */
export class DurableBarrier {
  private waiting = new Map<string, (out: Effect[]) => void>();
  private seq = 0;

  /** Issues an fsync of `file` and runs `then` when it completes. */
  sync(file: string, out: Effect[], then: (out: Effect[]) => void): void {
    const id = `barrier:${++this.seq}`;
    this.waiting.set(id, then);
    out.push({ kind: 'fsync', file, id });
  }

  /** Routes an fsynced input; returns false when the id is not a barrier's. */
  onFsynced(id: string | number, out: Effect[]): boolean {
    if (typeof id !== 'string') return false;
    const then = this.waiting.get(id);
    if (then === undefined) return id.startsWith('barrier:');
    this.waiting.delete(id);
    then(out);
    return true;
  }

  /** Drops every parked continuation (the role they belonged to has ended). */
  clear(): void {
    this.waiting.clear();
  }
}

/** Encodes an epoch file (a decimal long, as QuorumPeer.writeLongToFile does). */
export function encodeEpoch(epoch: number): Uint8Array {
  return new TextEncoder().encode(`${epoch}\n`);
}

/** Decodes an epoch file; undefined when absent or not a number (treated as missing). */
export function decodeEpoch(bytes: Uint8Array | undefined): number | undefined {
  if (bytes === undefined) return undefined;
  const text = new TextDecoder().decode(bytes).trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

export const CURRENT_EPOCH_FILE = 'currentEpoch';
export const ACCEPTED_EPOCH_FILE = 'acceptedEpoch';
