/**
 * The child half of the determinism check: runs a spec (JSON file in argv[2]) with a full trace
 * written to argv[3], and prints the outcome's hashes as JSON on stdout.
 */
import { readFileSync } from 'node:fs';
import { executeRun, type RunSpec } from './execute.ts';
import { FileSink } from './fileSink.ts';

const [specPath, tracePath] = process.argv.slice(2);
if (specPath === undefined || tracePath === undefined) {
  process.stderr.write('usage: determinismChild <spec.json> <trace-out>\n');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as RunSpec;
const result = await executeRun(spec, { traceLevel: 'full', sink: new FileSink(tracePath), record: false });
process.stdout.write(JSON.stringify({ traceHash: result.traceHash, historyHash: result.historyHash, events: result.events }) + '\n');
