/**
 * Shared helpers for engine tests: a prep+apply pipeline over a fresh database (the ensemble's
 * split, driven by hand), and small request builders.
 */
import { type ZkDatabase, freshDatabase } from '../../src/engine/db/zkDatabase.ts';
import { type ApplyOutcome, applyTxn } from '../../src/engine/request/apply.ts';
import { ChangeRecords } from '../../src/engine/request/changeRecords.ts';
import { prepCloseSession, prepCreateSession, prepWrite } from '../../src/engine/request/prep.ts';
import type { Txn } from '../../src/engine/request/txn.ts';
import type { CreateRequest, WriteRequest } from '../../src/engine/request/types.ts';
import { OPEN_ACL, copyAcl } from '../../src/engine/tree/acl.ts';

/** UTF-8 bytes of a string. */
export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A create2 request with the open ACL. */
export function create(path: string, flags = 0, data: Uint8Array | null = bytes('')): CreateRequest {
  return { op: 'create2', path, data, acl: copyAcl(OPEN_ACL), flags };
}

/** A leader-style pipeline: prep assigns zxids and records changes; apply runs later, in order. */
export class Pipeline {
  readonly db: ZkDatabase = freshDatabase();
  readonly changes = new ChangeRecords(this.db.tree);
  private nextCounter = 1;
  private readonly inFlight: Txn[] = [];
  timeMs = 1000;

  private ctx(sessionId: number) {
    return { changes: this.changes, sessionId, cxid: this.nextCounter, zxid: this.nextCounter++, timeMs: this.timeMs };
  }

  /** Preps a write without applying it. */
  prep(sessionId: number, request: WriteRequest): Txn {
    const txn = prepWrite(request, this.ctx(sessionId));
    this.inFlight.push(txn);
    return txn;
  }

  /** Preps a createSession for a caller-chosen id. */
  prepCreateSession(sessionId: number, timeoutMs = 10_000): Txn {
    const txn = prepCreateSession(timeoutMs, this.ctx(sessionId));
    this.inFlight.push(txn);
    return txn;
  }

  /** Preps a closeSession. */
  prepClose(sessionId: number): Txn {
    const txn = prepCloseSession(this.ctx(sessionId));
    this.inFlight.push(txn);
    return txn;
  }

  /** The txns prepped and not yet applied. */
  inFlightCopy(): Txn[] {
    return [...this.inFlight];
  }

  /** Applies every in-flight txn in zxid order, retiring change records as it goes. */
  applyAll(): ApplyOutcome[] {
    const outcomes = this.inFlight.splice(0).map((txn) => {
      const outcome = applyTxn(this.db, txn);
      this.changes.retireThrough(txn.zxid);
      return outcome;
    });
    return outcomes;
  }

  /** Prep then apply at once (standalone style). */
  run(sessionId: number, request: WriteRequest): ApplyOutcome {
    this.prep(sessionId, request);
    return this.applyAll()[0]!;
  }
}
