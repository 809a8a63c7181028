/**
 * The report's text sections, rendered on the server so they read without JavaScript: summary,
 * faults, violations. Every value from the run passes through `escapeHtml` (via `t`).
 */
import type { HistoryOp } from '../checker/history/op.ts';
import type { RunResult, Verdict } from '../run/runScenario.ts';
import type { SystemOutcome } from '../run/system.ts';
import { type FaultView, operationsByEventIndex, traceEventsOf, witnessHistoryOps } from './data.ts';
import { escapeHtml, safeStringify, truncate } from './escape.ts';
import { errorText, fullValue, pairForReport, type ReportOp, zxidText } from './ops.ts';

/** Escaped text of anything. */
const t = (x: unknown): string => escapeHtml(x === undefined || x === null ? '' : String(x));

/** Rows shown per witness before the rest are counted only. */
const MAX_WITNESS_ROWS = 200;

/** 1234567.8 → "1,234,567.8", independent of the host's locale (the report must be byte-stable). */
export function fmtNum(x: number, decimals = 0): string {
  if (!Number.isFinite(x)) return String(x);
  const [int, frac] = x.toFixed(decimals).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const f = frac?.replace(/0+$/, '');
  return f ? `${grouped}.${f}` : grouped;
}

export const fmtMs = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : `${fmtNum(ms, 1)} ms`);
const fmtUs = (us: number): string => fmtMs(us / 1000);

function verdictBadge(v: Verdict | string): string {
  const cls = v === 'ok' ? 'ok' : v === 'violation' ? 'bad' : 'warn';
  return `<span class="badge ${cls}">${t(v)}</span>`;
}

/** Header: what ran, the verdict, each check, how to replay it, and the run's figures. */
export function renderSummary(result: RunResult, outcome: SystemOutcome, faults: readonly FaultView[]): string {
  const verdictClass = result.verdict === 'ok' ? 'ok' : result.verdict === 'violation' ? 'bad' : 'warn';
  const neverFired = faults.filter((f) => !f.fired);
  const checks = Object.entries(result.checks)
    .map(([name, c]) => {
      const note = c.note ?? outcome.checks?.[name]?.note ?? '';
      return `<tr><td>${t(name)}</td><td>${verdictBadge(c.verdict)}</td><td class="num">${c.violations.length}</td><td>${t(note)}</td></tr>`;
    })
    .join('\n');
  const s = result.stats ?? ({} as RunResult['stats']);
  const known = new Set(['ops', 'events', 'firedEvents', 'simTimeMs', 'wallMs', 'simWallMs', 'checkWallMs', 'simRealRatio', 'elections']);
  const extra = Object.entries(s)
    .filter(([k]) => !known.has(k))
    .map(([k, v]) => `<span class="kv"><b>${t(k)}</b> ${t(typeof v === 'number' ? fmtNum(v, 3) : v)}</span>`)
    .join(' ');
  return `<header class="verdict-${verdictClass}">
<div class="title"><h1>${t(result.scenario)}</h1><span class="seed">seed ${t(result.seed)}</span></div>
<div class="verdict">${t(String(result.verdict).toUpperCase())}</div>
</header>
${neverFired.length > 0 ? `<div class="alarm">⚠ ${neverFired.length === 1 ? '1 fault' : `${neverFired.length} faults`} never fired (${neverFired.map((f) => t(f.name)).join(', ')}): trigger never fired: the scenario did not test what it claims.</div>` : ''}
<section id="summary">
<table class="checks"><thead><tr><th>check</th><th>verdict</th><th>violations</th><th>note</th></tr></thead>
<tbody>${checks || '<tr><td colspan="4">no checks ran</td></tr>'}</tbody></table>
<p class="replay">replay: <code>${t(result.replay)}</code></p>
<p class="stats"><span class="kv"><b>ops</b> ${fmtNum(s.ops ?? 0)}</span> <span class="kv"><b>events</b> ${fmtNum(s.events ?? 0)} traced, ${fmtNum(s.firedEvents ?? 0)} fired</span> <span class="kv"><b>sim time</b> ${fmtMs(s.simTimeMs)}</span> <span class="kv"><b>wall time</b> ${fmtMs(s.wallMs)} (simulation ${fmtMs(s.simWallMs)}, checks ${fmtMs(s.checkWallMs)})</span> <span class="kv"><b>sim:real</b> ${fmtNum(s.simRealRatio ?? 0, 1)}x</span></p>
${extra ? `<p class="stats">${extra}</p>` : ''}
${renderElections(result.stats?.elections ?? [])}
</section>`;
}

function renderElections(elections: RunResult['stats']['elections']): string {
  if (elections.length === 0) return '<p>No leader was established.</p>';
  const rows = elections
    .map((e) => `<tr><td class="num">${t(e.epoch)}</td><td>${t(e.leader)}</td><td class="num">${fmtMs(e.startedAtMs)}</td><td class="num">${fmtMs(e.servingAtMs)}</td><td class="num">${fmtMs(e.servingAtMs - e.startedAtMs)}</td></tr>`)
    .join('\n');
  return `<h3>Elections</h3><table><thead><tr><th>epoch</th><th>leader</th><th>started</th><th>serving</th><th>took</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Faults: what fired where and when; a fault that never fired is flagged loudly. */
export function renderFaults(faults: readonly FaultView[]): string {
  if (faults.length === 0) return '<section id="faults"><h2>Faults</h2><p>No faults in this scenario.</p></section>';
  const rows = faults
    .map((f) => {
      const target = f.target || f.resolvedTo.length > 0 ? `${t(f.target || '—')} → ${t(f.resolvedTo.join(', ') || '—')}` : '—';
      const status = !f.fired
        ? `<span class="badge bad">NEVER FIRED</span> trigger never fired: the scenario did not test what it claims${f.reason ? ` (${t(f.reason)})` : ''}`
        : f.skipped
          ? `<span class="badge warn">skipped</span> ${t(f.skipped)}`
          : '<span class="badge ok">fired</span>';
      return `<tr class="${f.fired ? '' : 'never'}"><td>${t(f.name)}</td><td>${t(f.kind)}</td><td>${target}</td><td class="num">${fmtMs(f.atMs)}</td><td class="num">${fmtMs(f.endMs)}</td><td>${t(f.phase)}</td><td>${t(f.cause)}</td><td>${status}</td></tr>`;
    })
    .join('\n');
  return `<section id="faults"><h2>Faults</h2>
<table><thead><tr><th>name</th><th>kind</th><th>target → resolved to</th><th>at</th><th>until</th><th>phase</th><th>cause</th><th>status</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

/** Every violation with its witness: history ops, ZAB trace events, or the raw JSON. */
export function renderViolations(result: RunResult, history: readonly HistoryOp[]): string {
  const all = Object.entries(result.checks).flatMap(([check, c]) => c.violations.map((v) => ({ check, v })));
  if (all.length === 0) return '<section id="violations"><h2>Violations</h2><p>No violations.</p></section>';
  let byEvent: Map<number, ReportOp> | undefined;
  const opsOf = () => (byEvent ??= operationsByEventIndex(pairForReport(history)));
  const items = all
    .map(({ check, v }, i) => {
      const ops = witnessHistoryOps(v.witness);
      const events = ops === undefined ? traceEventsOf(v.witness) : undefined;
      const witness = ops !== undefined ? witnessOpsTable(ops, opsOf()) : events !== undefined ? traceEventsTable(events) : v.witness === undefined ? '' : `<pre class="json">${t(truncate(safeStringify(v.witness, 2), 20_000))}</pre>`;
      return `<div class="violation" id="violation-${i}"><h3><span class="check">${t(check)}</span> ${t(v.property)}</h3><p class="message">${t(v.message)}</p>${witness}</div>`;
    })
    .join('\n');
  return `<section id="violations"><h2>Violations (${all.length})</h2>${items}</section>`;
}

/** The witness's operations, each shown once even when both its halves were cited. */
function witnessOpsTable(witness: readonly HistoryOp[], byEvent: Map<number, ReportOp>): string {
  const seen = new Set<ReportOp | HistoryOp>();
  const rows: string[] = [];
  for (const w of witness) {
    const o = byEvent.get(w.index);
    if (seen.has(o ?? w)) continue;
    seen.add(o ?? w);
    if (o === undefined) {
      rows.push(`<tr><td class="num">#${t(w.index)}</td><td>${t(w.process)}</td><td>${t(w.f)}</td><td>${t(fullValue(w.value))}</td><td>${t(w.type)}</td><td class="num">${fmtUs(Number(w.time))}</td><td></td></tr>`);
      continue;
    }
    const c = o.completion;
    const out = c === undefined ? '' : ` → ${t(fullValue(c.value))}${c.error !== undefined ? ` <span class="err">${t(errorText(c.error))}</span>` : ''}`;
    const where = [c?.zxid !== undefined ? `zxid ${zxidText(c.zxid)}` : '', typeof c?.server === 'string' ? `at ${c.server}` : ''].filter(Boolean).join(' ');
    const done = c === undefined ? 'never completed' : `${c.type} #${c.index} at ${fmtUs(o.endUs ?? 0)}`;
    rows.push(
      `<tr><td class="num">#${t(o.index)}</td><td>${t(o.process)}${o.client ? ` (${t(o.client)})` : ''}</td><td>${t(o.f)}</td><td>${t(fullValue(o.invoke?.value))}${out}</td><td><span class="st-${t(o.status)}">${t(o.status)}</span> ${t(where)}</td><td class="num">${o.invoke ? fmtUs(o.startUs) : ''}</td><td>${t(done)}</td></tr>`,
    );
  }
  const shown = rows.slice(0, MAX_WITNESS_ROWS).join('\n');
  const more = rows.length > MAX_WITNESS_ROWS ? `<p>… and ${rows.length - MAX_WITNESS_ROWS} more operations (see result.json).</p>` : '';
  return `<table class="witness"><thead><tr><th>op</th><th>process</th><th>f</th><th>value → output</th><th>result</th><th>invoked</th><th>completed</th></tr></thead><tbody>${shown}</tbody></table>${more}`;
}

/** ZAB trace events: index, time, kind, node, zxid, and whatever else the event carries. */
function traceEventsTable(events: readonly unknown[]): string {
  const rows = events.slice(0, MAX_WITNESS_ROWS).map((e) => {
    const r = (typeof e === 'object' && e !== null ? e : { value: e }) as Record<string, unknown>;
    const { eventIndex, atUs, kind, node, zxid, toZxid, ...rest } = r;
    const z = zxid !== undefined ? zxidText(zxid) : toZxid !== undefined ? `to ${zxidText(toZxid)}` : '';
    const other = Object.keys(rest).length > 0 ? safeStringify(rest) : '';
    return `<tr><td class="num">${t(eventIndex)}</td><td class="num">${typeof atUs === 'number' ? fmtUs(atUs) : ''}</td><td>${t(kind)}</td><td>${t(node)}</td><td>${t(z)}</td><td>${t(truncate(other, 500))}</td></tr>`;
  });
  const more = events.length > MAX_WITNESS_ROWS ? `<p>… and ${events.length - MAX_WITNESS_ROWS} more events (see result.json).</p>` : '';
  return `<table class="witness"><thead><tr><th>event</th><th>time</th><th>kind</th><th>node</th><th>zxid</th><th>details</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>${more}`;
}
