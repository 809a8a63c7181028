/**
 * Linearizability checking: WGL search with P-compositionality, a memory-capped memo cache,
 * injected deadlines, models, and minimal witnesses.
 */
export type { Model, AnyModel } from './model.ts';
export { ModelInputError, mix32, hashString } from './model.ts';
export { checkHistory, checkOperations, DEFAULT_CACHE_BYTES, type LinearizabilityResult, type PartitionOutcome } from './check.ts';
export { minimalWitness, type Witness } from './witness.ts';
export { explainWitness } from './explain.ts';
export * from './models/index.ts';
export { reportLines, reportJson } from './report.ts';
