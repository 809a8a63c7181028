/**
 * Escaping for the HTML report. Everything that came from a run (history values, znode data,
 * violation messages, fault names) is untrusted text: it goes into HTML through `escapeHtml`
 * and into embedded data through `jsonForScript`, never raw.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become \u
 * escapes so no `</script>` or `<!--` can end or alter the element, and U+2028/2029 are escaped
 * too (JSON allows them raw; older JS parsers and some tools do not). `JSON.parse` of the element's
 * text gives back the value.
 */
export function jsonForScript(value: unknown): string {
  return safeStringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JSON.stringify that does not throw on what a witness might hold: bigints become strings,
 * cycles become "[cycle]" (shared but acyclic objects print in full), `undefined` at the top
 * becomes null so the output is always valid JSON.
 */
export function safeStringify(value: unknown, indent?: number): string {
  return JSON.stringify(plain(value, new Set()), null, indent) ?? 'null';
}

function plain(v: unknown, ancestors: Set<object>): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object' || v === null) return v;
  if (ancestors.has(v)) return '[cycle]';
  ancestors.add(v);
  let out: unknown;
  if (Array.isArray(v)) out = v.map((x) => plain(x, ancestors) ?? null);
  else {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x, ancestors);
    out = o;
  }
  ancestors.delete(v);
  return out;
}

/** Shortens a string to at most `max` characters, marking the cut. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
