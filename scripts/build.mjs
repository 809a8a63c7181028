// `npm run build` (and `prepare`, which npm runs on `npm install` / `npm ci`): compiles src/ to
// dist/ with tsc, then writes the stamp bin/sim.mjs checks (bin/buildStamp.mjs).
//
// Why tsc and not esbuild: tsc's rewriteRelativeImportExtensions turns the sources' `.ts`
// imports into `.js` and keeps one output file per source, so code that finds a sibling module
// by `import.meta.url` (the check worker, the determinism child) works unchanged. esbuild cannot
// rewrite import extensions without bundling, and a bundle moves import.meta.url into shared
// chunks; measured, a split bundle started `sim check` only ~10 % faster (0.21 s vs 0.24 s).
// noCheck skips type checking (`npm run typecheck` and CI do that): the build takes ~4 s here
// instead of ~8 s, and the output is the same.

import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stampPath } from '../bin/buildStamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// Dated at the start, so a source saved while tsc runs still makes the build stale.
const startedMs = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('build: tsc failed; `sim` will run the sources through tsx until a build succeeds');
  process.exit(r.status ?? 1);
}
// Browser scripts and other non-TypeScript assets sit in assets/ folders next to the modules that
// read them (src/report/assets/); tsc does not copy them.
for (const dir of assetDirs(join(root, 'src'))) cpSync(dir, join(root, 'dist', relative(join(root, 'src'), dir)), { recursive: true });
const stamp = stampPath(root);
writeFileSync(stamp, `built from src/ at ${new Date(startedMs).toISOString()}\n`);
utimesSync(stamp, startedMs / 1000, startedMs / 1000);

/** Every folder named `assets` under `dir`. */
function assetDirs(dir) {
  const found = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const path = join(dir, e.name);
    if (e.name === 'assets') found.push(path);
    else found.push(...assetDirs(path));
  }
  return found;
}
