/** A small, quick zab-system run for tests: 3 servers, 3 register clients, no faults. */
import type { ZabSystemParams } from '../../src/run/systems/zabSystem.ts';
import { executeRun, type RunOutcome } from '../../src/run/execute.ts';

export function zabParams(over: Partial<ZabSystemParams> = {}): ZabSystemParams {
  return {
    cluster: { servers: 3, observers: [], tickTimeMs: 2000, initLimit: 10, syncLimit: 5, snapCount: 100_000 },
    clients: { count: 3, sessionTimeoutMs: 10_000, requestTimeoutMs: 4_000 },
    workload: { kind: 'register', params: {} },
    workloadStopMs: 5_000,
    checks: { zookeeper: true, zab: true, recipe: true, maxSteps: 1_000_000 },
    mutations: [],
    faults: [],
    groups: {},
    keepQuorum: false,
    ...over,
  };
}

/** Runs the zab system for `durationMs` of virtual time. */
export function runZab(params: ZabSystemParams, seed: string | number, durationMs = 7_000): Promise<RunOutcome> {
  return executeRun({ system: { builtin: 'zab' }, params, seed: String(seed), durationUs: durationMs * 1000 }, { traceLevel: 'hash' });
}
