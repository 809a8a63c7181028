/** Hand-made runs for the report tests: a small history with every op outcome, faults, violations. */
import type { HistoryOp } from '../../src/checker/history/op.ts';
import type { RunResult } from '../../src/run/runScenario.ts';
import type { SystemOutcome } from '../../src/run/system.ts';

export const XSS_SCRIPT = '</script><script>alert(1)</script>';
export const XSS_IMG = '<img src=x onerror=alert(1)>';

/** Appends an invoke and its completion (or none when `type` is undefined). */
export function opPair(h: HistoryOp[], process: number, client: string, f: string, value: unknown, callUs: number, type: 'ok' | 'fail' | 'info' | undefined, retUs: number, out: unknown = null, extra: Record<string, unknown> = {}): void {
  h.push({ index: h.length, type: 'invoke', process, f, value, time: callUs, client });
  if (type !== undefined) h.push({ index: h.length, type, process, f, value: out, time: retUs, client, ...extra });
}

/** A 3-server, 3-client run of 1 s: oks, a fail, an info (process 2 continues as 5), a pending op. */
export function sampleRun(): { result: RunResult; outcome: SystemOutcome } {
  const h: HistoryOp[] = [];
  opPair(h, 0, 'c1', 'create', { path: '/r0', data: XSS_SCRIPT }, 100_000, 'ok', 102_000, { path: '/r0' }, { zxid: 0x100000001, server: 'n1' });
  opPair(h, 1, 'c2', 'getData', { path: '/r0' }, 110_000, 'ok', 111_000, { data: XSS_IMG, czxid: 1, mzxid: 1, version: 0 }, { zxid: 0x100000001, server: 'n2' });
  opPair(h, 2, 'c3', 'setData', { path: '/r0', data: 'x', version: 5 }, 120_000, 'fail', 121_000, null, { error: 'BADVERSION', server: 'n3' });
  opPair(h, 2, 'c3', 'setData', { path: '/r0', data: 'y', version: -1 }, 300_000, 'info', 500_000, null, { error: 'timed-out' });
  opPair(h, 5, 'c3', 'getData', { path: '/r0' }, 600_000, 'ok', 605_000, { data: 'y' }, { zxid: 0x100000002, server: 'n1' });
  opPair(h, 0, 'c1', 'getData', { path: '/r0' }, 900_000, undefined, 0);
  const servers = ['n1', 'n2', 'n3'].flatMap((server, i) => [
    { server, timeUs: 0, role: 'LOOKING', epoch: 0, lastZxid: 0 },
    { server, timeUs: 50_000, role: i === 0 ? 'LEADING' : 'FOLLOWING', epoch: 1, lastZxid: 0 },
    { server, timeUs: 200_000, role: i === 0 ? 'LEADING' : 'FOLLOWING', epoch: 1, lastZxid: 0x100000001 },
  ]);
  servers.push({ server: 'n3', timeUs: 400_000, role: 'down', epoch: 1, lastZxid: 0x100000001 });
  const result: RunResult = {
    scenario: 'fixture',
    seed: '7',
    verdict: 'violation',
    ok: false,
    historyHash: 'h',
    traceHash: 't',
    checks: {
      zookeeper: { verdict: 'violation', violations: [{ property: 'monotonic-reads', message: `stale read of ${XSS_IMG}`, witness: [h[2], h[3], h[0]] }] },
      zab: { verdict: 'violation', violations: [{ property: 'committed-survive', message: 'lost', witness: { traceEvents: [{ kind: 'commit', node: 'n1', zxid: 0x100000001, eventIndex: 42, atUs: 101_000 }, { kind: 'truncate', node: 'n2', toZxid: 0x100000000, eventIndex: 99 }] } }] },
      'recipe:lock': { verdict: 'violation', violations: [{ property: 'mutual-exclusion', message: 'two holders', witness: { holders: [XSS_SCRIPT, 'c2'] } }] },
    },
    faults: [
      { name: 'part', kind: 'partition', target: ['leader'], fired: true, resolvedTo: ['n1'], atMs: 300, endMs: 450, phase: 'broadcast', cause: `sent ${XSS_IMG}` },
      { name: 'kill', kind: 'crash', target: 'follower', fired: true, resolvedTo: ['n3'], atMs: 400, phase: 'broadcast' },
      { name: 'never', kind: 'crash', target: 'leader', fired: false, resolvedTo: [], reason: 'no sync happened' },
    ],
    stats: { events: 1000, firedEvents: 900, ops: 6, simTimeMs: 1000, wallMs: 20, simWallMs: 15, checkWallMs: 5, simRealRatio: 50, ok: 3, fail: 1, info: 1, elections: [{ epoch: 1, leader: 'n1', startedAtMs: 0, servingAtMs: 50 }] },
    files: [],
    outDir: 'reports/fixture/7',
    replay: 'npx sim run fixture.yaml --seed 7',
  };
  const outcome: SystemOutcome = { violations: [], stats: {}, history: h, report: { servers }, checks: { zookeeper: { verdict: 'illegal', violations: [], note: `6 ops checked ${XSS_IMG}` } } };
  return { result, outcome };
}

/** The text of the embedded data element, parsed. */
export function embeddedData(html: string): unknown {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no report-data block');
  return JSON.parse(m[1]!);
}

/** The bodies of the executable <script> elements, in order. */
export function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}
