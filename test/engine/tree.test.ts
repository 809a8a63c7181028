/**
 * The data tree and its stat rules (§1.2, §1.3, §6.1): the fresh tree's system nodes, the
 * derived cversion, parent effects of create/delete/setData, the sequential suffix format and
 * path validation — each as a table of cases.
 */
import { describe, expect, it } from 'vitest';
import { DataTree } from '../../src/engine/tree/dataTree.ts';
import fc from 'fast-check';
import { isValidPath, sequentialSuffix, utf8Length } from '../../src/engine/tree/paths.ts';
import { Pipeline, bytes, create } from './helpers.ts';

describe('fresh tree', () => {
  const tree = DataTree.fresh();
  it.each([
    ['/', { czxid: 0, pzxid: 0, cversion: -1, numChildren: 1, aversion: 0, dataLength: 0 }],
    ['/zookeeper', { cversion: -2, numChildren: 2, aversion: 0 }],
    ['/zookeeper/config', { cversion: 0, numChildren: 0, aversion: -1 }],
    ['/zookeeper/quota', { cversion: 0, numChildren: 0, aversion: 0 }],
  ])('%s reports %o', (path, expected) => {
    expect(tree.statOf(path)).toMatchObject(expected);
  });

  it('maps "" to the root, as DataTree does', () => {
    expect(tree.getNode('')).toBe(tree.getNode('/'));
    expect(tree.childrenOf('')).toEqual(['zookeeper']);
  });
});

describe('stat rules through the pipeline', () => {
  it('create bumps the parent cversion and pzxid, not its mzxid or version', () => {
    const p = new Pipeline();
    p.run(0, create('/t'));
    const before = p.db.tree.statOf('/t')!;
    p.run(0, create('/t/a'));
    const after = p.db.tree.statOf('/t')!;
    expect(after).toMatchObject({ cversion: before.cversion + 1, pzxid: 2, mzxid: before.mzxid, version: 0, numChildren: 1 });
    expect(p.db.tree.statOf('/t/a')).toMatchObject({ czxid: 2, mzxid: 2, pzxid: 2, ctimeMs: 1000, mtimeMs: 1000 });
  });

  it('delete leaves the stored counter alone but the reported cversion counts it', () => {
    const p = new Pipeline();
    p.run(0, create('/t'));
    p.run(0, create('/t/a'));
    p.run(0, { op: 'delete', path: '/t/a', version: -1 });
    expect(p.db.tree.getNode('/t')!.stat.childCreates).toBe(1);
    expect(p.db.tree.statOf('/t')).toMatchObject({ cversion: 2, pzxid: 3, numChildren: 0 });
  });

  it('setData with identical data still bumps version and mzxid; pzxid and czxid stay', () => {
    const p = new Pipeline();
    p.run(0, create('/t', 0, bytes('x')));
    p.timeMs = 5000;
    p.run(0, { op: 'setData', path: '/t', data: bytes('x'), version: 0 });
    expect(p.db.tree.statOf('/t')).toMatchObject({ version: 1, mzxid: 2, pzxid: 1, czxid: 1, mtimeMs: 5000, ctimeMs: 1000 });
  });

  it('null data and empty data both report dataLength 0 but stay distinct', () => {
    const p = new Pipeline();
    p.run(0, create('/n', 0, null));
    p.run(0, create('/e', 0, new Uint8Array(0)));
    expect(p.db.tree.getNode('/n')!.data).toBeNull();
    expect(p.db.tree.getNode('/e')!.data).toEqual(new Uint8Array(0));
    expect(p.db.tree.statOf('/n')!.dataLength).toBe(0);
  });
});

describe('sequential suffix', () => {
  it.each([
    [0, '0000000000'],
    [12, '0000000012'],
    [2147483647, '2147483647'],
    [2147483648, '-2147483648'],
    [-5, '-000000005'],
  ])('counter %d formats as %s', (counter, text) => {
    expect(sequentialSuffix(counter)).toBe(text);
  });
});

describe('path validation', () => {
  it.each([
    ['/', true],
    ['/a', true],
    ['/a/...', true],
    ['/.x', true],
    ['/a b', true],
    ['/é', true],
    ['', false],
    ['a', false],
    ['/a/', false],
    ['//a', false],
    ['/a/.', false],
    ['/a/../b', false],
    ['/a\u0000', false],
    ['/a\u0001', false],
    ['/a\u007f', false],
    ['/a\u009f', false],
    ['/a\ud800', false],
    ['/a\ufff0', false],
    ['/a\u00a0', true],
  ])('%j valid: %s', (path, valid) => {
    expect(isValidPath(path)).toBe(valid);
  });
});

describe('utf8Length', () => {
  it('agrees with TextEncoder, surrogate pairs and lone surrogates included', () => {
    const enc = new TextEncoder();
    for (const s of ['', '/a', 'é', '€', '😀', '\ud800', '\udc00', 'a\ud800b', '\ud800\ud800\udc00', '\udc00\ud800']) expect(utf8Length(s)).toBe(enc.encode(s).length);
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => utf8Length(s) === enc.encode(s).length), { numRuns: 2000, seed: 1 });
  });
});

describe('isValidPath', () => {
  // The former split-based definition, kept as the oracle for the one-pass version.
  const reference = (path: string): boolean => {
    if (path.length === 0 || path[0] !== '/') return false;
    if (path.length === 1) return true;
    if (path.endsWith('/')) return false;
    if (path.slice(1).split('/').some((c) => c.length === 0 || c === '.' || c === '..')) return false;
    return [...path.slice(1)].every((ch) => isValidPath(`/${ch === '/' || ch === '.' ? 'a' : ch}`));
  };
  it('agrees with the split-based definition', () => {
    const piece = fc.constantFrom('/', '.', '..', 'a', 'zk', '\u0000', '\ud800', '\u0001', 'é', '\ufffe');
    for (const p of ['/', '/a', '/a/', '//', '/.', '/..', '/...', '/a/./b', '/a/../b', '/.a', '/a.', '/..a']) expect(isValidPath(p)).toBe(reference(p));
    fc.assert(fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
      const p = parts.join('');
      return isValidPath(p) === reference(p) && isValidPath(`/${p}`) === reference(`/${p}`);
    }), { numRuns: 3000, seed: 2 });
  });
});
