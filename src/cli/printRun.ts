import { figure, type RunResult } from '../run/runScenario.ts';
import type { FaultRecord } from '../faults/record.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

/** One line per fault firing (or non-firing), as the summary shows it. */
function faultLine(f: FaultRecord): string {
  if (!f.fired) return `  - ${f.name} (${f.kind}): NEVER FIRED — ${f.reason ?? 'its trigger did not fire'}`;
  const target = f.target === undefined ? '' : ` ${Array.isArray(f.target) ? f.target.join('+') : f.target} → ${f.resolvedTo.join(',') || '∅'}`;
  const until = f.endMs !== undefined ? `–${fmt(f.endMs)}` : '';
  const inFlight = (f.detail?.inFlight ?? undefined) as { zxid: string; fate: string; by?: string; epoch?: number; clientOp?: { outcome: string } } | undefined;
  const fate = inFlight === undefined ? '' : `\n      in flight: txn ${inFlight.zxid} ${inFlight.fate}${inFlight.by ? ` (${inFlight.fate === 'committed' ? 'by' : 'new leader'} ${inFlight.by}, epoch ${inFlight.epoch})` : ''}${inFlight.clientOp ? `; the client saw ${inFlight.clientOp.outcome}` : ''}`;
  const skipped = f.skipped !== undefined ? ` SKIPPED: ${f.skipped}` : '';
  return `  - ${f.name} (${f.kind})${target} at ${fmt(f.atMs ?? 0)}${until} ms, phase ${f.phase}${f.cause ? `, on ${f.cause}` : ''}${skipped}${fate}`;
}

/** Prints the short human summary of one run. */
export function printRunSummary(r: RunResult, determinism?: string[]): void {
  const s = r.stats;
  const checks = Object.entries(r.checks).map(([name, c]) => `${name}: ${c.verdict}`).join(', ');
  console.log(`scenario  ${r.scenario}   seed ${r.seed}`);
  console.log(`verdict   ${r.verdict.toUpperCase()}   (${checks})`);
  for (const [name, c] of Object.entries(r.checks)) {
    if (c.note !== undefined && c.verdict !== 'ok') console.log(`  ${name}: ${c.note}`);
    for (const v of c.violations.slice(0, 10)) console.log(`  - [${name}/${v.property}] ${v.message}`);
    if (c.violations.length > 10) console.log(`  … ${c.violations.length - 10} more ${name} violations in result.json`);
  }
  const faults = r.faults as FaultRecord[];
  if (faults.length > 0) {
    const fired = faults.filter((f) => f.fired).length;
    console.log(`faults    ${fired} fired${faults.length > fired ? `, ${faults.length - fired} never fired` : ''}`);
    for (const f of faults.slice(0, 20)) console.log(faultLine(f));
    if (faults.length > 20) console.log(`  … ${faults.length - 20} more in result.json`);
  }
  if (r.stats.ops > 0) {
    console.log(`ops       ${fmt(s.ops)} (${fmt(figure(s, 'ok'))} ok, ${fmt(figure(s, 'fail'))} fail, ${fmt(figure(s, 'info'))} info)`);
  }
  if (r.stats.elections.length > 0) {
    const list = r.stats.elections.map((e) => `epoch ${e.epoch} ${e.leader} serving at ${fmt(Math.round(e.servingAtMs))} ms (${fmt(Math.round(e.servingAtMs - e.startedAtMs))} ms)`);
    console.log(`elections ${list.join('; ')}`);
  }
  console.log(`events    ${fmt(r.stats.events)} traced, ${fmt(r.stats.firedEvents)} fired`);
  console.log(`time      sim ${fmt(s.simTimeMs)} ms, wall ${fmt(s.wallMs)} ms (simulation ${fmt(s.simWallMs)} ms, checks ${fmt(s.checkWallMs)} ms), sim:real ${s.simRealRatio}x`);
  console.log(`hashes    trace ${r.traceHash.slice(0, 16)}…  history ${r.historyHash.slice(0, 16)}…`);
  console.log(`files     ${r.outDir}/ (${r.files.join(', ')})`);
  if (r.report !== undefined) console.log(`report    ${r.report}`);
  for (const line of determinism ?? []) console.log(line);
  if (!r.ok) console.log(`replay    ${r.replay}`);
}
