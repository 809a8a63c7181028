/**
 * Goal: the ZooKeeper scenario language accepts every shipped scenario and refuses bad input
 * with one `file:line:col: message` naming the offending line, never another kind of error.
 * Method: a table of small broken scenarios, each with the line the error must point at and a
 * phrase the message must contain; then a fast-check property that mutates a valid scenario
 * (drop, retype or add keys at random) and asserts that loading either succeeds or fails with
 * an InputError at a real position.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { loadScenarioFile } from '../../src/scenario/loadScenario.ts';
import { InputError } from '../../src/scenario/yamlSource.ts';
import type { ZabSystemParams } from '../../src/run/systems/zabSystem.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zabsim-scn-'));
let n = 0;
const write = (body: string): string => {
  const file = join(dir, `s${n++}.yaml`);
  writeFileSync(file, body);
  return file;
};

const BASE = `system: zookeeper
durationMs: 10000
cluster:
  servers: 3
workload:
  kind: register
`;

/** Loads `body`; returns the InputError it raised (fails the test on success or another error). */
function inputError(body: string): InputError {
  const file = write(body);
  try {
    loadScenarioFile(file);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`expected an InputError for:\n${body}`);
}

describe('shipped scenarios', () => {
  const files = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml'));
  it.each(files)('%s loads and names itself after its file', (f) => {
    const scn = loadScenarioFile(join(root, 'scenarios', f));
    expect(scn.name).toBe(f.replace(/\.yaml$/, ''));
    const spec = scn.spec(scn.defaultSeed);
    expect(spec.durationUs).toBeGreaterThan(0);
  });

  it('the flagship crashes the leader on the first PROPOSAL before COMMIT', () => {
    const spec = loadScenarioFile(join(root, 'scenarios/leader-crash-before-commit.yaml')).spec('1');
    const p = spec.params as ZabSystemParams;
    expect(p.faults).toEqual([
      {
        name: 'crash-in-flight',
        action: { kind: 'crash', target: ['leader', 'random-follower'], disk: 'lose-unsynced' },
        trigger: { type: 'when', condition: { sent: 'PROPOSAL', from: 'leader', before: ['COMMIT'] }, nth: 1, times: 1, delayUs: 0, startUs: 3_000_000 },
        durationUs: 3_000_000,
      },
    ]);
  });
});

describe('bad scenarios: file:line:col and what was expected', () => {
  // [what, body, line the error must point at, phrase]
  const cases: [string, string, number, string][] = [
    ['malformed YAML', `${BASE}faults: [\n  - {do: crash\n`, 9, 'invalid YAML'],
    ['unknown top-level key', `${BASE}clusterr: {}\n`, 7, 'unknown key "clusterr"'],
    ['unknown key in a fault', `${BASE}faults:\n  - do: crash\n    target: leader\n    atMs: 10\n    colour: red\n`, 11, 'unknown key "colour"'],
    ['wrong type', BASE.replace('servers: 3', 'servers: three'), 4, 'cluster.servers'],
    ['negative duration', `${BASE}faults:\n  - do: pause\n    target: leader\n    atMs: 10\n    durationMs: -5\n`, 11, 'faults.0.durationMs'],
    ['negative run duration', BASE.replace('durationMs: 10000', 'durationMs: -1'), 2, 'durationMs'],
    ['a trigger on an unknown message type', `${BASE}faults:\n  - do: crash\n    target: leader\n    when: { sent: PROPOSE }\n`, 10, 'unknown message type "PROPOSE"'],
    ['a trigger on an unknown protocol event', `${BASE}faults:\n  - do: crash\n    target: leader\n    when: { proto: decide }\n`, 10, 'unknown protocol event "decide": expected one of state, decided'],
    ['an unknown server', `${BASE}faults:\n  - do: crash\n    target: n7\n    atMs: 1\n`, 9, 'unknown target "n7"'],
    ['more crashed servers than keepQuorum allows', `${BASE}keepQuorum: true\nfaults:\n  - do: crash\n    target: [n1, n2]\n    atMs: 1\n`, 10, 'leaves no quorum'],
    ['a server in two partition groups', `${BASE}faults:\n  - do: partition\n    groups: [[n1, n2], [n2, n3]]\n    atMs: 1\n`, 9, 'server n2 is in two partition groups'],
    ['no trigger', `${BASE}faults:\n  - do: crash\n    target: leader\n`, 8, 'expected a trigger'],
    ['two triggers', `${BASE}faults:\n  - do: crash\n    target: leader\n    atMs: 1\n    everyMs: 5\n`, 8, 'expected one trigger, got atMs and everyMs'],
    ['a duration on a fault that cannot be undone', `${BASE}faults:\n  - do: heal\n    atMs: 1\n    durationMs: 10\n`, 10, 'cannot be undone'],
    ['after an unknown fault', `${BASE}faults:\n  - do: heal\n    after: nope\n`, 9, '"nope" is not the name of another fault'],
    ['a random target as an event filter', `${BASE}faults:\n  - do: crash\n    target: leader\n    when: { sent: PROPOSAL, from: random-follower }\n`, 10, 'cannot filter events'],
    ['an unknown workload', BASE.replace('kind: register', 'kind: bank'), 6, 'workload.kind: expected one of'],
    ['a bad workload parameter', `${BASE}  keys: 0\n`, 7, 'workload.keys'],
    ['an unknown workload parameter', `${BASE}  colour: red\n`, 7, 'unknown key "colour" in workload'],
    ['an observer that is not a server', BASE.replace('servers: 3', 'servers: 3\n  observers: [n4]'), 5, 'n4 is not a server'],
    ['an unknown engine mutation', `${BASE}engine: { mutations: [commit-early] }\n`, 7, 'engine.mutations.0'],
    ['an unknown system', BASE.replace('system: zookeeper', 'system: etcd'), 1, 'system: expected "zookeeper" or "gossip"'],
    ['a workload longer than the run', `${BASE}  durationMs: 20000\n`, 7, 'longer than the run'],
  ];
  it.each(cases)('%s', (_what, body, line, phrase) => {
    const err = inputError(body);
    expect(err.message).toMatch(/^.+\.yaml:\d+:\d+: /);
    expect(err.detail).toContain(phrase);
    expect(err.line).toBe(line);
  });
});

describe('mutated scenarios never escape as anything but an InputError', () => {
  const valid = readFileSync(join(root, 'scenarios/leader-crash-before-commit.yaml'), 'utf8');
  const doc = parseYaml(valid) as Record<string, unknown>;
  const junk = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.string({ maxLength: 6 }), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}));

  it('drop, retype or add a key anywhere', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'retype', 'add'), junk), { minLength: 1, maxLength: 3 }), (edits) => {
        const copy = structuredClone(doc);
        for (const [pick, how, value] of edits) mutate(copy, pick, how, value);
        const file = write(stringify(copy));
        try {
          loadScenarioFile(file);
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          const e = err as InputError;
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.message.startsWith(`${file}:${e.line}:${e.col}: `)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

/** Every (container, key) pair in a JSON value, depth-first. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([v as Record<string, unknown>, k]), slots(x, out);
  return out;
}

function mutate(root: Record<string, unknown>, pick: number, how: string, value: unknown): void {
  const all = slots(root);
  if (all.length === 0) return;
  const [container, key] = all[pick % all.length]!;
  if (how === 'drop') {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
  } else if (how === 'retype') {
    (container as Record<string | number, unknown>)[key] = value;
  } else if (!Array.isArray(container)) {
    container[`x${pick % 7}`] = value;
  }
}

describe('docs/scenarios.md', () => {
  // Every complete YAML example in the language reference must load, merged into a minimal scenario.
  const md = readFileSync(join(root, 'docs/scenarios.md'), 'utf8');
  const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => !b.includes('{ ... }'));
  it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(6));
  it.each(blocks.map((b, i) => [i, b] as const))('example %i loads', (_i, block) => {
    const base = parseYaml(BASE.replace('servers: 3', 'servers: 5').replace('durationMs: 10000', 'durationMs: 30000')) as Record<string, unknown>;
    const example = parseYaml(block) as Record<string, unknown>;
    const file = write(stringify({ ...base, ...example }));
    expect(() => loadScenarioFile(file)).not.toThrow();
  });
});
