/**
 * Goal: a real run whose clients write markup into znodes — and whose reads bring it back —
 * produces a report in which that markup is inert text, through the whole path a user takes:
 * scenario YAML → `sim run` → report.html.
 * Method: a short ZooKeeper scenario with the register workload's `valuePrefix` set to script
 * and image payloads; the written report is inspected for the tags it may contain.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/loadScenario.ts';
import { runScenarioSeed } from '../../src/run/runScenario.ts';
import { renderReport } from '../../src/report/index.ts';

const PAYLOAD = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

describe('report from a real run with markup in znode data', () => {
  it('keeps every payload inert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zabsim-xss-'));
    const file = join(dir, 'xss.yaml');
    writeFileSync(
      file,
      `name: xss
system: zookeeper
durationMs: 3000
cluster: { servers: 3 }
clients: { count: 2 }
workload: { kind: register, durationMs: 2500, valuePrefix: ${JSON.stringify(PAYLOAD)} }
`,
    );
    let t = 0;
    const r = await runScenarioSeed(loadScenarioFile(file), '1', { scenarioPath: file, outRoot: dir, wallClockMs: () => (t += 1), renderReport });
    const html = readFileSync(r.report!, 'utf8');
    // The payload was really written and read back: it is in the recorded history.
    const history = readFileSync(join(r.outDir, 'history.jsonl'), 'utf8');
    expect(history.split('\n').filter((l) => l.includes('"type":"ok"') && l.includes('"f":"getData"') && l.includes('alert(1)')).length).toBeGreaterThan(0);
    // Only the report's own four script elements, no image, no handler attribute.
    expect(html.match(/<script/gi)).toHaveLength(4);
    expect(html).not.toContain(PAYLOAD);
    expect(html.toLowerCase()).not.toContain('<img');
    expect(html).not.toMatch(/<[a-z]+[^>]*\sonerror=/i);
  });
});
