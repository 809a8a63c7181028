import { validateLatency, type LatencyModel } from './latency.ts';

/** Behaviour of one directed link. Probabilities are integer per-mille. */
export interface LinkConfig {
  latency: LatencyModel;
  /** A lost segment resets the TCP-like connection it was on. */
  lossPerMille: number;
  /** Explicit fault: deliver a second copy of a message (breaks TCP's guarantees on purpose). */
  duplicatePerMille: number;
  /** Explicit fault: let a message bypass FIFO order within its connection. */
  reorderPerMille: number;
}

/** Why a directed link is currently cut. Several reasons may hold at once. */
export type BlockReason = 'partition' | 'clog';

/**
 * The table of directed links between endpoints (by dense index): their configuration and
 * whether they are cut. A partition is a set of cut links computed from groups; a clog cuts one
 * directed link by hand. Messages on a cut link are held, not lost, as TCP would retransmit them.
 */
export class LinkTable {
  private size = 0;
  private partitionCut = new Uint8Array(0);
  private clogCut = new Uint8Array(0);
  private overrides: (LinkConfig | undefined)[] = [];

  constructor(public defaultConfig: LinkConfig) {
    validateLinkConfig(defaultConfig);
  }

  /** Grows the table to hold `n` endpoints. */
  ensureSize(n: number): void {
    if (n <= this.size) return;
    const grow = (old: Uint8Array) => {
      const next = new Uint8Array(n * n);
      for (let i = 0; i < this.size; i++) next.set(old.subarray(i * this.size, (i + 1) * this.size), i * n);
      return next;
    };
    this.partitionCut = grow(this.partitionCut);
    this.clogCut = grow(this.clogCut);
    const overrides: (LinkConfig | undefined)[] = new Array(n * n).fill(undefined);
    for (let i = 0; i < this.size; i++) for (let j = 0; j < this.size; j++) overrides[i * n + j] = this.overrides[i * this.size + j];
    this.overrides = overrides;
    this.size = n;
  }

  /** True when messages from `from` to `to` cannot currently pass. */
  isBlocked(from: number, to: number): boolean {
    const k = from * this.size + to;
    return this.partitionCut[k] === 1 || this.clogCut[k] === 1;
  }

  config(from: number, to: number): LinkConfig {
    return this.overrides[from * this.size + to] ?? this.defaultConfig;
  }

  /** Overrides part of one directed link's configuration. */
  configure(from: number, to: number, patch: Partial<LinkConfig>): void {
    const next = { ...this.config(from, to), ...patch };
    validateLinkConfig(next);
    this.overrides[from * this.size + to] = next;
  }

  /** Drops every per-link override. */
  resetConfigs(): void {
    this.overrides.fill(undefined);
  }

  /**
   * Cuts every link between different groups (both directions). Endpoints in no group keep
   * all their links. Replaces any previous partition.
   */
  partition(groups: readonly (readonly number[])[]): void {
    this.partitionCut.fill(0);
    const groupOf = new Int32Array(this.size).fill(-1);
    groups.forEach((g, gi) => g.forEach((e) => (groupOf[e] = gi)));
    for (let i = 0; i < this.size; i++) {
      for (let j = 0; j < this.size; j++) {
        if (groupOf[i]! >= 0 && groupOf[j]! >= 0 && groupOf[i] !== groupOf[j]) this.partitionCut[i * this.size + j] = 1;
      }
    }
  }

  /** Cuts links one way only: nothing from `from` reaches `to` (replies still flow). */
  partitionOneWay(from: readonly number[], to: readonly number[]): void {
    for (const i of from) for (const j of to) if (i !== j) this.partitionCut[i * this.size + j] = 1;
  }

  /** Removes every partition cut (clogs stay). */
  heal(): void {
    this.partitionCut.fill(0);
  }

  /** Holds messages on one directed link until `unclog`. */
  clog(from: number, to: number): void {
    this.clogCut[from * this.size + to] = 1;
  }

  unclog(from: number, to: number): void {
    this.clogCut[from * this.size + to] = 0;
  }
}

/** Throws a RangeError naming the first invalid field of a link configuration. */
export function validateLinkConfig(c: LinkConfig): void {
  validateLatency(c.latency);
  for (const key of ['lossPerMille', 'duplicatePerMille', 'reorderPerMille'] as const) {
    const v = c[key];
    if (!Number.isInteger(v) || v < 0 || v > 1000) throw new RangeError(`${key} must be an integer 0..1000, got ${v}`);
  }
}
