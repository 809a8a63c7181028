/**
 * Kinds of trace events. Kernel kinds are fixed; a process adds its own protocol events under
 * `proto` (role changes, ZAB messages handled, ...), and faults and triggers under `fault`.
 */
export type TraceKind =
  | 'send' // a process handed a message to the network: data [connId, to, msgId, payload]
  | 'deliver' // the network delivered it: [connId, from, msgId]
  | 'drop' // a message was lost: [connId, to, msgId, reason]
  | 'hold' // a message is held by a partition or clog: [connId, to, msgId]
  | 'dup' // a duplicate copy was queued: [connId, to, msgId]
  | 'connect' // a process asked for a connection: [connId, to, tag]
  | 'accept' // the listener side of a new connection: [connId, from]
  | 'connected' // the initiator side is open: [connId, to]
  | 'connfail' // a connection attempt failed: [connId, to, reason]
  | 'close' // a process closed its end: [connId, peer]
  | 'disconnect' // a process learned its connection broke: [connId, peer, reason]
  | 'timer' // a timer fired: [timerId]
  | 'crash' // [mode]
  | 'start'
  | 'restart'
  | 'pause'
  | 'resume'
  | 'disk' // a disk operation: [op, file, bytes | length]
  | 'fsync' // an fsync began: [file, opId]
  | 'fsynced' // an fsync completed: [file, opId]
  | 'invoke' // a client invoked an operation: [process, f, value]
  | 'complete' // a client operation completed: [process, type, f, value]
  | 'proto' // a protocol event a process reported
  | 'fault' // a fault injector acted: [kind, details]
  | 'net'; // a network-wide change (partition, heal): [what, details]

/** One decoded trace event. `index` is its position in the trace. */
export interface TraceEvent {
  index: number;
  timeUs: number;
  kind: TraceKind;
  /** The endpoint (server or client) the event happened at, or "" for the world. */
  node: string;
  data: unknown;
}
