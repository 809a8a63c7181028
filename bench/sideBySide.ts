/**
 * Rows of the checker bench's side-by-side table: zabsim's figure, Porcupine's from the same run,
 * their ratio (zabsim ÷ Porcupine: below 1× zabsim is faster) and a ✓/✗ against the target.
 * Printed as a Markdown table so it can be pasted into notes as it is.
 */

/** A target from issue 18: a ratio cap, a time cap, or both (both must hold). */
export interface Target {
  /** zabsim ÷ Porcupine must be at most this (`strict`: below it). */
  maxRatio?: number;
  strict?: boolean;
  /** zabsim's figure must be below this. */
  belowMs?: number;
}

/** One row; a missing figure prints as "n/a" and leaves its target unjudged. */
export interface Row {
  work: string;
  zabsimMs?: number;
  porcupineMs?: number;
  target?: Target;
  note?: string;
}

/** Milliseconds with precision that suits their size. */
export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** "0.34×", or "n/a" when either side is missing. */
export function fmtRatio(zabsimMs: number | undefined, porcupineMs: number | undefined): string {
  const r = ratio(zabsimMs, porcupineMs);
  return r === undefined ? 'n/a' : `${r < 10 ? r.toFixed(2) : r.toFixed(1)}×`;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0 ? undefined : a / b;
}

/** "✓ < 100 ms and ≤ 2×", "✗ ≤ 1× (1.63×)", or "? …" when a figure is missing. */
export function judge(row: Row): string {
  const t = row.target;
  if (t === undefined) return '';
  const parts: string[] = [];
  let met: boolean | undefined = true;
  if (t.belowMs !== undefined) {
    parts.push(`< ${t.belowMs} ms`);
    if (row.zabsimMs === undefined || !Number.isFinite(row.zabsimMs)) met = undefined;
    else if (row.zabsimMs >= t.belowMs) met = false;
  }
  if (t.maxRatio !== undefined) {
    parts.push(`${t.strict ? '<' : '≤'} ${t.maxRatio}×`);
    const r = ratio(row.zabsimMs, row.porcupineMs);
    if (r === undefined) met = met === false ? false : undefined;
    else if (t.strict ? r >= t.maxRatio : r > t.maxRatio) met = false;
  }
  const mark = met === undefined ? '?' : met ? '✓' : '✗';
  return `${mark} ${parts.join(' and ')}`;
}

/** The table's lines (header included). */
export function tableLines(rows: Row[]): string[] {
  const lines = ['| work | zabsim | Porcupine | ratio | target | note |', '| --- | ---: | ---: | ---: | --- | --- |'];
  for (const r of rows) {
    lines.push(`| ${r.work} | ${fmtMs(r.zabsimMs)} | ${fmtMs(r.porcupineMs)} | ${fmtRatio(r.zabsimMs, r.porcupineMs)} | ${judge(r)} | ${r.note ?? ''} |`);
  }
  return lines;
}

/** The median (upper median for an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** Sum of a list. */
export function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

/** Times a call with the monotonic clock. */
export function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}
