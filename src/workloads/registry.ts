/** Workload kinds by the name a scenario's `workload.kind` uses. */
import { registerWorkload } from './register.ts';
import { configWatchWorkload } from './recipes/configWatch.ts';
import { queueWorkload } from './recipes/queue.ts';
import { masterWorkerWorkload } from './recipes/masterWorker.ts';
import { lockWorkload } from './recipes/lock.ts';
import { electionWorkload } from './recipes/clientElection.ts';
import { registryWorkload } from './recipes/serviceRegistry.ts';
import type { WorkloadDefinition } from './workload.ts';

/** Forgets a workload's parameter type: parseParams and start always travel together. */
const erase = <P>(w: WorkloadDefinition<P>) => w as unknown as WorkloadDefinition<unknown>;

const WORKLOADS: Record<string, WorkloadDefinition<unknown>> = {
  register: erase(registerWorkload),
  lock: erase(lockWorkload),
  election: erase(electionWorkload),
  registry: erase(registryWorkload),
  config: erase(configWatchWorkload),
  queue: erase(queueWorkload),
  'master-worker': erase(masterWorkerWorkload),
};

/** Every workload kind, for validation and documentation. */
export const WORKLOAD_KINDS: readonly string[] = Object.keys(WORKLOADS);

/** The workload of a kind; throws for an unknown kind (the scenario loader checks first). */
export function lookupWorkload(kind: string): WorkloadDefinition<unknown> {
  const w = WORKLOADS[kind];
  if (w === undefined) throw new Error(`unknown workload "${kind}" (known: ${WORKLOAD_KINDS.join(', ')})`);
  return w;
}
