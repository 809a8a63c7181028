import { RawStream, TWO_POW_32, canonicalSeed, type Seed } from './rng.ts';
import type { Tape } from './tape.ts';

/** Below this a value fits V8's small-integer representation (31 bits with pointer compression). */
const SMALL_INT = 2 ** 30;

/**
 * One named source of choices. Every nondeterministic decision in the simulator (a latency, a
 * drop, which fault, a node's jitter) is a call on some stream. A stream either draws from its
 * seeded generator or, when replaying, reads the next value from the tape; either way the value
 * can be recorded, so the run can be replayed or shrunk later.
 */
export class ChoiceStream {
  private cursor = 0;

  constructor(
    readonly name: string,
    private readonly raw: RawStream,
    private readonly replay: readonly number[] | undefined,
    private readonly record: number[] | undefined,
  ) {}

  /** Uniform integer in [0, n); 1 ≤ n ≤ 2^32. A replayed value out of range is reduced mod n. */
  int(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || !Number.isInteger(n)) throw new RangeError(`choice range must be 1..2^32, got ${n}`);
    let v: number;
    const replay = this.replay;
    if (replay !== undefined && this.cursor < replay.length) {
      v = replay[this.cursor++]! % n;
    } else {
      v = this.raw.below(n);
    }
    // The draw is computed in floating point (from a 32-bit word), so a small result is a boxed
    // double. Returned as is, it makes every time built from it (a latency, a timer) a double,
    // and V8 then stores event and clock times as boxed doubles and allocates a box at every
    // call that passes one on. The same value as a small integer keeps them unboxed.
    if (v < SMALL_INT) v |= 0;
    if (this.record !== undefined) this.record.push(v);
    return v;
  }

  /** Uniform integer in [min, max], inclusive. */
  range(min: number, max: number): number {
    if (max < min) throw new RangeError(`empty range [${min}, ${max}]`);
    return min + this.int(max - min + 1);
  }

  /** True with probability perMille/1000 (integer ratios: no float thresholds to drift). */
  chance(perMille: number): boolean {
    if (perMille <= 0) return false;
    if (perMille >= 1000) return true;
    return this.int(1000) < perMille;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError(`pick from an empty list (stream ${this.name})`);
    return items[this.int(items.length)]!;
  }

  /** A uniform fraction in (0, 1), from one 32-bit choice, for continuous distributions. */
  fraction(): number {
    return (this.int(TWO_POW_32) + 0.5) / TWO_POW_32;
  }

  /** Fisher–Yates shuffle of a copy of `items`. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }
}

/** Options for a choice source. */
export interface ChoicesOptions {
  /** Record every choice so the run can be replayed from a tape (default true). */
  record?: boolean;
  /** Replay these values first; a stream whose tape runs out continues from its generator. */
  replay?: Tape;
}

/**
 * The one choice API: named streams derived from (seed, name). Streams are created lazily and
 * cached, so asking for "network" twice gives the same stream.
 */
export class Choices {
  readonly seed: string;
  private readonly streams = new Map<string, ChoiceStream>();
  private readonly recorded: Record<string, number[]> | undefined;
  private readonly replay: Tape | undefined;

  constructor(seed: Seed, options: ChoicesOptions = {}) {
    this.seed = canonicalSeed(seed);
    this.recorded = options.record === false ? undefined : {};
    this.replay = options.replay;
    if (this.replay !== undefined && this.replay.seed !== this.seed) {
      throw new Error(`tape was recorded with seed ${this.replay.seed}, not ${this.seed}`);
    }
  }

  /** The stream for one concern, e.g. "network", "disk", "faults", "workload", "node/n1". */
  stream(name: string): ChoiceStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      let record: number[] | undefined;
      if (this.recorded !== undefined) {
        record = [];
        this.recorded[name] = record;
      }
      s = new ChoiceStream(name, new RawStream(this.seed, name), this.replay?.streams[name], record);
      this.streams.set(name, s);
    }
    return s;
  }

  /** The tape of everything drawn so far (undefined when recording is off). */
  tape(): Tape | undefined {
    if (this.recorded === undefined) return undefined;
    return { version: 1, seed: this.seed, streams: this.recorded };
  }
}
