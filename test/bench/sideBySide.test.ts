/**
 * Goal: the checker bench's table judges targets as the issue states them and reads `sim check
 * --json` output in both the single-file (one pretty document) and the multi-file (JSON lines with
 * a summary) form. No measured number is asserted anywhere: only the arithmetic on given figures.
 */
import { describe, expect, it } from 'vitest';
import { fmtRatio, judge } from '../../bench/sideBySide.ts';
import { parseJsonOutput } from '../../bench/simCli.ts';

describe('side-by-side rows', () => {
  it('prints the ratio as zabsim ÷ Porcupine', () => {
    expect(fmtRatio(205.9, 608.6)).toBe('0.34×');
    expect(fmtRatio(1, undefined)).toBe('n/a');
  });

  it('judges ratio caps, time caps and both, and leaves a missing figure unjudged', () => {
    expect(judge({ work: '', zabsimMs: 50, porcupineMs: 100, target: { maxRatio: 1, strict: true } })).toBe('✓ < 1×');
    expect(judge({ work: '', zabsimMs: 100, porcupineMs: 100, target: { maxRatio: 1, strict: true } })).toBe('✗ < 1×');
    expect(judge({ work: '', zabsimMs: 100, porcupineMs: 100, target: { maxRatio: 1 } })).toBe('✓ ≤ 1×');
    expect(judge({ work: '', zabsimMs: 60, porcupineMs: 20, target: { belowMs: 100, maxRatio: 2 } })).toBe('✗ < 100 ms and ≤ 2×');
    expect(judge({ work: '', zabsimMs: 120, porcupineMs: undefined, target: { belowMs: 100, maxRatio: 2 } })).toBe('✗ < 100 ms and ≤ 2×');
    expect(judge({ work: '', zabsimMs: 20, porcupineMs: undefined, target: { belowMs: 100, maxRatio: 2 } })).toBe('? < 100 ms and ≤ 2×');
    expect(judge({ work: '', zabsimMs: 20 })).toBe('');
  });
});

describe('reading sim check --json', () => {
  it('reads one pretty document', () => {
    expect(parseJsonOutput('{\n  "verdict": "ok",\n  "elapsedMs": 3\n}\n')).toEqual([{ verdict: 'ok', elapsedMs: 3 }]);
  });

  it('reads JSON lines with a summary and skips lines that are not JSON', () => {
    const text = '{"file":"a","verdict":"ok","checkMs":1}\nwarning: slow\n{"summary":true,"checkMs":1}\n';
    expect(parseJsonOutput(text)).toEqual([{ file: 'a', verdict: 'ok', checkMs: 1 }, { summary: true, checkMs: 1 }]);
  });
});
