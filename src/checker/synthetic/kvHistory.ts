/**
 * Synthetic key-value histories, generated deterministically from a seed, for benchmarks and
 * tests that need histories far bigger than anyone would write by hand.
 *
 * Method: every client issues operations one after another (think time, then a call that lasts
 * a random latency). Each operation takes effect at a linearization point inside its interval;
 * replaying all operations in linearization-point order through a plain map gives every read its
 * result. The history is therefore linearizable by construction, however concurrent it is.
 *
 * Faults planted on request make it not linearizable, provably: a *stale read* returns the value a
 * key had before a write that completed before the read was invoked. Values are unique (puts
 * write fresh integers, appends add fresh tokens), so no later state can explain it.
 *
 * A write may end `info` (the client timed out): it then takes effect at its point or never, and
 * the client carries on under a new process id, as Jepsen clients do after a crash.
 */
import type { HistoryOp } from '../history/op.ts';
import { prng } from './prng.ts';

/** Parameters of a generated history. Probabilities are integer per-mille ratios. */
export interface KvHistorySpec {
  seed: number;
  clients: number;
  /** Operations per client (the history has `clients * opsPerClient` operations). */
  opsPerClient: number;
  keys: number;
  /** Share of reads (`get`); the rest are writes. */
  readPerMille: number;
  /** Share of writes that are `append` (string tokens) rather than `put` (fresh integers). */
  appendPerMille: number;
  /** Share of writes that end `info` (outcome unknown); half of those never take effect. */
  infoPerMille: number;
  /** Share of reads that return a stale value when one exists (0 for a correct history). */
  staleReadPerMille: number;
  /** Latency of an operation in time units: 1..latencyMax. */
  latencyMax: number;
  /** Pause between a client's operations: 1..thinkMax. */
  thinkMax: number;
}

/** What was generated, besides the events. */
export interface KvHistory {
  events: HistoryOp[];
  operations: number;
  /** Stale reads planted (each one alone makes the history non-linearizable). */
  staleReads: number;
  /** Keys that received a stale read, sorted. */
  staleKeys: string[];
}

const GET = 0;
const PUT = 1;
const APPEND = 2;
const F = ['get', 'put', 'append'];

/**
 * The generated operations as parallel arrays (a million-op history stays compact). `lp` is the
 * linearization point, -1 for an info write that never takes effect; `ret` is -1 for an info
 * write (it has no completion event).
 */
interface GenOps {
  n: number;
  process: Int32Array;
  kind: Uint8Array;
  key: Int32Array;
  call: Float64Array;
  lp: Float64Array;
  ret: Float64Array;
  /** Put value or append token. */
  arg: (number | string)[];
  /** A read's result. */
  out: unknown[];
}

/** Generates a history; the same spec always gives the same events. */
export function generateKvHistory(spec: KvHistorySpec): KvHistory {
  const ops = scheduleOps(spec);
  const { staleReads, staleKeys } = resolveReads(ops, spec);
  return { events: toEvents(ops, spec.keys), operations: ops.n, staleReads, staleKeys: [...staleKeys].sort() };
}

/** Draws every client's operations with their intervals and linearization points. */
function scheduleOps(spec: KvHistorySpec): GenOps {
  const rand = prng(spec.seed);
  const n = spec.clients * spec.opsPerClient;
  const ops: GenOps = {
    n,
    process: new Int32Array(n),
    kind: new Uint8Array(n),
    key: new Int32Array(n),
    call: new Float64Array(n),
    lp: new Float64Array(n),
    ret: new Float64Array(n),
    arg: new Array<number | string>(n),
    out: new Array<unknown>(n),
  };
  let nextValue = 1;
  let o = 0;
  for (let c = 0; c < spec.clients; c++) {
    let process = c;
    let t = rand(spec.thinkMax) + 1;
    for (let i = 0; i < spec.opsPerClient; i++, o++) {
      const latency = rand(spec.latencyMax) + 1;
      const read = rand(1000) < spec.readPerMille;
      const kind = read ? GET : rand(1000) < spec.appendPerMille ? APPEND : PUT;
      const info = !read && rand(1000) < spec.infoPerMille;
      ops.process[o] = process;
      ops.kind[o] = kind;
      ops.call[o] = t;
      ops.lp[o] = info && rand(2) === 0 ? -1 : t + rand(latency + 1);
      ops.ret[o] = info ? -1 : t + latency;
      ops.arg[o] = kind === APPEND ? `x${process}.${i} ` : kind === PUT ? nextValue++ : 0;
      ops.key[o] = rand(spec.keys);
      t += latency + 1 + rand(spec.thinkMax);
      // A client whose op timed out continues under a fresh process id.
      if (info) process += spec.clients;
    }
  }
  return ops;
}

/**
 * Applies operations in linearization-point order; reads get their results, and a chosen few a
 * provably stale one: value v is stale for a read when some definite write W' of the key began
 * after v's writer completed and itself completed before the read began. Every order must then
 * put v's writer, W' and the read in that order, and v, being unique, cannot come back.
 */
function resolveReads(ops: GenOps, spec: KvHistorySpec): { staleReads: number; staleKeys: Set<string> } {
  const rand = prng(spec.seed ^ 0x5bd1e995);
  const { kind, key, call, lp, ret, arg, out } = ops;
  const order: number[] = [];
  for (let i = 0; i < ops.n; i++) if (lp[i]! >= 0) order.push(i);
  order.sort((a, b) => lp[a]! - lp[b]! || (kind[a] === GET ? 1 : 0) - (kind[b] === GET ? 1 : 0) || a - b);
  // Per key: every value it has held, the completion time of the write that produced it (-1 for
  // the initial value, Infinity for an info write), and the definite writes applied so far.
  const values: unknown[][] = Array.from({ length: spec.keys }, () => ['']);
  const writerRet: number[][] = Array.from({ length: spec.keys }, () => [-1]);
  const writes: number[][] = Array.from({ length: spec.keys }, () => []);
  const staleKeys = new Set<string>();
  let staleReads = 0;
  for (const i of order) {
    const k = key[i]!;
    const vs = values[k]!;
    const current = vs[vs.length - 1];
    if (kind[i] !== GET) {
      vs.push(kind[i] === PUT ? arg[i] : `${typeof current === 'string' ? current : ''}${arg[i] as string}`);
      writerRet[k]!.push(ret[i]! < 0 ? Infinity : ret[i]!);
      if (ret[i]! >= 0) writes[k]!.push(i);
      continue;
    }
    out[i] = current;
    if (spec.staleReadPerMille === 0 || rand(1000) >= spec.staleReadPerMille) continue;
    let latestCall = -1;
    for (const w of writes[k]!) if (ret[w]! < call[i]! && call[w]! > latestCall) latestCall = call[w]!;
    const rets = writerRet[k]!;
    for (let v = vs.length - 2; v >= 0; v--) {
      if (rets[v]! < latestCall) {
        out[i] = vs[v];
        staleReads++;
        staleKeys.add(String(k));
        break;
      }
    }
  }
  return { staleReads, staleKeys };
}

/** Turns operations into invoke/completion events sorted by time (invokes first on ties). */
function toEvents(ops: GenOps, keys: number): HistoryOp[] {
  const { process, kind, key, call, ret, arg, out } = ops;
  let count = 0;
  for (let i = 0; i < ops.n; i++) count += ret[i]! >= 0 ? 2 : 1;
  const slots = new Int32Array(count);
  for (let i = 0, j = 0; i < ops.n; i++) {
    slots[j++] = i * 2;
    if (ret[i]! >= 0) slots[j++] = i * 2 + 1;
  }
  const time = (s: number): number => (s & 1 ? ret[s >> 1]! : call[s >> 1]!);
  slots.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
  const keyNames = Array.from({ length: keys }, (_, k) => String(k));
  const events: HistoryOp[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const s = slots[index]!;
    const i = s >> 1;
    const isGet = kind[i] === GET;
    events[index] =
      (s & 1) === 0
        ? { index, type: 'invoke', process: process[i]!, f: F[kind[i]!]!, key: keyNames[key[i]!]!, value: isGet ? null : arg[i], time: call[i]! }
        : { index, type: 'ok', process: process[i]!, f: F[kind[i]!]!, key: keyNames[key[i]!]!, value: isGet ? out[i] : arg[i], time: ret[i]! };
  }
  return events;
}
