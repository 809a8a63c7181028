/**
 * The chart.js UMD bundle, read once from node_modules and inlined so the report opens offline.
 * The package's exports map has no entry for the UMD file, so it is found next to the resolved
 * CommonJS entry (dist/chart.cjs).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The bundle's source, safe to place between `<script>` and `</script>`. */
export function chartJsSource(): string {
  if (cached === undefined) {
    const entry = createRequire(import.meta.url).resolve('chart.js');
    const raw = readFileSync(join(dirname(entry), 'chart.umd.js'), 'utf8');
    cached = inlineSafe(raw);
  }
  return cached;
}

/**
 * Makes script source safe to inline: drops the source-map comment (the map is not shipped) and
 * breaks any `</script` or `<!--` (JS reads `<\/` as `</` in strings and regexes; the bundle has
 * none today, this guards a future version).
 */
export function inlineSafe(js: string): string {
  return js
    .replace(/^\/\/# sourceMappingURL=.*$/gm, '')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--');
}
