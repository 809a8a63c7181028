import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { loadKernelScenario, type LoadedScenario } from './kernelScenario.ts';
import { InputError, YamlSource } from './yamlSource.ts';
import { loadZabScenario } from './zabScenario.ts';

/**
 * Reads and validates a scenario file: a ZooKeeper scenario (`system: zookeeper`, see
 * docs/scenarios.md) or the kernel demo (`system: gossip`).
 */
export function loadScenarioFile(path: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(path, 1, 1, `cannot read scenario: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const src = YamlSource.parse(text, path);
  const value = src.value();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(path, 1, 1, 'expected a mapping at the top level of the scenario');
  }
  const system = (value as Record<string, unknown>).system;
  const name = basename(path, extname(path));
  if (system === 'zookeeper') return loadZabScenario(src, name);
  if (system === 'gossip') return loadKernelScenario(src, name);
  const pos = src.locate(['system']);
  throw new InputError(path, pos.line, pos.col, `system: expected "zookeeper" or "gossip", got ${JSON.stringify(system ?? null)}`);
}
