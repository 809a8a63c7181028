/** Read-only view of simulated time, passed to anything that needs "now". Integer microseconds. */
export interface Clock {
  nowUs(): number;
}

/** Microseconds per millisecond, so conversions are named rather than written as 1000. */
export const US_PER_MS = 1000;

/** Converts milliseconds to integer microseconds. */
export function msToUs(ms: number): number {
  return Math.round(ms * US_PER_MS);
}

/** Converts integer microseconds to (possibly fractional) milliseconds for display. */
export function usToMs(us: number): number {
  return us / US_PER_MS;
}
