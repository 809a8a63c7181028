/**
 * Goal: `sim conformance` behaves as its contract says — exit 0 when every record matches,
 * 1 with the mismatches listed when one does not, 2 for a malformed or unreadable trace with
 * one line naming `file:line:col` and no stack trace. Method: run the real CLI on small traces
 * written to a scratch directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zabsim-conformance-'));

function conformance(name: string, lines: string[], ...flags: string[]) {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  const r = spawnSync(process.execPath, [join(root, 'bin/sim.mjs'), 'conformance', file, ...flags], { cwd: root, encoding: 'utf8' });
  return { file, code: r.status, out: r.stdout, err: r.stderr };
}

const meta = '{"kind":"meta","server":"test","mode":"standalone","tickTime":2000}';
const connect = '{"kind":"connect","session":"A","timeoutMs":10000,"result":{"ok":true,"timeoutMs":10000}}';
const create = '{"kind":"op","session":"A","op":"create","path":"/a","data":"x","mode":"PERSISTENT","result":{"ok":true,"path":"/a"}}';

describe('sim conformance', () => {
  it('exits 0 and prints matched/total when every record matches', () => {
    const r = conformance('good.jsonl', [meta, connect, create]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('good.jsonl: 2/2 records match');
  });

  it('exits 1 and lists the mismatch with its line, expected and got (also as --json)', () => {
    const wrong = create.replace('"path":"/a"}', '"path":"/b"}');
    const r = conformance('wrong.jsonl', [meta, connect, wrong]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('1/2 records match');
    expect(r.out).toMatch(/line 3: expected \{"ok":true,"path":"\/b"\}\n\s+got \{"ok":true,"path":"\/a"/);
    const json = conformance('wrong2.jsonl', [meta, connect, wrong], '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ matched: 1, total: 2, mismatches: [{ line: 3, expected: { path: '/b' } }] });
  });

  it.each([
    ['a line that is not JSON', [meta, connect, '{"kind":"op","session":"A" oops'], /bad\.jsonl:3:28: expected one JSON object per line$/],
    ['a field of the wrong type', [meta, connect.replace('10000,', '"ten",')], /bad\.jsonl:2:33: bad connect record: field timeoutMs: /],
    ['an unknown record kind', [meta, '{"kind":"teleport"}'], /bad\.jsonl:2:2: unknown kind "teleport": expected one of meta, connect, op/],
    ['no meta record first', [connect], /bad\.jsonl:1:1: expected the first record to be kind "meta"/],
    ['a session used before it connects', [meta, create], /bad\.jsonl:2:1: session "A" used before its connect record/],
  ])('exits 2 with file:line:col for %s, in one line without a stack trace', (_what, lines, message) => {
    const r = conformance('bad.jsonl', lines);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err.trim()).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a file that cannot be read', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin/sim.mjs'), 'conformance', join(dir, 'missing.jsonl')], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^sim: .*missing\.jsonl: no such file or directory$/);
  });
});
