import type { Simulation } from '../sim/simulation.ts';

/** What a system reports when its run ends: anything it found wrong, in plain sentences. */
export interface SystemOutcome {
  violations: string[];
  /** Free-form figures for the summary (counts, rates). */
  stats: Record<string, number>;
}

/**
 * Something the kernel can run: it adds processes to a simulation and schedules what it needs.
 * `setup` must be deterministic given the simulation (its seed) and the params.
 */
export interface SystemDefinition {
  readonly name: string;
  setup(sim: Simulation, params: unknown): { finish(): SystemOutcome };
}

/** Which system a run uses: a built-in one by name, or one exported by a module (tests). */
export type SystemRef = { builtin: string } | { module: string; export: string };
