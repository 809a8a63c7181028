/**
 * The HTML report of one run: one self-contained file (inline CSS, inline chart.js, data as
 * JSON in the page) that opens offline. Byte-identical for identical input: nothing here reads
 * a clock or a random source.
 */
import type { RunResult } from '../run/runScenario.ts';
import type { SystemOutcome } from '../run/system.ts';
import { CHARTS_JS } from './charts.ts';
import { chartJsSource } from './chartjs.ts';
import { buildReportData } from './data.ts';
import { escapeHtml, jsonForScript } from './escape.ts';
import { renderPage } from './page.ts';
import { fmtNum, renderFaults, renderSummary, renderViolations } from './sections.ts';
import { TIMELINE_JS } from './timeline.ts';

export { buildReportData, type ReportData } from './data.ts';

/** Renders report.html for a run. */
export function renderReport(result: RunResult, outcome: SystemOutcome): string {
  const data = buildReportData(result, outcome);
  const notes = ['Values leave out ZooKeeper Stat fields other than version and are cut to 100 characters; history.jsonl has them in full.'];
  if (data.ops.length < data.totalOps) notes.unshift(`The timeline shows the first ${fmtNum(data.ops.length)} of ${fmtNum(data.totalOps)} operations; the charts count all of them.`);
  if (data.lanes.length === 0) notes.unshift('This run has no client history.');
  return renderPage({
    title: escapeHtml(`${result.scenario} seed ${result.seed}: ${String(result.verdict).toUpperCase()}`),
    summary: renderSummary(result, outcome, data.faults),
    faults: renderFaults(data.faults),
    violations: renderViolations(result, outcome.history ?? []),
    timelineNote: notes.map(escapeHtml).join(' '),
    dataJson: jsonForScript(data),
    scripts: [chartJsSource(), TIMELINE_JS, CHARTS_JS],
  });
}
