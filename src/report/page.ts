/**
 * The HTML skeleton: CSS, the server-rendered sections, the canvases, the embedded data and the
 * inline scripts. A Content-Security-Policy allows only the scripts emitted here (by hash) and
 * no network at all, so even an escaping bug elsewhere could not run injected script or make
 * the report reach out.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './escape.ts';

export interface PageParts {
  title: string;
  /** Server-rendered, already escaped HTML. */
  summary: string;
  faults: string;
  violations: string;
  /** Notes under the timeline, already escaped HTML. */
  timelineNote: string;
  /** Embedded data, already made safe by jsonForScript. */
  dataJson: string;
  /** Inline scripts, in order, already safe to place inside <script>. */
  scripts: string[];
}

const CSS = `
:root { --ok: #2e9d4f; --bad: #d0021b; --warn: #c77700; --fg: #1f2328; --muted: #656d76; --line: #d8dee4; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0; padding: 0 24px 48px; }
header { display: flex; align-items: center; justify-content: space-between; margin: 0 -24px 16px; padding: 14px 24px; color: #fff; }
header.verdict-ok { background: var(--ok); } header.verdict-bad { background: var(--bad); } header.verdict-warn { background: var(--warn); }
header h1 { display: inline; font-size: 22px; margin: 0 12px 0 0; }
header .seed { opacity: .9; }
header .verdict { font-size: 30px; font-weight: 800; letter-spacing: .06em; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre, .witness td { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.witness td { word-break: break-all; max-width: 640px; }
code { background: #f6f8fa; padding: 2px 6px; border-radius: 4px; }
pre.json { background: #f6f8fa; padding: 8px; overflow: auto; max-height: 400px; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 700; color: #fff; text-transform: uppercase; }
.badge.ok { background: var(--ok); } .badge.bad { background: var(--bad); } .badge.warn { background: var(--warn); }
.alarm { background: #ffebe9; border: 2px solid var(--bad); color: var(--bad); font-weight: 700; padding: 10px 14px; margin: 0 0 12px; border-radius: 6px; }
tr.never td { background: #ffebe9; }
.stats .kv { display: inline-block; margin-right: 18px; } .stats .kv b { color: var(--muted); font-weight: 600; margin-right: 4px; }
.violation { border-left: 4px solid var(--bad); padding: 2px 0 2px 12px; margin: 12px 0 20px; }
.violation .check { color: var(--muted); font-weight: 500; margin-right: 6px; }
.violation .message { white-space: pre-wrap; }
.err { color: var(--bad); }
.st-ok { color: var(--ok); font-weight: 600; } .st-fail { color: #e0692b; font-weight: 600; } .st-info, .st-pending { color: #8e44ad; font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted); margin: 4px 0; }
.sw { display: inline-block; width: 18px; height: 10px; vertical-align: middle; margin-right: 4px; border-radius: 2px; }
.sw.hatch { background: repeating-linear-gradient(135deg, #8e44ad 0 1px, #eadcf0 1px 4px); }
.sw.witness { border: 2px solid var(--bad); background: transparent; }
.controls { font-size: 12px; color: var(--muted); margin: 6px 0; }
.controls button { font-size: 12px; margin-right: 6px; }
.tl-wrap { width: 100%; border: 1px solid var(--line); user-select: none; }
.tl-wrap canvas { display: block; cursor: crosshair; }
.note { font-size: 12px; color: var(--muted); }
.chart { position: relative; height: 260px; margin: 8px 0 18px; }
#tip { position: absolute; display: none; z-index: 10; pointer-events: none; max-width: 560px; white-space: pre-wrap; word-break: break-all;
  background: #1f2328; color: #fff; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; padding: 6px 9px; border-radius: 5px; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
`;

const LEGEND = [
  ['#2e9d4f', 'ok'],
  ['#e0692b', 'fail'],
  ['hatch', 'info / no completion (may take effect any time later: hatched to the end of the run)'],
  ['witness', 'cited by a violation'],
  ['rgba(220,60,40,0.35)', 'fault interval (dashed line: instant fault)'],
  ['#1f6feb', 'LEADING'],
  ['#7cc47f', 'FOLLOWING'],
  ['#5cc6c6', 'OBSERVING'],
  ['#f2c14e', 'LOOKING'],
  ['#c4c4c4', 'down'],
]
  .map(([c, label]) => (c === 'hatch' || c === 'witness' ? `<span><i class="sw ${c}"></i>${label}</span>` : `<span><i class="sw" style="background:${c}"></i>${label}</span>`))
  .join('');

/** sha256 source expression for a CSP script-src. */
function cspHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

/** The whole document. */
export function renderPage(p: PageParts): string {
  const csp = `default-src 'none'; script-src ${p.scripts.map(cspHash).join(' ')}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title}</title>
<style>${CSS}</style>
</head>
<body>
${p.summary}
${p.faults}
<section id="timeline-section">
<h2>Timeline</h2>
<div class="legend">${LEGEND}</div>
<div class="controls"><button type="button" id="tl-out">zoom out</button><button type="button" id="tl-reset">reset</button> <span id="tl-view"></span> · drag across the timeline to zoom in, double-click to reset, hover for details</div>
<div class="tl-wrap"><canvas id="timeline"></canvas></div>
<p class="note">${p.timelineNote}</p>
<noscript><p class="note">The timeline and charts need JavaScript; the tables do not.</p></noscript>
</section>
${p.violations}
<section id="charts">
<h2>Latency and throughput</h2>
<p class="note">Ops bucketed by completion time; fault intervals shaded. Gaps in the latency chart are buckets in which no op completed ok.</p>
<div class="chart"><canvas id="latency"></canvas></div>
<div class="chart"><canvas id="throughput"></canvas></div>
</section>
<div id="tip"></div>
<script type="application/json" id="report-data">${p.dataJson}</script>
${p.scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}
