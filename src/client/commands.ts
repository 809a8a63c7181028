/**
 * What a harness (a workload, a recipe, a test) asks a client to do, and how each command
 * becomes a wire request. A command is shaped like the `invoke` it produces in the history:
 * `f` names the operation and `value` holds its arguments, so `{f: 'setData', value: {path,
 * data, version}}` is recorded as exactly that. Data is text (UTF-8 on the wire) or null.
 */
import { AddWatchMode, type ClientRequest, CreateFlags, type CreateRequest, type MultiOpRequest, WatcherType } from '../engine/request/types.ts';
import { OPEN_ACL, copyAcl } from '../engine/tree/acl.ts';

/** A create mode by its ZooKeeper name. TTL modes are left out: 3.8.0 refuses them by default. */
export type CreateModeName = 'PERSISTENT' | 'EPHEMERAL' | 'PERSISTENT_SEQUENTIAL' | 'EPHEMERAL_SEQUENTIAL' | 'CONTAINER';

/** One op of a multi command. */
export type MultiCommandOp =
  | { op: 'create'; path: string; data?: string | null; mode?: CreateModeName }
  | { op: 'delete'; path: string; version?: number }
  | { op: 'setData'; path: string; data: string | null; version?: number }
  | { op: 'check'; path: string; version: number };

/** A client command. `version` defaults to −1 (any), `data` to null, `watch` to false. */
export type ClientCommand =
  | { f: 'create'; value: { path: string; data?: string | null; mode?: CreateModeName } }
  | { f: 'delete'; value: { path: string; version?: number } }
  | { f: 'setData'; value: { path: string; data: string | null; version?: number } }
  | { f: 'getData' | 'exists' | 'getChildren'; value: { path: string; watch?: boolean } }
  | { f: 'sync'; value: { path: string } }
  | { f: 'multi'; value: { ops: MultiCommandOp[] } }
  | { f: 'addWatch'; value: { path: string; mode: keyof typeof AddWatchMode } }
  | { f: 'removeWatches'; value: { path: string; watcherType: keyof typeof WatcherType } }
  | { f: 'getEphemerals'; value: { path: string } }
  | { f: 'getAllChildrenNumber'; value: { path: string } }
  /** closeSession: ends the session (its ephemerals go) and then the client. */
  | { f: 'close'; value: null };

/** The operation names a command can carry. */
export type CommandName = ClientCommand['f'];

const COMMAND_NAMES: ReadonlySet<string> = new Set([
  'create',
  'delete',
  'setData',
  'getData',
  'exists',
  'getChildren',
  'sync',
  'multi',
  'addWatch',
  'removeWatches',
  'getEphemerals',
  'getAllChildrenNumber',
  'close',
]);

/** Narrowing guard for a harness input (shape of `f` and `value` only; paths are the server's business). */
export function isClientCommand(x: unknown): x is ClientCommand {
  if (typeof x !== 'object' || x === null) return false;
  const { f, value } = x as { f?: unknown; value?: unknown };
  if (typeof f !== 'string' || !COMMAND_NAMES.has(f)) return false;
  if (f === 'close') return value === null || value === undefined;
  return typeof value === 'object' && value !== null;
}

/**
 * Whether the command changes server state, so that losing its reply leaves it indeterminate.
 * closeSession counts: a lost reply leaves the session either closed or alive.
 */
export function isWriteCommand(f: CommandName): boolean {
  return f === 'create' || f === 'delete' || f === 'setData' || f === 'multi' || f === 'close';
}

/**
 * The `value` of a command's invoke: its arguments, plus `sequential: true` on a sequential
 * create, which is how the ZooKeeper checker's znode model recognises (and refuses) those.
 */
export function invokeValue(cmd: ClientCommand): unknown {
  if (cmd.f === 'create' && (cmd.value.mode === 'PERSISTENT_SEQUENTIAL' || cmd.value.mode === 'EPHEMERAL_SEQUENTIAL')) {
    return { ...cmd.value, sequential: true };
  }
  return cmd.value ?? null;
}

const encoder = new TextEncoder();

/** Strings up to this many chars take the ASCII path below (a small Uint8Array lives on the JS heap). */
const SHORT_DATA_CHARS = 64;

/** UTF-8 bytes of command data; null stays null (ZooKeeper keeps the two distinct). */
export function dataBytes(data: string | null | undefined): Uint8Array | null {
  if (data === null || data === undefined) return null;
  // Most workload values are short ASCII (counters, ids). TextEncoder hands every result its own
  // off-heap buffer, which costs more than the copy; ASCII is its own UTF-8, byte for byte.
  const n = data.length;
  if (n > SHORT_DATA_CHARS) return encoder.encode(data);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const code = data.charCodeAt(i);
    if (code >= 0x80) return encoder.encode(data);
    out[i] = code;
  }
  return out;
}

function createRequest(path: string, data: string | null | undefined, mode: CreateModeName | undefined, inMulti: boolean): CreateRequest {
  const flags = CreateFlags[mode ?? 'PERSISTENT'];
  const base = { path, data: dataBytes(data), acl: copyAcl(OPEN_ACL), flags };
  // As the Java client: containers use createContainer; otherwise create2 (stat in the
  // reply), except inside a multi, where it sends plain create.
  if (mode === 'CONTAINER') return { op: 'createContainer', ...base };
  return { op: inMulti ? 'create' : 'create2', ...base };
}

function multiOpRequest(op: MultiCommandOp): MultiOpRequest {
  switch (op.op) {
    case 'create':
      return createRequest(op.path, op.data, op.mode, true);
    case 'delete':
      return { op: 'delete', path: op.path, version: op.version ?? -1 };
    case 'setData':
      return { op: 'setData', path: op.path, data: dataBytes(op.data), version: op.version ?? -1 };
    case 'check':
      return { op: 'check', path: op.path, version: op.version };
  }
}

/** The wire request for a command. */
export function requestOf(cmd: ClientCommand): ClientRequest {
  switch (cmd.f) {
    case 'create':
      return createRequest(cmd.value.path, cmd.value.data, cmd.value.mode, false);
    case 'delete':
      return { op: 'delete', path: cmd.value.path, version: cmd.value.version ?? -1 };
    case 'setData':
      return { op: 'setData', path: cmd.value.path, data: dataBytes(cmd.value.data), version: cmd.value.version ?? -1 };
    case 'getData':
    case 'exists':
    case 'getChildren':
      return { op: cmd.f, path: cmd.value.path, watch: cmd.value.watch ?? false };
    case 'sync':
      return { op: 'sync', path: cmd.value.path };
    case 'multi':
      return { op: 'multi', ops: cmd.value.ops.map(multiOpRequest) };
    case 'addWatch':
      return { op: 'addWatch', path: cmd.value.path, mode: AddWatchMode[cmd.value.mode] };
    case 'removeWatches':
      return { op: 'removeWatches', path: cmd.value.path, watcherType: WatcherType[cmd.value.watcherType] };
    case 'getEphemerals':
      return { op: 'getEphemerals', prefixPath: cmd.value.path };
    case 'getAllChildrenNumber':
      return { op: 'getAllChildrenNumber', path: cmd.value.path };
    case 'close':
      return { op: 'closeSession' };
  }
}
