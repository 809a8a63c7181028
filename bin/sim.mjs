#!/usr/bin/env -S node --max-semi-space-size=64 --no-allocation-site-pretenuring
// Entry point for `npx sim`: runs the TypeScript CLI through tsx, so no build step is needed.
// The larger young generation (64 MiB semi-spaces, Node's default is 16) makes runs ~10-30 %
// faster: a simulation allocates a little per event and keeps a little per txn, and small
// semi-spaces copy what it keeps over and over. V8's allocation-site pretenuring is off: it put
// what a run keeps in the old generation early, which made every scavenge slower (HEAP_FLAGS in
// bench/ensembleThroughput.ts; a test keeps these flags and that list the same).
import { register } from 'tsx/esm/api';

register();
// A reader that goes away (`sim run ... | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
