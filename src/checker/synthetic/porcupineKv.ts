/**
 * Key-value histories in Porcupine's kv text format (`c50-ok.txt` style), generated from a seed,
 * so that zabsim and Porcupine can be timed on the same files without shipping Porcupine's own.
 *
 * Shape, as in Porcupine's published kv files: one EDN map per line,
 * `{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}`; `:f` is get, put or
 * append; keys are "0".."9"; a get is invoked with `:value nil` and completes with a string; every
 * operation completes `:ok` (no `:fail`, no `:info`). Each client reissues as soon as its last
 * operation returned, so nearly every client always has one operation open, and a few operations
 * are very slow (a heavy latency tail), which is what makes the search hard.
 *
 * Method: each operation takes effect at a linearization point inside its interval; replaying the
 * operations in that order through a map of strings gives every get its result, so the history is
 * linearizable by construction. Written values are unique tokens `x <process> <n> y`, so a key's
 * string names the exact sequence of writes that made it.
 *
 * A "bad" history plants one *stale read* in each of `staleKeyCount` keys, at a random point of
 * the history: the get returns the value its key had before a write W' that began after that
 * value's writer completed and completed before the get began. Every order must put the writer,
 * W' and the get in that order, and with unique tokens no later state equals the old one, so each
 * planted read alone makes the history not linearizable.
 */
import { prng } from './prng.ts';

/** Parameters of a generated kv history. Probabilities are integer per-mille ratios. */
export interface PorcupineKvSpec {
  seed: number;
  clients: number;
  /** Clients issue operations until this time (in the generator's time units). */
  timeLimit: number;
  keys: number;
  /** Share of operations that are gets. */
  getPerMille: number;
  /** Share of writes that are puts (the rest are appends). */
  putPerMille: number;
  /** An ordinary operation lasts 1..latencyMax time units. */
  latencyMax: number;
  /** Share of operations that are slow: they last up to latencyMax << slowShiftMax. */
  slowPerMille: number;
  slowShiftMax: number;
  /** Keys that get one planted stale read each (0 for a linearizable history). */
  staleKeyCount: number;
}

/** A generated history as text, with what was planted in it. */
export interface PorcupineKvHistory {
  text: string;
  operations: number;
  /** Keys holding a planted stale read, sorted; empty for a linearizable history. */
  staleKeys: string[];
}

/**
 * The spec for Porcupine's file sizes: `c01`, `c10`, `c50` (1, 10 or 50 clients, 10 keys; c50 has
 * about 1,500–2,000 operations), linearizable (`ok`) or with a stale read planted in up to 8 of
 * the 10 keys (`bad`; a key gets one when a get past its chosen time can be made stale). One
 * client runs sequentially with no slow operations, as in Porcupine's c01 files.
 *
 * Operations take effect soon after they are invoked (within latencyMax) even when their reply is
 * slow, as in Porcupine's own files, where a slow write is usually seen by a get within the first
 * tenth of its interval. With the point drawn anywhere in a slow interval instead, some c50-ok
 * histories took Porcupine seconds rather than milliseconds.
 */
export function porcupineKvSpec(clients: number, variant: 'ok' | 'bad', seed: number): PorcupineKvSpec {
  const sequential = clients === 1;
  return {
    seed,
    clients,
    timeLimit: sequential ? 300 : 600,
    keys: 10,
    getPerMille: 450,
    putPerMille: 100,
    latencyMax: 6,
    slowPerMille: sequential ? 0 : 150,
    slowShiftMax: 7,
    staleKeyCount: variant === 'bad' ? 8 : 0,
  };
}

const GET = 0;
const PUT = 1;
const APPEND = 2;
const F = ['get', 'put', 'append'] as const;

/** One operation: its interval, linearization point, and what it wrote or read. */
interface Op {
  process: number;
  kind: number;
  key: number;
  call: number;
  lp: number;
  ret: number;
  /** The written token, or the get's result once resolved. */
  value: string;
}

/** Generates a history; the same spec always gives the same text. */
export function generatePorcupineKv(spec: PorcupineKvSpec): PorcupineKvHistory {
  const rand = prng(spec.seed);
  const ops = scheduleOps(spec, rand);
  const staleKeys = resolveGets(ops, spec, rand);
  return { text: toText(ops), operations: ops.length, staleKeys: staleKeys.map(String) };
}

/** Draws every client's operations back to back, each with its interval and linearization point. */
function scheduleOps(spec: PorcupineKvSpec, rand: (n: number) => number): Op[] {
  const ops: Op[] = [];
  for (let process = 0; process < spec.clients; process++) {
    let t = rand(spec.latencyMax);
    let written = 0;
    while (t < spec.timeLimit) {
      const slow = rand(1000) < spec.slowPerMille;
      const latency = 1 + rand(slow ? spec.latencyMax << (1 + rand(spec.slowShiftMax)) : spec.latencyMax);
      const kind = rand(1000) < spec.getPerMille ? GET : rand(1000) < spec.putPerMille ? PUT : APPEND;
      const value = kind === GET ? '' : `x ${process} ${written++} y`;
      ops.push({ process, kind, key: rand(spec.keys), call: t, lp: t + rand(Math.min(latency, spec.latencyMax) + 1), ret: t + latency, value });
      t += latency + 1;
    }
  }
  return ops;
}

/**
 * Replays writes in linearization-point order and gives each get the value current at its point,
 * except one get in each chosen key: the first one past a random time for which a provably stale
 * value exists (see the file comment) returns the freshest such value. Returns the keys planted.
 */
function resolveGets(ops: Op[], spec: PorcupineKvSpec, rand: (n: number) => number): number[] {
  const order = ops.map((_, i) => i);
  order.sort((a, b) => ops[a]!.lp - ops[b]!.lp || (ops[a]!.kind === GET ? 1 : 0) - (ops[b]!.kind === GET ? 1 : 0) || a - b);
  // Which keys get a stale read, and from what time on (between 20 % and 80 % of the time limit).
  const plantAfter = new Array<number>(spec.keys).fill(Infinity);
  const keys = Array.from({ length: spec.keys }, (_, k) => k);
  for (let n = 0; n < Math.min(spec.staleKeyCount, spec.keys); n++) {
    const k = keys.splice(rand(keys.length), 1)[0]!;
    plantAfter[k] = Math.floor((spec.timeLimit * (200 + rand(600))) / 1000);
  }
  // Per key: every value it has held and the completion time of the write that produced it (-1
  // for the initial ""), and the writes applied so far.
  const values: string[][] = Array.from({ length: spec.keys }, () => ['']);
  const writerRet: number[][] = Array.from({ length: spec.keys }, () => [-1]);
  const writes: Op[][] = Array.from({ length: spec.keys }, () => []);
  const planted: number[] = [];
  for (const i of order) {
    const op = ops[i]!;
    const vs = values[op.key]!;
    if (op.kind !== GET) {
      vs.push(op.kind === PUT ? op.value : vs[vs.length - 1]! + op.value);
      writerRet[op.key]!.push(op.ret);
      writes[op.key]!.push(op);
      continue;
    }
    op.value = vs[vs.length - 1]!;
    if (op.call < plantAfter[op.key]!) continue;
    const stale = staleValue(op, vs, writerRet[op.key]!, writes[op.key]!);
    if (stale === undefined) continue;
    op.value = stale;
    plantAfter[op.key] = Infinity;
    planted.push(op.key);
  }
  return planted.sort((a, b) => a - b);
}

/** The freshest value the get cannot have seen, or undefined when every value may still be current. */
function staleValue(get: Op, values: string[], writerRet: number[], writes: Op[]): string | undefined {
  let latestCall = -1;
  for (const w of writes) if (w.ret < get.call && w.call > latestCall) latestCall = w.call;
  for (let v = values.length - 2; v >= 0; v--) if (writerRet[v]! < latestCall) return values[v];
  return undefined;
}

/** Prints invoke and completion lines in time order (invokes first on ties: intervals are closed). */
function toText(ops: Op[]): string {
  const events: number[] = [];
  for (let i = 0; i < ops.length; i++) events.push(i * 2, i * 2 + 1);
  const time = (e: number): number => (e & 1 ? ops[e >> 1]!.ret : ops[e >> 1]!.call);
  events.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);
  const lines = events.map((e) => {
    const op = ops[e >> 1]!;
    const head = `{:process ${op.process}, :type :${e & 1 ? 'ok' : 'invoke'}, :f :${F[op.kind]!}, :key "${op.key}", :value `;
    return `${head}${op.kind === GET && (e & 1) === 0 ? 'nil' : `"${op.value}"`}}`;
  });
  return `${lines.join('\n')}\n`;
}
