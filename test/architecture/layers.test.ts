/**
 * Goal: the import graph keeps the architecture the README's layout describes. Folders of src/
 * sit on layers and import only from lower layers (the checker and the kernel import nothing
 * above themselves), and no files import each other in a circle.
 * Method: read every source file's static and dynamic relative imports as text, and check the
 * folder edges against the declared layers and the file graph for cycles.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src', import.meta.url));

/** Each top-level folder of src/ (and the library entry) on its layer, bottom first. */
const LAYER: Record<string, number> = {
  sim: 0,
  checker: 0,
  engine: 1,
  client: 2,
  conformance: 2,
  // Faults know ZooKeeper's roles and protocol events, so they sit above the engine.
  faults: 3,
  workloads: 4,
  run: 5,
  scenario: 6,
  report: 6,
  cli: 7,
  'index.ts': 7,
};

const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));
const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** file → the src files it imports (relative paths). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files(src)) {
    const targets: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) targets.push(relative(src, normalize(join(dirname(file), (m[1] ?? m[2])!))));
    graph.set(relative(src, file), targets.filter((t) => !t.startsWith('..')));
  }
  return graph;
}

const folderOf = (file: string): string => file.split('/')[0]!;

describe('layers of src/', () => {
  const graph = importGraph();

  it('every folder is on a layer', () => {
    for (const file of graph.keys()) expect(LAYER, file).toHaveProperty([folderOf(file)]);
  });

  it('imports only go down (or stay within a folder)', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const t of targets) {
        const [a, b] = [folderOf(file), folderOf(t)];
        if (a !== b && !(LAYER[a]! > LAYER[b]!)) upward.push(`${file} -> ${t}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no files import each other in a circle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const t of graph.get(file) ?? []) visit(t, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
