import { basename, extname } from 'node:path';
import { didYouMean } from './closestMatch.ts';
import { loadKernelScenario, type LoadedScenario } from './kernelScenario.ts';
import { readInputText } from './inputFile.ts';
import { InputError, YamlSource } from './yamlSource.ts';
import { loadZabScenario } from './zabScenario.ts';

/** A scenario is a page or two of YAML; a megabyte is a wrong file. */
const MAX_SCENARIO_BYTES = 1 << 20;

/**
 * Reads and validates a scenario file: a ZooKeeper scenario (`system: zookeeper`, see
 * docs/scenarios.md) or the kernel demo (`system: gossip`).
 */
export function loadScenarioFile(path: string): LoadedScenario {
  const text = readInputText(path, MAX_SCENARIO_BYTES);
  // A file named `..yaml` must not name its run folder `..`, outside the output folder.
  const stem = basename(path, extname(path));
  return parseScenario(text, path, /^\.*$/.test(stem) ? 'scenario' : stem);
}

/**
 * Validates scenario YAML given as text; `file` names it in error messages and `name` is the
 * scenario's name when the YAML gives none.
 */
export function parseScenario(text: string, file: string, name: string): LoadedScenario {
  const src = YamlSource.parse(text, file);
  const value = src.value();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(file, 1, 1, 'expected a mapping at the top level of the scenario');
  }
  const system = (value as Record<string, unknown>).system;
  if (system === 'zookeeper') return loadZabScenario(src, name);
  if (system === 'gossip') return loadKernelScenario(src, name);
  const pos = src.locate(['system']);
  throw new InputError(file, pos.line, pos.col, `system: expected "zookeeper" or "gossip", got ${JSON.stringify(system ?? null)}${typeof system === 'string' ? didYouMean(system, ['zookeeper', 'gossip']) : ''}`);
}
