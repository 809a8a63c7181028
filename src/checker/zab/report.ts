/** Text and JSON renderings of a ZAB checker result. */
import { ZAB_PROPERTIES, type ZabCheckResult } from './properties.ts';

/** Human-readable report lines. */
export function zabReportLines(r: ZabCheckResult): string[] {
  const lines = [`zab: ${r.verdict} — ${r.eventCount} events`];
  for (const p of ZAB_PROPERTIES) {
    const vs = r.violations.filter((v) => v.property === p);
    lines.push(`  ${p}: ${vs.length === 0 ? 'holds' : `${vs.length} violation${vs.length === 1 ? '' : 's'}`}`);
    for (const v of vs.slice(0, 10)) lines.push(`    events ${v.events.join(', ')}: ${v.message}`);
    if (vs.length > 10) lines.push(`    ... and ${vs.length - 10} more`);
  }
  return lines;
}

/** Machine-readable result. */
export function zabReportJson(r: ZabCheckResult): Record<string, unknown> {
  return { checker: 'zab', verdict: r.verdict, events: r.eventCount, counts: r.counts, violations: r.violations };
}
