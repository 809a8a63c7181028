import { describe, expect, it } from 'vitest';
import { inlineSafe } from '../../src/report/chartjs.ts';
import { escapeHtml, jsonForScript, safeStringify, truncate } from '../../src/report/escape.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that can change markup', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
  it('leaves other text alone', () => {
    expect(escapeHtml('c1: 0x1 → ok ✓')).toBe('c1: 0x1 → ok ✓');
  });
});

describe('jsonForScript', () => {
  const nasty = { data: '</script><script>alert(1)</script>', img: '<img src=x onerror=alert(1)>', amp: 'a&b', comment: '<!-- x -->', ls: 'a\u2028b\u2029c' };
  it('has no <, >, & or raw line separators', () => {
    const s = jsonForScript(nasty);
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
    expect(s).toContain('\\u003c/script\\u003e');
  });
  it('parses back to the same value', () => {
    expect(JSON.parse(jsonForScript(nasty))).toEqual(nasty);
  });
});

describe('safeStringify', () => {
  it('turns bigints into strings and cycles into a marker', () => {
    const o: Record<string, unknown> = { n: 12n };
    o.self = o;
    expect(JSON.parse(safeStringify(o))).toEqual({ n: '12', self: '[cycle]' });
  });
  it('prints a shared, acyclic object in full each time', () => {
    const shared = { a: 1 };
    expect(JSON.parse(safeStringify([shared, shared]))).toEqual([{ a: 1 }, { a: 1 }]);
  });
  it('gives valid JSON for undefined', () => {
    expect(safeStringify(undefined)).toBe('null');
  });
});

describe('truncate and inlineSafe', () => {
  it('cuts long text with a marker', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
  it('breaks closing script tags and comment openers, drops source-map comments', () => {
    const js = 'var s = "</SCRIPT>"; var c = "<!--";\n//# sourceMappingURL=chart.umd.js.map';
    const out = inlineSafe(js);
    expect(out).not.toMatch(/<\/script/i);
    expect(out).not.toContain('<!--');
    expect(out).not.toContain('sourceMappingURL');
    // Still the same program: the escapes mean the same characters in JS strings.
    expect(new Function(`${out}; return [s, c];`)()).toEqual(['</SCRIPT>', '<!--']);
  });
});
