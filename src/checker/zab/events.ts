/**
 * The ZAB event vocabulary: what the engine emits into its trace for the ZAB property checker.
 * Each event names one protocol fact at the moment it became true. `eventIndex` is the event's
 * position in the simulator's trace, so violations point back at it. Zxids are JS numbers,
 * `epoch * 2**32 + counter`; digests are the engine's hash of a txn (same txn → same digest).
 *
 * Emission rules the checker relies on:
 * - `establish`: a leader is established in `epoch` (a quorum acked its NEWLEADER). Emitted once.
 * - `propose`: the leader assigned `zxid` to a txn with `digest` and sent PROPOSAL.
 * - `log`: `node` durably logged the txn (after the fsync, not before).
 * - `truncate`: `node` dropped every logged txn with zxid > `toZxid` (TRUNC).
 * - `commit`: the leader decided to commit `zxid` (quorum of ACKs).
 * - `apply`: `node` applied the txn to its data tree while serving or syncing.
 * - `clientAck`: a write with txn `zxid` was acknowledged to a client.
 * - `crash` / `restart`: the process stopped (losing memory, keeping disk) / came back.
 * - `diskLoss`: `node`'s disk was wiped (it rejoins empty).
 * - `snapshotLoad`: `node`'s data tree was rebuilt from its own disk up to `zxid` (startup,
 *   or reload after TRUNC); `syncSnap`: its tree and its whole log were replaced by a leader's
 *   snapshot up to `zxid` (old log entries below `zxid` that the leader never had are gone too).
 * - `recover`: at startup `node` found a snapshot covering its history up to `zxid` (0: none);
 *   a `log` event follows for each txn it recovered from its log after that point. A crash can
 *   keep unsynced writes (a process kill leaves them to the OS), so this is how the checker
 *   learns of txns that never had a `log` event before the crash.
 */
import { FormatError, jsonFieldColumn } from '../formats/formatError.ts';
import { parseJsonRow } from '../formats/jsonl.ts';

/** A node id as the simulator names it (e.g. `n1`). */
export type NodeRef = string;

interface Base {
  /** Position of the event in the simulator's trace. */
  eventIndex: number;
  /** Simulated time in microseconds, for reports only. */
  atUs?: number;
}

/** One ZAB protocol event. */
export type ZabEvent =
  | (Base & { kind: 'establish'; node: NodeRef; epoch: number })
  | (Base & { kind: 'propose'; node: NodeRef; epoch: number; zxid: number; digest: string })
  | (Base & { kind: 'log'; node: NodeRef; zxid: number; digest: string })
  | (Base & { kind: 'truncate'; node: NodeRef; toZxid: number })
  | (Base & { kind: 'commit'; node: NodeRef; zxid: number })
  | (Base & { kind: 'apply'; node: NodeRef; zxid: number; digest: string })
  | (Base & { kind: 'clientAck'; zxid: number; node?: NodeRef })
  | (Base & { kind: 'crash'; node: NodeRef })
  | (Base & { kind: 'restart'; node: NodeRef })
  | (Base & { kind: 'diskLoss'; node: NodeRef })
  | (Base & { kind: 'recover'; node: NodeRef; zxid: number })
  | (Base & { kind: 'snapshotLoad'; node: NodeRef; zxid: number })
  | (Base & { kind: 'syncSnap'; node: NodeRef; zxid: number });

/** The event kinds. */
export type ZabEventKind = ZabEvent['kind'];

/** Fields each kind requires besides `kind` and `eventIndex`. */
const REQUIRED: Record<ZabEventKind, readonly string[]> = {
  establish: ['node', 'epoch'],
  propose: ['node', 'epoch', 'zxid', 'digest'],
  log: ['node', 'zxid', 'digest'],
  truncate: ['node', 'toZxid'],
  commit: ['node', 'zxid'],
  apply: ['node', 'zxid', 'digest'],
  clientAck: ['zxid'],
  crash: ['node'],
  restart: ['node'],
  diskLoss: ['node'],
  recover: ['node', 'zxid'],
  snapshotLoad: ['node', 'zxid'],
  syncSnap: ['node', 'zxid'],
};

/** All event kinds. */
export const ZAB_EVENT_KINDS = Object.keys(REQUIRED) as ZabEventKind[];

/** The epoch of a zxid. */
export function zxidEpoch(zxid: number): number {
  return Math.floor(zxid / 2 ** 32);
}

/** Builds a zxid from epoch and counter. */
export function makeZxid(epoch: number, counter: number): number {
  return epoch * 2 ** 32 + counter;
}

/** Formats a zxid as ZooKeeper logs do. */
export function fmtZxid(zxid: number): string {
  return `0x${zxid.toString(16)}`;
}

/**
 * Validates one decoded record. Numbers must be non-negative integers; `node` may be a number
 * (it becomes a string); `digest` may be a number or string. Throws {@link FormatError};
 * `column(field)` gives the column of a field's value for the message.
 */
export function toZabEvent(rec: Record<string, unknown>, position: number, line: number, column: (field?: string) => number = () => 1): ZabEvent {
  const fail = (field: string, detail: string): never => {
    throw new FormatError(detail, line, column(field in rec ? field : undefined));
  };
  const kind = rec.kind as ZabEventKind;
  const need = Object.hasOwn(REQUIRED, kind) ? REQUIRED[kind] : undefined;
  if (need === undefined) return fail('kind', `expected "kind" to be one of ${ZAB_EVENT_KINDS.join(', ')}; got ${JSON.stringify(rec.kind ?? null)}`);
  const out: Record<string, unknown> = { kind, eventIndex: position };
  if (rec.eventIndex !== undefined) {
    if (!Number.isInteger(rec.eventIndex)) fail('eventIndex', `expected "eventIndex" to be an integer; got ${JSON.stringify(rec.eventIndex)}`);
    out.eventIndex = rec.eventIndex;
  }
  if (typeof rec.atUs === 'number') out.atUs = rec.atUs;
  for (const field of [...need, ...(kind === 'clientAck' && rec.node !== undefined ? ['node'] : [])]) {
    const v = rec[field];
    if (field === 'node' || field === 'digest') {
      if (typeof v !== 'string' && typeof v !== 'number') fail(field, `expected "${field}" (a string) on ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} event`);
      out[field] = String(v);
    } else {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(field, `expected "${field}" (a non-negative integer) on ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} event; got ${JSON.stringify(v ?? null)}`);
      out[field] = v;
    }
  }
  return out as unknown as ZabEvent;
}

/** Reads JSON Lines ZAB events; the position among events is the default `eventIndex`. */
export function readZabEvents(text: string): ZabEvent[] {
  const events: ZabEvent[] = [];
  text.split('\n').forEach((row, i) => {
    if (row.trim() === '') return;
    const rec = parseJsonRow(row, i + 1, '{"kind":"apply","node":"n1","zxid":4294967297,"digest":"ab12"}');
    events.push(toZabEvent(rec, events.length, i + 1, (field) => jsonFieldColumn(row, field)));
  });
  return events;
}
