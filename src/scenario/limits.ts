/**
 * The largest values a scenario may ask for, and the smallest period. Without them a typo
 * (`durationMs: 1e12`, `everyMs: 0.0001`, `count: 1e9`) is accepted and the run then hangs or
 * dies deep in the simulator; with them it is refused at load, pointing at its line. Each
 * maximum is far above any useful value; the reasons are in docs/scenarios.md ("Limits").
 */
import { z } from 'zod';

/**
 * Longest virtual time a run or any time in it may name: one hour. A five-server ensemble
 * simulates about 10x faster than real time, so an hour is minutes of wall time; more
 * coverage comes from more seeds, not longer runs.
 */
export const MAX_RUN_MS = 3_600_000;
/** Shortest period of a repeating trigger or timer: a sub-ms period rounds towards 0 µs, which never advances time. */
export const MIN_PERIOD_MS = 1;
/** ZooKeeper's tickTime: deployments use 2 s; a minute-long tick leaves no timeout to see within a run. */
export const MAX_TICK_TIME_MS = 60_000;
/** initLimit and syncLimit, in ticks (ZooKeeper's defaults are 10 and 5). */
export const MAX_LIMIT_TICKS = 1_000;
/** One message's latency: a minute is already a partition. */
export const MAX_LATENCY_US = 60_000_000;
/** Faults one swarm entry may draw: each is scheduled up front, before the run starts. */
export const MAX_SWARM_FAULTS = 1_000;
/** Search steps a check may spend per history (the default is 2,000,000). */
export const MAX_CHECK_STEPS = 1_000_000_000;

const limitNote = 'see "Limits" in docs/scenarios.md';

/** A point in or length of virtual time, in ms: 0 to {@link MAX_RUN_MS}. */
export const timeMs = z.number().nonnegative('expected a time of at least 0 ms').max(MAX_RUN_MS, `expected at most ${MAX_RUN_MS} ms (1 h of virtual time; ${limitNote})`);
/** A length of virtual time that must not be 0. */
export const positiveTimeMs = timeMs.positive();
/** A period: at least {@link MIN_PERIOD_MS}. */
export const periodMs = z.number().min(MIN_PERIOD_MS, `expected a period of at least ${MIN_PERIOD_MS} ms (a shorter one rounds towards 0 µs)`).max(MAX_RUN_MS, `expected at most ${MAX_RUN_MS} ms (1 h of virtual time)`);
/**
 * An outage or a fault's length until it is undone: at least {@link MIN_PERIOD_MS}, because a
 * server restarted in the instant it crashed can re-trigger its own crash (`when: {phase:
 * LOOKING}`) again and again without virtual time ever advancing.
 */
export const outageMs = z.number().min(MIN_PERIOD_MS, `expected at least ${MIN_PERIOD_MS} ms (a shorter outage rounds towards 0 µs)`).max(MAX_RUN_MS, `expected at most ${MAX_RUN_MS} ms (1 h of virtual time)`);
/** A latency in µs. */
export const latencyUs = z.number().int().nonnegative().max(MAX_LATENCY_US, `expected at most ${MAX_LATENCY_US} µs (a minute per message; ${limitNote})`);
