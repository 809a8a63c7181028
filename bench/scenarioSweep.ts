/**
 * `npm run scenarios [-- N]`: every shipped scenario over N seeds (default 50) on the clean
 * engine, then the determinism self-check (in-process vs child process) on its first seed.
 * Prints one line per scenario: seeds ok, faults fired / never fired, in-flight fates, ops,
 * wall time and sim:real. Exits 1 if any seed failed or any run was not deterministic.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDeterminism } from '../src/run/determinism.ts';
import { executeRun } from '../src/run/execute.ts';
import type { FaultRecord } from '../src/faults/record.ts';
import { loadScenarioFile } from '../src/scenario/loadScenario.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const seeds = Number(process.argv[2] ?? 50);
const only = process.argv[3];
let bad = 0;
for (const file of readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml') && (only === undefined || f.includes(only)))) {
  const scn = loadScenarioFile(join(root, 'scenarios', file));
  const failed: string[] = [];
  const fates = new Map<string, number>();
  let fired = 0;
  let never = 0;
  let ops = 0;
  let simMs = 0;
  const t0 = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const spec = scn.spec(String(seed));
    const r = await executeRun(spec, { traceLevel: 'hash', record: false });
    simMs += spec.durationUs / 1000;
    ops += r.outcome.stats.ops ?? 0;
    const checks = Object.entries(r.outcome.checks ?? {});
    const broken = checks.filter(([, c]) => c.verdict !== 'ok').map(([n, c]) => `${n}:${c.verdict}`);
    if (r.outcome.checks === undefined && r.outcome.violations.length > 0) broken.push('violations');
    for (const f of (r.outcome.faults ?? []) as FaultRecord[]) {
      if (f.fired) fired++;
      else never++;
      const fate = (f.detail?.inFlight as { fate?: string } | undefined)?.fate;
      if (fate !== undefined) fates.set(fate, (fates.get(fate) ?? 0) + 1);
    }
    if (broken.length > 0) failed.push(`${seed} (${broken.join(', ')})`);
  }
  const wallMs = performance.now() - t0;
  const det = await checkDeterminism(scn.spec('1'));
  if (failed.length > 0 || !det.deterministic) bad++;
  const fateText = fates.size > 0 ? `, in-flight ${[...fates].map(([k, v]) => `${k} ${v}`).join(' / ')}` : '';
  console.log(
    `${scn.name.padEnd(28)} ${seeds - failed.length}/${seeds} ok, faults ${fired} fired${never ? ` ${never} NEVER` : ''}${fateText}, ${ops} ops, wall ${(wallMs / 1000).toFixed(1)} s, sim:real ${(simMs / wallMs).toFixed(1)}x, determinism ${det.deterministic ? 'ok' : 'BROKEN'}`,
  );
  for (const f of failed.slice(0, 5)) console.log(`    failed seed ${f}`);
}
process.exitCode = bad > 0 ? 1 : 0;
