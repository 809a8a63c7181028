/** Text and JSON renderings of a ZooKeeper checker result. */
import { ZK_GUARANTEES, type ZkCheckResult } from './guarantees.ts';

/** Human-readable report lines. */
export function zkReportLines(r: ZkCheckResult): string[] {
  const lines = [`zookeeper: ${r.verdict} — ${r.operationCount} operations, ${r.sessionCount} sessions`];
  for (const g of ZK_GUARANTEES) {
    const res = r.guarantees[g];
    lines.push(`  ${g}: ${res.verdict}${res.checks === 0 ? ' (nothing to check)' : ''}`);
    for (const v of res.violations.slice(0, 10)) lines.push(`    ops ${v.ops.map((i) => `#${i}`).join(', ')}: ${v.message}`);
    if (res.violations.length > 10) lines.push(`    ... and ${res.violations.length - 10} more`);
  }
  return lines;
}

/** Machine-readable result. */
export function zkReportJson(r: ZkCheckResult): Record<string, unknown> {
  return { checker: 'zookeeper', verdict: r.verdict, operations: r.operationCount, sessions: r.sessionCount, guarantees: r.guarantees };
}
