/**
 * How busy the machine's memory system is right now, so that a throughput figure can be read
 * in context. On a shared VM, other tenants' memory traffic comes and goes over seconds; the
 * simulator, which allocates and touches a lot of memory per event, then runs up to ~1.4×
 * slower, while pure arithmetic does not slow down at all. The probe times one pass of each.
 */

/** One probe reading, in milliseconds. */
export interface ProbeReading {
  /** Two strided read-modify-write passes over 32 MiB (one access per 64-byte line): sensitive to contention. */
  memoryMs: number;
  /** A tight integer loop that stays in registers: insensitive to it. */
  computeMs: number;
}

const LINES = 4_000_000 / 8;
let buffer: Float64Array | undefined;

function memoryPass(): number {
  const a = (buffer ??= new Float64Array(LINES * 8));
  let s = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < a.length; i += 8) {
      a[i]! += i;
      s += a[i]!;
    }
  }
  return s;
}

function computePass(): number {
  let x = 0;
  for (let i = 0; i < 3_000_000; i++) x = (x * 31 + i) | 0;
  return x;
}

/** Times one memory pass and one compute pass (the first call also allocates the buffer). */
export function probeMachine(): ProbeReading {
  const t0 = performance.now();
  const m = memoryPass();
  const t1 = performance.now();
  const c = computePass();
  const t2 = performance.now();
  // Keep both results observable so neither loop can be optimised away.
  if (m === -1 && c === -1) console.log('');
  return { memoryMs: t1 - t0, computeMs: t2 - t1 };
}
