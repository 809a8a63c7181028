/**
 * Shared fixtures for the persistence tests: real txn histories (prepped and applied by the
 * engine, so they cover every txn type and build a non-trivial tree), zxid numbering across
 * epochs, and a small disk driver that applies a process's disk effects to the simulated disk
 * and completes its fsyncs one at a time, in issue order, as the host does.
 */
import { type ZkDatabase, databaseDigest, freshDatabase, restoreDatabase, type DatabaseSnapshot } from '../../../src/engine/db/zkDatabase.ts';
import { applyTxn } from '../../../src/engine/request/apply.ts';
import { ChangeRecords } from '../../../src/engine/request/changeRecords.ts';
import { prepCloseSession, prepCreateSession, prepDeleteContainer, prepWrite } from '../../../src/engine/request/prep.ts';
import type { Txn } from '../../../src/engine/request/txn.ts';
import type { CreateRequest, WriteRequest } from '../../../src/engine/request/types.ts';
import { OPEN_ACL, copyAcl } from '../../../src/engine/tree/acl.ts';
import { makeZxid, zxidCounter, zxidEpoch } from '../../../src/engine/zxid.ts';
import { SimDisk, type DiskImage } from '../../../src/sim/disk/disk.ts';
import type { Effect } from '../../../src/sim/host/process.ts';
import { Choices } from '../../../src/sim/rng/choices.ts';

/** UTF-8 bytes. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * A leader-style history: every txn is prepped against the tree plus outstanding changes and
 * applied at once, so `db` is the database of a replica that applied `txns` directly.
 */
export class History {
  readonly db: ZkDatabase = freshDatabase();
  private readonly changes = new ChangeRecords(this.db.tree);
  readonly txns: Txn[] = [];
  private epoch: number;
  private counter: number;
  timeMs = 1_000;

  constructor(epoch = 1) {
    this.epoch = epoch;
    this.counter = 0;
  }

  /** The next txns get zxids (epoch+1, 1), (epoch+1, 2), … as after a leader change. */
  newEpoch(): void {
    this.epoch++;
    this.counter = 0;
  }

  private ctx(sessionId: number) {
    this.counter++;
    this.timeMs += 7;
    return { changes: this.changes, sessionId, cxid: this.counter, zxid: makeZxid(this.epoch, this.counter), timeMs: this.timeMs };
  }

  private applied(txn: Txn): Txn {
    applyTxn(this.db, txn);
    this.changes.retireThrough(txn.zxid);
    this.txns.push(txn);
    return txn;
  }

  write(sessionId: number, request: WriteRequest): Txn {
    return this.applied(prepWrite(request, this.ctx(sessionId)));
  }

  createSession(sessionId: number, timeoutMs: number): Txn {
    return this.applied(prepCreateSession(timeoutMs, this.ctx(sessionId)));
  }

  closeSession(sessionId: number): Txn {
    return this.applied(prepCloseSession(this.ctx(sessionId)));
  }

  deleteContainer(path: string): Txn {
    return this.applied(prepDeleteContainer(path, this.ctx(0)));
  }
}

/** A create request with the open ACL. */
export function createReq(path: string, flags = 0, data: Uint8Array | null = utf8('')): CreateRequest {
  return { op: 'create2', path, data, acl: copyAcl(OPEN_ACL), flags };
}

/** Session ids in the 53-bit shape the engine uses (server id on top). */
export const SESSION_A = 1 * 2 ** 45 + 5 * 2 ** 24 + 1;
export const SESSION_B = 2 * 2 ** 45 + 9 * 2 ** 24 + 7;

/**
 * One txn of every type and shape: createSession, create (persistent, ephemeral, sequential,
 * container, null data), setData, delete, deleteContainer, a successful multi with every sub-op,
 * a failed multi, a failed single write (error txn), closeSession with ephemerals to delete.
 * Returns the history and the txns keyed by a name for table tests.
 */
export function everyTxnType(): { history: History; named: Array<[string, Txn]> } {
  const h = new History(3);
  const named: Array<[string, Txn]> = [];
  const add = (name: string, txn: Txn) => named.push([name, txn]);
  add('createSession', h.createSession(SESSION_A, 6_000));
  h.createSession(SESSION_B, 30_000);
  add('create persistent', h.write(SESSION_A, createReq('/app', 0, utf8('config v1'))));
  add('create ephemeral', h.write(SESSION_A, createReq('/app/lock', 1, new Uint8Array([0, 255, 1, 128]))));
  add('create sequential', h.write(SESSION_B, createReq('/app/job-', 2)));
  add('create with null data', h.write(SESSION_B, createReq('/nulldata', 0, null)));
  add('create container', h.write(SESSION_B, { ...createReq('/box'), op: 'createContainer', flags: 4 }));
  h.write(SESSION_B, createReq('/box/item'));
  add('setData', h.write(SESSION_B, { op: 'setData', path: '/app', data: utf8('config v2'), version: 0 }));
  add('delete', h.write(SESSION_B, { op: 'delete', path: '/box/item', version: -1 }));
  add('deleteContainer', h.deleteContainer('/box'));
  add(
    'multi',
    h.write(SESSION_A, {
      op: 'multi',
      ops: [createReq('/m'), { op: 'setData', path: '/m', data: utf8('x'), version: 0 }, { op: 'check', path: '/m', version: 1 }, createReq('/m/e-', 3)],
    }),
  );
  add('failed multi', h.write(SESSION_A, { op: 'multi', ops: [createReq('/n'), createReq('/app'), createReq('/o')] }));
  add('error', h.write(SESSION_B, { op: 'delete', path: '/missing', version: -1 }));
  add('closeSession', h.closeSession(SESSION_A));
  return { history: h, named };
}

/**
 * A longer history of `count` txns: sessions come and go, nodes are created, rewritten and
 * deleted, multis and failures mixed in, and a new epoch starts every `epochEvery` txns (if
 * given). Deterministic: the same arguments give the same txns.
 */
export function longHistory(count: number, epochEvery?: number): History {
  const h = new History(1);
  const sessions = [SESSION_A, SESSION_B];
  h.createSession(SESSION_A, 10_000);
  h.createSession(SESSION_B, 20_000);
  let i = 0;
  while (h.txns.length < count) {
    if (epochEvery !== undefined && h.txns.length % epochEvery === 0) h.newEpoch();
    const s = sessions[i % 2]!;
    const node = `/n${i % 7}`;
    switch (i % 6) {
      case 0:
        h.write(s, createReq(node, i % 4 === 0 ? 1 : 0, utf8(`v${i}`)));
        break;
      case 1:
        h.write(s, { op: 'setData', path: node, data: utf8(`data-${i}`.repeat(1 + (i % 5))), version: -1 });
        break;
      case 2:
        h.write(s, createReq(`${node}-seq-`, 2, null));
        break;
      case 3:
        h.write(s, { op: 'multi', ops: [createReq(`/m${i}`), { op: 'delete', path: `/m${i}`, version: 0 }] });
        break;
      case 4:
        h.write(s, { op: 'delete', path: `/n${(i + 3) % 7}`, version: -1 });
        break;
      case 5:
        if (i % 30 === 5) {
          // Churn a session: close it (its ephemerals go) and open it again.
          h.closeSession(s);
          h.createSession(s, 10_000 + i);
        } else {
          h.write(s, createReq(`${node}/child${i}`));
        }
        break;
    }
    i++;
  }
  h.txns.length = count;
  return h;
}

/** The database of a replica that applied `txns` directly, on top of `base` (or empty). */
export function applyDirectly(txns: readonly Txn[], base?: DatabaseSnapshot): ZkDatabase {
  const db = base === undefined ? freshDatabase() : restoreDatabase(base);
  for (const txn of txns) applyTxn(db, txn);
  return db;
}

/** Digest of the database after `txns`. */
export function digestAfter(txns: readonly Txn[], base?: DatabaseSnapshot): string {
  return databaseDigest(applyDirectly(txns, base));
}

/** zxid in the (epoch, counter) notation, for readable failure messages. */
export function ec(zxid: number): string {
  return `(${zxidEpoch(zxid)},${zxidCounter(zxid)})`;
}

/** An fsync issued to the driver and not yet completed. */
interface PendingFsync {
  file: string;
  id: number | string;
  mark: number;
}

/**
 * Applies disk effects to a SimDisk like the host does (writes at once, fsyncs queued on one
 * device and completed in issue order), but lets the test decide when each fsync completes and
 * when the node crashes.
 */
export class DiskDriver {
  readonly disk = new SimDisk();
  private queue: PendingFsync[] = [];

  /** A driver whose disk durably holds `image` (a restarted node's disk). */
  static fromImage(image: DiskImage): DiskDriver {
    const d = new DiskDriver();
    for (const [name, bytes] of image) {
      d.disk.replace(name, bytes);
      d.disk.commit(name, d.disk.syncMark());
    }
    return d;
  }

  /** Completes every outstanding fsync in order; returns their ids. */
  completeAll(): Array<number | string> {
    const ids: Array<number | string> = [];
    for (let f = this.completeNext(); f !== undefined; f = this.completeNext()) ids.push(f.id);
    return ids;
  }

  /** Applies effects in order; non-disk effects are ignored. */
  apply(effects: readonly Effect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'append':
          this.disk.append(e.file, e.bytes);
          break;
        case 'replace':
          this.disk.replace(e.file, e.bytes);
          break;
        case 'truncate':
          this.disk.truncate(e.file, e.length);
          break;
        case 'deleteFile':
          this.disk.delete(e.file);
          break;
        case 'fsync':
          this.queue.push({ file: e.file, id: e.id, mark: this.disk.syncMark() });
          break;
        default:
          break;
      }
    }
  }

  /** Number of fsyncs issued and not completed. */
  get pendingFsyncs(): number {
    return this.queue.length;
  }

  /** Completes the oldest outstanding fsync; returns its id (the `fsynced` input), or undefined. */
  completeNext(): { id: number | string; file: string } | undefined {
    const f = this.queue.shift();
    if (f === undefined) return undefined;
    this.disk.commit(f.file, f.mark);
    return { id: f.id, file: f.file };
  }

  /**
   * Crashes the node: outstanding fsyncs never complete, unsynced writes are lost (or, with
   * `tear`, the last append of each file keeps a seeded prefix; with `kill`, the OS keeps every
   * write). Returns the image a restart sees.
   */
  crash(mode: 'lose' | 'tear' | 'kill' = 'lose', seed = 1): DiskImage {
    this.queue = [];
    const stream = new Choices(seed).stream('disk');
    this.disk.crash({ loseUnsynced: mode !== 'kill', tearLastWrite: mode === 'tear' }, stream);
    return this.disk.image();
  }

  /** The durable image without crashing. */
  image(): DiskImage {
    return this.disk.image();
  }
}

/** A DiskImage built from a plain list of files. */
export function imageOf(files: Array<[string, Uint8Array]>): DiskImage {
  return new Map(files);
}
