import type { ChoiceStream } from '../rng/choices.ts';
import { emptyInPlace } from '../emptyInPlace.ts';

/** A write that reached the OS but not yet stable storage. */
type PendingOp = (
  | { op: 'append'; bytes: Uint8Array }
  | { op: 'replace'; bytes: Uint8Array }
  | { op: 'truncate'; length: number }
  | { op: 'delete' }
) & { seq?: number };

interface SimFile {
  /** Bytes on stable storage, as chunks (appends do not copy the whole file). */
  durable: Uint8Array[];
  durableLength: number;
  /** True when the file exists on stable storage. */
  durableExists: boolean;
  pending: PendingOp[];
}

/** What survives a crash: every file's durable bytes. Given to a process when it (re)starts. */
export type DiskImage = ReadonlyMap<string, Uint8Array>;

/** How a crash treats writes that were not yet fsynced. */
export interface CrashDiskOptions {
  /** Lose unsynced writes (power loss, the default) or keep them (a process kill; the OS flushes). */
  loseUnsynced: boolean;
  /** With loseUnsynced: keep a random prefix of the last unsynced append (a torn write). */
  tearLastWrite: boolean;
}

/**
 * One node's simulated disk. Writes land in a volatile layer; `fsync` (issued by the host, with
 * a latency) moves the writes issued before it to stable storage. A crash keeps only stable
 * storage (optionally tearing the last write); disk loss wipes everything.
 */
export class SimDisk {
  private files = new Map<string, SimFile>();
  private seq = 0;

  private file(name: string): SimFile {
    let f = this.files.get(name);
    if (f === undefined) {
      f = { durable: [], durableLength: 0, durableExists: false, pending: [] };
      this.files.set(name, f);
    }
    return f;
  }

  append(name: string, bytes: Uint8Array): void {
    this.file(name).pending.push({ op: 'append', bytes, seq: ++this.seq });
  }

  /** Atomically replaces the whole file (write-temp-then-rename) once fsynced. */
  replace(name: string, bytes: Uint8Array): void {
    this.file(name).pending.push({ op: 'replace', bytes, seq: ++this.seq });
  }

  truncate(name: string, length: number): void {
    this.file(name).pending.push({ op: 'truncate', length, seq: ++this.seq });
  }

  delete(name: string): void {
    this.file(name).pending.push({ op: 'delete', seq: ++this.seq });
  }

  /** A mark covering every write issued so far: an fsync issued now makes writes up to it durable. */
  syncMark(): number {
    return this.seq;
  }

  /** Number of unsynced operations on a file. */
  pendingCount(name: string): number {
    return this.files.get(name)?.pending.length ?? 0;
  }

  /** Makes the pending operations on `name` issued at or before `mark` durable (an fsync completing). */
  commit(name: string, mark: number): void {
    const f = this.files.get(name);
    if (f === undefined) return;
    const pending = f.pending;
    let n = 0;
    while (n < pending.length && pending[n]!.seq! <= mark) n++;
    if (n < pending.length) {
      for (const op of pending.splice(0, n)) applyOp(f, op);
      return;
    }
    // Every pending write is covered (the usual fsync): no splice.
    for (let i = 0; i < n; i++) applyOp(f, pending[i]!);
    emptyInPlace(pending);
  }

  /** The process's view of a file: durable bytes plus unsynced writes. */
  read(name: string): Uint8Array | undefined {
    const f = this.files.get(name);
    if (f === undefined) return undefined;
    const copy: SimFile = { durable: f.durable.slice(), durableLength: f.durableLength, durableExists: f.durableExists, pending: [] };
    for (const op of f.pending) applyOp(copy, op);
    return copy.durableExists ? concat(copy.durable, copy.durableLength) : undefined;
  }

  /** Applies a crash to the volatile layer; `stream` decides where a torn write is cut. */
  crash(options: CrashDiskOptions, stream: ChoiceStream): void {
    for (const [name, f] of this.files) {
      if (!options.loseUnsynced) {
        this.commit(name, this.seq);
        continue;
      }
      const last = f.pending[f.pending.length - 1];
      if (options.tearLastWrite && last !== undefined && last.op === 'append' && last.bytes.length > 1) {
        // Everything before the torn write is lost too: without an fsync, ordering to disk is not
        // guaranteed, but keeping earlier writes while tearing the last one is the realistic case
        // that recovery code must handle.
        f.pending.pop();
        this.commit(name, this.seq);
        const keep = stream.int(last.bytes.length);
        if (keep > 0) applyOp(f, { op: 'append', bytes: last.bytes.subarray(0, keep) });
      }
      f.pending = [];
    }
  }

  /** Disk loss: every file, durable or not, is gone. */
  wipe(): void {
    this.files.clear();
  }

  /** The durable contents (what a restart sees), files in name order. */
  image(): DiskImage {
    const out = new Map<string, Uint8Array>();
    const names = [...this.files.keys()].sort();
    for (const name of names) {
      const f = this.files.get(name)!;
      if (f.durableExists) out.set(name, concat(f.durable, f.durableLength));
    }
    return out;
  }

  /** Durable size in bytes of one file (0 when absent). */
  durableSize(name: string): number {
    const f = this.files.get(name);
    return f?.durableExists ? f.durableLength : 0;
  }
}

function applyOp(f: SimFile, op: PendingOp): void {
  switch (op.op) {
    case 'append':
      f.durable.push(op.bytes);
      f.durableLength += op.bytes.length;
      f.durableExists = true;
      return;
    case 'replace':
      f.durable = [op.bytes];
      f.durableLength = op.bytes.length;
      f.durableExists = true;
      return;
    case 'truncate': {
      const whole = concat(f.durable, f.durableLength);
      const length = Math.min(op.length, whole.length);
      f.durable = [whole.subarray(0, length)];
      f.durableLength = length;
      return;
    }
    case 'delete':
      f.durable = [];
      f.durableLength = 0;
      f.durableExists = false;
      return;
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === length) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
