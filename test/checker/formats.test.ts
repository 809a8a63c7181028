/**
 * Goal: every history format reads what the others write, keeps all op fields, skips nemesis
 * ops, and reports malformed input as `file:line:col: what was expected`, pointing at the
 * offending character (the field's value for a bad field, the record for a missing one).
 * Method: fast-check round-trips of random ops through EDN and JSON Lines, plus hand-written
 * inputs covering Jepsen's EDN features and each kind of malformation.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { detectFormat, FormatError, readEdn, readEdnHistory, readEtcdLog, readHistory, readJsonlHistory, writeEdnHistory, writeJsonlHistory } from '../../src/checker/formats/index.ts';
import type { HistoryOp } from '../../src/checker/history/op.ts';
import { jsonErrorOffset } from '../../src/checker/formats/jsonPosition.ts';

const key = fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__' && !['index', 'type', 'process', 'f', 'value', 'time'].includes(k));
const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)), fc.string());
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
})).v;
const opArb = fc.record({
  type: fc.constantFrom('invoke', 'ok', 'fail', 'info'),
  process: fc.integer({ min: 0, max: 1000 }),
  f: fc.constantFrom('read', 'write', 'cas', 'setData', 'txn', 'with space', 'x/y'),
  value,
  time: fc.oneof(fc.constant(-1), fc.nat()),
  session: fc.option(fc.nat(), { nil: undefined }),
  error: fc.option(fc.constantFrom('timed-out', 'NONODE'), { nil: undefined }),
});
const historyArb = fc.array(opArb, { maxLength: 20 }).map((ops) =>
  ops.map((o, index) => {
    const op: HistoryOp = { index, type: o.type, process: o.process, f: o.f, value: o.value, time: o.time };
    if (o.session !== undefined) op.session = o.session;
    if (o.error !== undefined) op.error = o.error;
    return op;
  }),
);

describe('round trips', () => {
  test.prop([historyArb])('EDN: write then read gives the same ops', (ops) => {
    expect(readEdnHistory(writeEdnHistory(ops)).ops).toEqual(ops);
  });
  test.prop([historyArb])('JSON Lines: write then read gives the same ops', (ops) => {
    expect(readJsonlHistory(writeJsonlHistory(ops)).ops).toEqual(ops);
  });
});

describe('Jepsen EDN', () => {
  it('reads a vector of maps with comments, nested vectors, nil, nemesis ops and extra keys', () => {
    const text = [
      '; a Jepsen history',
      '[{:type :invoke, :f :txn, :value [[:read :x nil] [:append :y 3]], :process 0, :time 10, :index 0}',
      ' {:type :info, :f :start-partition, :value "majority", :process :nemesis, :time 11, :index 1}',
      ' {:type :ok, :f :txn, :value [[:read :x [1 2]] [:append :y 3]], :process 0, :time 12, :index 2, :node "n1"}',
      ' {:type :fail, :f :read, :value nil, :process 1, :time 13, :index 3, :error [:timeout "t/o"]}]',
    ].join('\n');
    const { ops, lines } = readEdnHistory(text);
    expect(lines).toEqual([2, 4, 5]);
    expect(ops).toEqual([
      { index: 0, type: 'invoke', f: 'txn', process: 0, time: 10, value: [['read', 'x', null], ['append', 'y', 3]] },
      { index: 2, type: 'ok', f: 'txn', process: 0, time: 12, value: [['read', 'x', [1, 2]], ['append', 'y', 3]], node: 'n1' },
      { index: 3, type: 'fail', f: 'read', process: 1, time: 13, value: null, error: ['timeout', 't/o'] },
    ]);
  });
  it('reads one map per line and fills missing index and time', () => {
    const { ops } = readEdnHistory('{:type :invoke :f :read :process 0}\n{:type :ok :f :read :process 0 :value 3}\n');
    expect(ops.map((o) => [o.index, o.time, o.value])).toEqual([
      [0, -1, null],
      [1, -1, 3],
    ]);
  });
  it('reads EDN scalars: strings with escapes, chars, sets, tags, discards', () => {
    const { forms } = readEdn('"a\\"b\\n" \\x #{1 2} #inst "2020" #_ :gone 1.5 -3N');
    expect(forms.map((f) => f.value)).toMatchObject(['a"b\n', 'x', { items: [1, 2] }, { tag: 'inst', value: '2020' }, 1.5, -3]);
  });
});

describe('etcd log', () => {
  it('reads invoke/ok/fail/info lines with tabs or spaces', () => {
    const text = 'INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\nINFO  jepsen.util - 2 :fail :cas [3 0]\nINFO  jepsen.util - 3\t:info\t:write\t:timed-out\nINFO  jepsen.util - 4\t:invoke\t:read\tnil\n';
    const { ops } = readEtcdLog(text);
    expect(ops).toEqual([
      { index: 0, type: 'invoke', process: 2, f: 'cas', value: [3, 0], time: 1 },
      { index: 1, type: 'fail', process: 2, f: 'cas', value: [3, 0], time: 2 },
      { index: 2, type: 'info', process: 3, f: 'write', value: null, time: 3, error: 'timed-out' },
      { index: 3, type: 'invoke', process: 4, f: 'read', value: null, time: 4 },
    ]);
  });
});

describe('JSON error positions', () => {
  test.prop([fc.json()])('valid JSON has no error offset', (text) => {
    expect(jsonErrorOffset(text)).toBe(text.length);
  });
  it('points at the first offending character, even when V8 gives no position', () => {
    expect(jsonErrorOffset('{"a":}')).toBe(5);
    expect(jsonErrorOffset('{"a":1,}')).toBe(7);
    expect(jsonErrorOffset('{"a":[1,2}')).toBe(9);
    expect(jsonErrorOffset('{"a":"\\q"}')).toBe(7);
    expect(jsonErrorOffset('{"a":1')).toBe(6);
    expect(jsonErrorOffset('nope')).toBe(1);
  });
});

describe('malformed input names file, line and column', () => {
  const cases: [string, string, string, RegExp][] = [
    ['h.edn', '{:type :invoke :f :read :process 0}\n{:type :ok :f :read\n :process 0', 'edn', /^h\.edn:3:12: expected '}' to close the collection opened on line 2$/],
    ['h.edn', '{:type :invoke :f :read :process 0}\n\n{:type :done :f :read :process 0}', 'edn', /^h\.edn:3:8: expected :type to be one of invoke, ok, fail, info; got "done"$/],
    ['h.edn', '[{:type :invoke :f :read :process 0}\n 42]', 'edn', /^h\.edn:2:2: expected an op map/],
    ['h.edn', '{:type :invoke :f :read :process 0 :value "abc}', 'edn', /^h\.edn:1:43: expected '"' to close the string/],
    ['h.edn', '{:type :invoke :f :read :process 0 :time 1.5}', 'edn', /^h\.edn:1:42: expected :time to be an integer/],
    ['h.jsonl', '{"type":"invoke","process":0,"f":"read"}\n\n{"type":"ok","process":0,"f":"read",}', 'jsonl', /^h\.jsonl:3:37: expected one JSON object per line/],
    ['h.jsonl', '{"type":"invoke","process":"x","f":"read"}', 'jsonl', /^h\.jsonl:1:28: expected :process to be an integer or nemesis; got "x"$/],
    ['h.jsonl', '[1,2]', 'jsonl', /^h\.jsonl:1:1: expected a JSON object/],
    ['h.log', 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nsomething else', 'etcd', /^h\.log:2:1: expected "INFO {2}jepsen\.util - <process> :<type> :<f> <value>"$/],
    ['h.log', 'INFO  jepsen.util - 0\t:invoke\t:cas\t[3 0', 'etcd', /^h\.log:1:40: bad value: expected '\]'/],
    ['h.edn', '{:type :invoke :f :read}', 'edn', /^h\.edn:1:1: expected :process to be an integer or nemesis; got null$/],
    ['h.edn', '[{:type :invoke, :f :read, :process 0}\n {:type :ok, :f :read, :process 0, :index "7"}]', 'edn', /^h\.edn:2:43: expected :index to be an integer; got "7"$/],
    ['h.jsonl', '  {"type":"invoke","f":"read"', 'jsonl', /^h\.jsonl:1:30: expected one JSON object per line/],
    ['h.log', 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - x\t:invoke\t:cas\t[3 0]', 'etcd', /^h\.log:2:21: expected an integer process, got "x"$/],
    ['h.log', 'INFO  jepsen.util - 1\t:started\t:cas\t[3 0]', 'etcd', /^h\.log:1:23: expected :invoke, :ok, :fail or :info, got :started$/],
    ['h.log', 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:cas\t[3 0', 'etcd', /^h\.log:2:36: bad value: expected '\]' to close the collection opened on line 2$/],
  ];
  for (const [file, text, format, message] of cases) {
    it(`${format}: ${message.source.slice(0, 60)}`, () => {
      expect(detectFormat(file, text)).toBe(format);
      let caught: unknown;
      try {
        readHistory(file, text);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(FormatError);
      expect((caught as FormatError).message).toMatch(message);
    });
  }
  it('detects formats from content when the extension says nothing', () => {
    expect(detectFormat('h', '{"type":"invoke"}')).toBe('jsonl');
    expect(detectFormat('h', '; c\n{:type :invoke}')).toBe('edn');
    expect(detectFormat('h', 'INFO  jepsen.util - 0 :invoke :read nil')).toBe('etcd');
  });
});
