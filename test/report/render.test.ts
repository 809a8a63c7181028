import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportData } from '../../src/report/data.ts';
import { renderReport } from '../../src/report/index.ts';
import { embeddedData, inlineScripts, sampleRun, XSS_IMG, XSS_SCRIPT } from './fixture.ts';

const { result, outcome } = sampleRun();
const html = renderReport(result, outcome);
/** The page with the bodies of its scripts and data removed: only markup and CSS remain. */
const markup = html.replace(/(<script[^>]*>)[\s\S]*?<\/script>/g, '$1</script>');

describe('escaping', () => {
  it('emits exactly its own four script elements', () => {
    expect(html.match(/<script/gi)).toHaveLength(4);
    expect(html.match(/<\/script/gi)).toHaveLength(4);
    expect(inlineScripts(html)).toHaveLength(3);
  });
  it('never contains the payloads as markup', () => {
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain(XSS_IMG);
    expect(html.toLowerCase()).not.toContain('<img');
    expect(html).not.toMatch(/<[a-z]+[^>]*\sonerror=/i);
  });
  it('shows the payloads as escaped text where they belong', () => {
    // Violation message, witness value, fault cause, check note: all escaped in the HTML.
    expect(markup).toContain('stale read of &lt;img src=x onerror=alert(1)&gt;');
    expect(markup).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markup).toContain('sent &lt;img src=x onerror=alert(1)&gt;');
    expect(markup).toContain('6 ops checked &lt;img');
    // In the data block, as \u escapes that parse back to the original text.
    const data = embeddedData(html) as ReportData;
    expect(data.ops.some((o) => o[5].includes(XSS_SCRIPT))).toBe(true);
    expect(data.ops.some((o) => o[6].includes(XSS_IMG))).toBe(true);
  });
  it('allows by CSP hash exactly the scripts it emits, and no network', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    const hashes = [...csp!.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]);
    expect(hashes).toEqual(inlineScripts(html).map((s) => createHash('sha256').update(s, 'utf8').digest('base64')));
    expect(csp).not.toContain('unsafe-inline\'; script');
    expect(/script-src[^;]*unsafe-inline/.test(csp!)).toBe(false);
  });
});

describe('self-containment', () => {
  it('references no resource by src or href, and no url() or @import in CSS', () => {
    // Run data is escaped, so every '<' left in the markup opens one of our own tags.
    const tags = markup.match(/<[a-z!][^>]*>/gi)!;
    expect(tags.length).toBeGreaterThan(50);
    for (const tag of tags) expect(tag).not.toMatch(/\s(src|href|srcset|action|poster|formaction|data)\s*=/i);
    expect(markup).not.toMatch(/url\(|@import/i);
    expect(markup).not.toMatch(/<(link|iframe|object|embed|img)\b/i);
  });
  it('has no http(s) URL outside the chart.js licence comment', () => {
    const [chartJs, ...own] = inlineScripts(html);
    expect(markup).not.toMatch(/https?:\/\//);
    for (const s of own) expect(s).not.toMatch(/https?:\/\//);
    expect(chartJs).toContain('Chart.js');
    expect(chartJs).not.toContain('sourceMappingURL');
  });
});

describe('embedded data', () => {
  const data = embeddedData(html) as ReportData;
  it('round-trips ops, lanes, faults, violations and server samples', () => {
    const invokes = outcome.history!.filter((o) => o.type === 'invoke').length;
    expect(data.ops).toHaveLength(invokes);
    expect(data.totalOps).toBe(invokes);
    expect(data.lanes.map((l) => `${l.client}/${l.process}`)).toEqual(['c1/0', 'c2/1', 'c3/2', 'c3/5']);
    expect(data.faults.map((f) => f.name)).toEqual(result.faults.map((f) => (f as { name: string }).name));
    expect(data.violations.map((v) => `${v.check}:${v.property}`)).toEqual(['zookeeper:monotonic-reads', 'zab:committed-survive', 'recipe:lock:mutual-exclusion']);
    expect(data.servers.map((s) => [s.name, s.samples.length])).toEqual([['n1', 3], ['n2', 3], ['n3', 4]]);
    expect(data.endUs).toBe(1_000_000);
  });
  it('marks the witness operations by their invoke index', () => {
    // The witness cites #2 and #3 (one op's invoke and completion) and #0: two operations.
    expect(data.violations[0]!.witnessOps).toEqual([0, 2]);
    expect(data.violations[1]!.traceEvents).toBe(2);
  });
});

describe('structure', () => {
  it('orders the sections: verdict, summary, faults, timeline, violations, charts', () => {
    const at = (s: string) => html.indexOf(s);
    const order = ['<div class="verdict">VIOLATION</div>', 'id="summary"', 'id="faults"', 'id="timeline-section"', 'id="violations"', 'id="charts"', 'id="report-data"'].map(at);
    expect(order.every((x) => x >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('<title>fixture seed 7: VIOLATION</title>');
    for (const id of ['timeline', 'latency', 'throughput', 'tip', 'tl-reset', 'tl-out', 'tl-view']) expect(html).toContain(`id="${id}"`);
  });
  it('lists each check with its verdict, count and note, the replay command and the stats', () => {
    expect(markup).toMatch(/<tr><td>zookeeper<\/td><td><span class="badge bad">violation<\/span><\/td><td class="num">1<\/td><td>6 ops checked/);
    expect(markup).toContain('<code>npx sim run fixture.yaml --seed 7</code>');
    expect(markup).toContain('<b>sim time</b> 1,000 ms');
    expect(markup).toContain('<b>sim:real</b> 50x');
    expect(markup).toMatch(/<td class="num">1<\/td><td>n1<\/td><td class="num">0 ms<\/td><td class="num">50 ms<\/td>/);
  });
  it('flags the fault that never fired, in the banner and in its row', () => {
    expect(markup).toMatch(/class="alarm">[^<]*1 fault never fired \(never\): trigger never fired: the scenario did not test what it claims/);
    expect(markup).toMatch(/<tr class="never"><td>never<\/td>[\s\S]*?NEVER FIRED[\s\S]*?\(no sync happened\)<\/td><\/tr>/);
    expect(markup).toMatch(/<td>part<\/td><td>partition<\/td><td>leader → n1<\/td><td class="num">300 ms<\/td><td class="num">450 ms<\/td><td>broadcast<\/td>/);
  });
  it('lists witness operations once each, with value → output and times', () => {
    const zk = markup.slice(markup.indexOf('id="violation-0"'), markup.indexOf('id="violation-1"'));
    expect(zk.match(/<tr><td class="num">#/g)).toHaveLength(2);
    expect(zk).toContain('#0</td><td>0 (c1)</td><td>create</td>');
    expect(zk).toContain('<span class="st-ok">ok</span> zxid 0x100000001 at n1');
    expect(zk).toContain('ok #1 at 102 ms');
    expect(zk).toContain('#2</td><td>1 (c2)</td><td>getData</td><td>{&quot;path&quot;:&quot;/r0&quot;} → {&quot;data&quot;:&quot;&lt;img');
    expect(zk).not.toContain('BADVERSION');
  });
  it('lists ZAB trace events with hex zxids, and other witnesses as JSON', () => {
    const zab = markup.slice(markup.indexOf('id="violation-1"'), markup.indexOf('id="violation-2"'));
    expect(zab).toContain('<td class="num">42</td><td class="num">101 ms</td><td>commit</td><td>n1</td><td>0x100000001</td>');
    expect(zab).toContain('<td>truncate</td><td>n2</td><td>to 0x100000000</td>');
    expect(markup).toMatch(/<pre class="json">\{\n {2}&quot;holders&quot;: \[/);
  });
  it('says so when there is nothing to report', () => {
    const clean = renderReport({ ...result, verdict: 'ok', checks: { zab: { verdict: 'ok', violations: [] } }, faults: [] }, { violations: [], stats: {} });
    expect(clean).toContain('<div class="verdict">OK</div>');
    expect(clean).toContain('No violations.');
    expect(clean).toContain('No faults in this scenario.');
    expect(clean).toContain('This run has no client history.');
    expect(clean).not.toContain('class="alarm">');
  });
});

describe('determinism', () => {
  it('renders identical input to identical bytes', () => {
    const again = sampleRun();
    expect(renderReport(again.result, again.outcome)).toBe(html);
  });
  it('uses no clock or random source in src/report', () => {
    const dir = join(import.meta.dirname, '../../src/report');
    // The browser scripts live in assets/; only what runs in Node must be deterministic.
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/Math\.random|Date\.now|performance\.now|new Date\b/);
    }
  });
});
