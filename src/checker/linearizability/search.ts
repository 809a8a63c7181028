/**
 * WGL search (Wing & Gong, with Lowe's memoisation) over one partition, as a resumable state
 * machine: `run(steps)` advances it by at most `steps` iterations, so a scheduler can interleave
 * partitions deterministically, stop at the first illegal one, and poll an injected deadline.
 *
 * The history is a doubly linked list of call and return entries sorted by time (calls before
 * returns at equal times: intervals are closed). The search walks the list; at a call it tries to
 * linearize that operation next (model step legal, configuration new): it then *lifts* the call and
 * its return out of the list and restarts from the head. Reaching a return means the operation
 * it belongs to can no longer be linearized before others complete, so the search backtracks.
 * Optional operations (`info` ones, and those a witness relaxed) may be left out: the search
 * succeeds once every definite operation is linearized, whatever is left of the optional ones.
 *
 * Entry ids: operation k has call entry 2k and return entry 2k+1; HEAD and TAIL are sentinels.
 */
import { ADDED, ConfigCache, LinearizedSet, OVER_MEMORY, type MemoryMeter } from './cache.ts';
import { mix32, type Model } from './model.ts';

/** An operation as the search sees it: prepared input and interval. */
export interface SearchOp<I> {
  input: I;
  call: number;
  /** `Infinity` for an operation that never completed (`info`). */
  ret: number;
  /**
   * May be left out of the linearization (the operation may never have happened). If it happened,
   * it happened within [call, ret]: an optional operation with a finite `ret` (one a witness
   * relaxed) is skipped, not waited for, when the walk passes its return.
   */
  optional: boolean;
}

/** Outcome of one `run` slice. */
export type SliceResult = 'ok' | 'illegal' | 'paused' | 'memory';

/** Resumable WGL search over one partition. */
export class PartitionSearch<S, I> {
  /** Iterations done so far. */
  steps = 0;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;
  private readonly tail: number;
  private readonly linearized: LinearizedSet;
  private readonly opHash: Int32Array;
  private readonly inputs: I[];
  private readonly optional: Uint8Array;
  private readonly cache: ConfigCache<S>;
  private readonly stackEntry: Int32Array;
  private readonly stackState: S[];
  private sp = 0;
  private entry: number;
  private state: S;
  private bitsHash = 0;
  private remaining: number;
  private done: SliceResult | undefined;
  /** Deepest stack seen (by definite operations placed), when {@link trackLongest} was called. */
  private longest: { entries: Int32Array; state: S; definite: number } | undefined;
  private readonly definiteTotal: number;

  constructor(
    private readonly model: Model<S, I>,
    ops: readonly SearchOp<I>[],
    meter: MemoryMeter,
  ) {
    const n = ops.length;
    this.head = 2 * n;
    this.tail = 2 * n + 1;
    this.next = new Int32Array(2 * n + 2);
    this.prev = new Int32Array(2 * n + 2);
    this.inputs = ops.map((o) => o.input);
    this.optional = Uint8Array.from(ops, (o) => (o.optional ? 1 : 0));
    this.remaining = ops.reduce((c, o) => c + (o.optional ? 0 : 1), 0);
    this.definiteTotal = this.remaining;
    this.opHash = Int32Array.from(ops, (_, k) => mix32(k * 0x9e3779b1 + 0x632be5ab));
    this.linearized = new LinearizedSet(n);
    this.cache = new ConfigCache<S>((a, b) => model.equal(a, b), meter);
    this.stackEntry = new Int32Array(n);
    this.stackState = new Array<S>(n);
    this.linkSorted(ops);
    this.entry = this.next[this.head]!;
    this.state = model.init();
  }

  /** Builds the list in time order; calls sort before returns at equal times. */
  private linkSorted(ops: readonly SearchOp<I>[]): void {
    const entries = new Int32Array(2 * ops.length);
    for (let i = 0; i < entries.length; i++) entries[i] = i;
    const time = (e: number): number => (e & 1 ? ops[e >> 1]!.ret : ops[e >> 1]!.call);
    entries.sort((a, b) => {
      const ta = time(a);
      const tb = time(b);
      if (ta !== tb) return ta < tb ? -1 : 1;
      if ((a & 1) !== (b & 1)) return (a & 1) - (b & 1);
      return a - b;
    });
    let last = this.head;
    for (const e of entries) {
      this.next[last] = e;
      this.prev[e] = last;
      last = e;
    }
    this.next[last] = this.tail;
    this.prev[this.tail] = last;
    this.next[this.tail] = this.tail;
  }

  /** Advances the search by at most `maxSteps` iterations. */
  run(maxSteps: number): SliceResult {
    if (this.done !== undefined) return this.done;
    if (this.remaining === 0) return this.finish('ok');
    const { model, next, prev, linearized, opHash, inputs, optional, cache, stackEntry, stackState, tail } = this;
    let { entry, state, bitsHash, remaining, sp } = this;
    let steps = 0;
    let result: SliceResult = 'paused';
    while (steps < maxSteps) {
      steps++;
      if ((entry & 1) === 0 && entry !== tail) {
        const op = entry >> 1;
        const after = model.step(state, inputs[op]!);
        if (after !== undefined) {
          linearized.add(op);
          const h = bitsHash ^ opHash[op]!;
          const added = cache.add(linearized, (h ^ Math.imul(model.hash(after), 0x9e3779b1)) | 0, after);
          if (added === ADDED) {
            stackEntry[sp] = entry;
            stackState[sp] = state;
            sp++;
            state = after;
            bitsHash = h;
            this.lift(entry);
            if (optional[op] === 0 && --remaining === 0) {
              result = 'ok';
              break;
            }
            if (this.longest !== undefined && this.definiteTotal - remaining > this.longest.definite) {
              this.longest = { entries: stackEntry.slice(0, sp), state, definite: this.definiteTotal - remaining };
            }
            entry = next[this.head]!;
            continue;
          }
          linearized.delete(op);
          if (added === OVER_MEMORY) {
            result = 'memory';
            break;
          }
        }
        entry = next[entry]!;
        continue;
      }
      // The return of an optional operation not linearized yet: in this branch it never happened.
      // Record that decision like a linearization that keeps the state (odd stack entry), so that
      // the memo cache merges it with the branches where the operation did happen and left the
      // same state; a configuration seen before ends this branch.
      if (entry !== tail && optional[entry >> 1] === 1) {
        const op = entry >> 1;
        linearized.add(op);
        const h = bitsHash ^ opHash[op]!;
        const added = cache.add(linearized, (h ^ Math.imul(model.hash(state), 0x9e3779b1)) | 0, state);
        if (added === ADDED) {
          stackEntry[sp] = entry;
          stackState[sp] = state;
          sp++;
          bitsHash = h;
          this.lift(entry - 1);
          entry = next[this.head]!;
          continue;
        }
        linearized.delete(op);
        if (added === OVER_MEMORY) {
          result = 'memory';
          break;
        }
      }
      // A return (or the end of the list): backtrack to the last linearized call. A skip frame
      // (odd entry) was forced, so it has no alternative: undo it and keep backtracking.
      let resumed = false;
      while (sp > 0) {
        sp--;
        const top = stackEntry[sp]!;
        const e = top & ~1;
        const op = e >> 1;
        state = stackState[sp]!;
        stackState[sp] = undefined as S; // let the state be collected
        linearized.delete(op);
        bitsHash ^= opHash[op]!;
        if (optional[op] === 0) remaining++;
        // Unlift in the reverse order of lifting.
        const r = e + 1;
        next[prev[r]!] = r;
        prev[next[r]!] = r;
        next[prev[e]!] = e;
        prev[next[e]!] = e;
        if ((top & 1) === 0) {
          entry = next[e]!;
          resumed = true;
          break;
        }
      }
      if (!resumed) {
        result = 'illegal';
        break;
      }
    }
    this.steps += steps;
    Object.assign(this, { entry, state, bitsHash, remaining, sp });
    return result === 'paused' ? result : this.finish(result);
  }

  /** Takes call entry `call` and its return out of the list (undone in reverse when backtracking). */
  private lift(call: number): void {
    const { next, prev } = this;
    const r = call + 1;
    next[prev[call]!] = next[call]!;
    prev[next[call]!] = prev[call]!;
    next[prev[r]!] = next[r]!;
    prev[next[r]!] = prev[r]!;
  }

  /** The linearization found (local operation indexes in order); only valid after `ok`. */
  linearization(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.sp; i++) if ((this.stackEntry[i]! & 1) === 0) out.push(this.stackEntry[i]! >> 1);
    return out;
  }

  /**
   * Records the deepest partial linearization the search reaches (Porcupine's longest
   * linearizable prefix). Costs a stack copy at each new depth, so it is for small witnesses.
   */
  trackLongest(): void {
    this.longest = { entries: new Int32Array(0), state: this.state, definite: 0 };
  }

  /** The longest partial linearization seen: operations in order, the state after, definite count. */
  longestPrefix(): { order: number[]; state: S; definite: number } | undefined {
    const l = this.longest;
    if (l === undefined) return undefined;
    const order: number[] = [];
    for (const e of l.entries) if ((e & 1) === 0) order.push(e >> 1);
    return { order, state: l.state, definite: l.definite };
  }

  /** Configurations stored in the memo cache. */
  get cachedConfigurations(): number {
    return this.cache.count;
  }

  private finish(result: SliceResult): SliceResult {
    this.done = result;
    this.cache.release();
    return result;
  }
}
