import { readFileSync } from 'node:fs';

/**
 * A browser script shipped beside the report's modules, in assets/ (the build copies it to
 * dist/report/assets/): plain JavaScript that a linter, an editor and a browser can read as such,
 * instead of a string inside TypeScript. Read once, when the report module loads.
 */
export function browserAsset(name: string): string {
  return readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
}
