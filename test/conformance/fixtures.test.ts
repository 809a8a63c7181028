/**
 * Goal: every conformance trace we ship — the real-server sample and the hand-written traces
 * for rules the sample does not cover — replays against the simulated standalone server with
 * every record matching. Method: parse and replay each file through the conformance library;
 * on failure the assertion message is the replay report (matched/total and each mismatch with
 * its line, expected and got), so a regression names the record it broke. A planted wrong
 * expectation shows the comparison can fail, and on exactly the record that was changed.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatReport, replayTrace } from '../../src/conformance/replay.ts';
import { parseTrace } from '../../src/conformance/traceFormat.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtureDir = join(root, 'test/fixtures/conformance');
const sharedSample = join(root, '../shared/conformance/sample.jsonl');
const fixtures = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .map((f) => join(fixtureDir, f));
const traces = existsSync(sharedSample) ? [...fixtures, sharedSample] : fixtures;

function replayFile(file: string, text = readFileSync(file, 'utf8')) {
  return replayTrace(parseTrace(file.slice(root.length), text));
}

describe('conformance fixtures replay with every record matching', () => {
  it('finds the fixtures, including the copy of the real-server sample', () => {
    expect(fixtures.map((f) => f.slice(fixtureDir.length + 1))).toContain('sample.jsonl');
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(traces.map((file) => [file.slice(root.length), file]))('%s', (_name, file) => {
    const report = replayFile(file);
    expect(report.total).toBeGreaterThan(0);
    // The report text is the failure message: per-file counts and the first mismatches.
    expect(report.mismatches.length === 0 && report.matched === report.total, formatReport(report)).toBe(true);
  });

  it.runIf(existsSync(sharedSample))('the fixture sample is an exact copy of ../shared/conformance/sample.jsonl', () => {
    expect(readFileSync(join(fixtureDir, 'sample.jsonl'), 'utf8')).toBe(readFileSync(sharedSample, 'utf8'));
  });

  it('a planted wrong expectation is reported on its own line and nowhere else', () => {
    const file = join(fixtureDir, 'sample.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const index = lines.findIndex((l) => l.includes('"op":"setData"') && l.includes('"ok":true'));
    expect(index).toBeGreaterThan(0);
    const record = JSON.parse(lines[index]!);
    record.result.stat.version += 1;
    lines[index] = JSON.stringify(record);
    const report = replayFile(file, lines.join('\n'));
    expect(report.mismatches.map((m) => m.line)).toEqual([index + 1]);
    expect(report.matched).toBe(report.total - 1);
    expect(report.byKind.op!.total - report.byKind.op!.matched).toBe(1);
    expect(formatReport(report)).toMatch(/: \d+\/\d+ records match \(.*op \d+\/\d+/);
  });
});
