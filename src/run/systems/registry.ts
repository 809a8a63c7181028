import { pathToFileURL } from 'node:url';
import type { SystemDefinition, SystemRef } from '../system.ts';
import { gossipSystem } from './gossipSystem.ts';
import { standaloneSystem } from './standaloneSystem.ts';
import { zabSystem } from './zabSystem.ts';

const BUILTIN: Record<string, SystemDefinition> = {
  gossip: gossipSystem,
  standalone: standaloneSystem,
  zab: zabSystem,
};

/** Resolves a system reference: a built-in by name, or a module export (used by tests). */
export async function loadSystem(ref: SystemRef): Promise<SystemDefinition> {
  if ('builtin' in ref) {
    const s = BUILTIN[ref.builtin];
    if (s === undefined) throw new Error(`unknown system "${ref.builtin}" (known: ${Object.keys(BUILTIN).join(', ')})`);
    return s;
  }
  const mod = (await import(pathToFileURL(ref.module).href)) as Record<string, unknown>;
  const s = mod[ref.export] as SystemDefinition | undefined;
  if (s === undefined || typeof s.setup !== 'function') throw new Error(`${ref.module} does not export a system "${ref.export}"`);
  return s;
}
