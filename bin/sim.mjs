#!/usr/bin/env -S node --max-semi-space-size=64 --no-allocation-site-pretenuring
// Entry point for `npx sim`. It runs the compiled JavaScript in dist/ (built by `npm install`
// through the `prepare` script, or `npm run build`), which starts in a fraction of the time tsx
// needs to compile the sources; when dist/ is missing or older than src/ it runs the sources
// through tsx instead, so an edit is never ignored (bin/buildStamp.mjs decides).
// The larger young generation (64 MiB semi-spaces, Node's default is 16) makes runs ~10-30 %
// faster: a simulation allocates a little per event and keeps a little per txn, and small
// semi-spaces copy what it keeps over and over. V8's allocation-site pretenuring is off: it put
// what a run keeps in the old generation early, which made every scavenge slower (HEAP_FLAGS in
// bench/ensembleThroughput.ts; a test keeps these flags and that list the same).
import { fileURLToPath } from 'node:url';
import { entryFor } from './buildStamp.mjs';

// A reader that goes away (`sim run ... | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
let main;
if (entryFor(fileURLToPath(new URL('..', import.meta.url))) === 'dist') {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
