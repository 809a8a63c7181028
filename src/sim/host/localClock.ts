const PPM = 1_000_000;

/**
 * A node's own clock: the global virtual time plus an offset and a drift rate (parts per
 * million). Timers a node sets are in its own time, so a fast clock fires them early.
 */
export class LocalClock {
  private anchorGlobalUs = 0;
  private anchorLocalUs = 0;
  private driftPpm = 0;

  /** Local time at global time `globalUs`. */
  localUs(globalUs: number): number {
    // Asked on every step; without drift the scaling is the identity (and exact at any time).
    if (this.driftPpm === 0) return this.anchorLocalUs + (globalUs - this.anchorGlobalUs);
    return this.anchorLocalUs + Math.floor(((globalUs - this.anchorGlobalUs) * (PPM + this.driftPpm)) / PPM);
  }

  /** Global delay that corresponds to `localDelayUs` of this clock. */
  globalDelayUs(localDelayUs: number): number {
    if (this.driftPpm === 0) return localDelayUs;
    return Math.ceil((localDelayUs * PPM) / (PPM + this.driftPpm));
  }

  /** Jumps the clock by `deltaUs` (positive or negative) at global time `globalUs`. */
  shift(globalUs: number, deltaUs: number): void {
    this.reanchor(globalUs);
    this.anchorLocalUs += deltaUs;
  }

  /** Sets the drift rate from now on; > -1,000,000 ppm so time still moves forward. */
  setDrift(globalUs: number, driftPpm: number): void {
    if (!Number.isInteger(driftPpm) || driftPpm <= -PPM) throw new RangeError(`drift must be an integer > -1e6 ppm, got ${driftPpm}`);
    this.reanchor(globalUs);
    this.driftPpm = driftPpm;
  }

  /** Offset from global time right now (for the trace and reports). */
  offsetUs(globalUs: number): number {
    return this.localUs(globalUs) - globalUs;
  }

  private reanchor(globalUs: number): void {
    this.anchorLocalUs = this.localUs(globalUs);
    this.anchorGlobalUs = globalUs;
  }
}
