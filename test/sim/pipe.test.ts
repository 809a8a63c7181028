/**
 * A pipe is the FIFO of one direction of a connection, kept as a ring of parallel arrays. Any
 * interleaving of sends, deliveries, retransmission-time changes and resets must behave like a
 * plain queue of segments: same order, same fields, nothing lost or duplicated when the ring
 * wraps around or grows.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Pipe, type Segment, type SegmentKind } from '../../src/sim/network/connection.ts';

type Op = { op: 'push'; kind: SegmentKind; readyAtUs: number } | { op: 'shift' } | { op: 'retime'; readyAtUs: number } | { op: 'clear' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('push' as const), kind: fc.constantFrom<SegmentKind>('data', 'synack', 'fin', 'rst'), readyAtUs: fc.nat(1_000_000) }) },
  { weight: 4, arbitrary: fc.constant({ op: 'shift' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('retime' as const), readyAtUs: fc.nat(1_000_000) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

const headOf = (p: Pipe): Segment => ({ kind: p.headKind(), msgId: p.headMsgId(), payload: p.headPayload(), readyAtUs: p.headReadyAtUs() });

describe('pipe', () => {
  it('behaves as a FIFO queue of segments under any interleaving', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        const pipe = new Pipe(0, 1);
        const model: Segment[] = [];
        let nextId = 1;
        for (const o of ops) {
          if (o.op === 'push') {
            const seg: Segment = { kind: o.kind, msgId: nextId, payload: { n: nextId }, readyAtUs: o.readyAtUs };
            nextId++;
            model.push(seg);
            pipe.push(seg.kind, seg.msgId, seg.payload, seg.readyAtUs);
          } else if (o.op === 'shift') {
            if (model.length > 0) expect(headOf(pipe)).toEqual(model[0]);
            model.shift();
            pipe.shift();
          } else if (o.op === 'retime') {
            if (model.length === 0) continue;
            model[0] = { ...model[0]!, readyAtUs: o.readyAtUs };
            pipe.setHeadReadyAtUs(o.readyAtUs);
          } else {
            model.length = 0;
            pipe.clear();
          }
          expect(pipe.length).toBe(model.length);
        }
        const rest: Segment[] = [];
        while (pipe.length > 0) {
          rest.push(headOf(pipe));
          pipe.shift();
        }
        expect(rest).toEqual(model);
      }),
    );
  });

  it('keeps hundreds of segments in order across growth and wrap-around', () => {
    const pipe = new Pipe(0, 1);
    let sent = 0;
    let received = 0;
    // Fill faster than it drains, so the ring wraps while it grows.
    for (let round = 0; round < 200; round++) {
      for (let k = 0; k < 3; k++) pipe.push('data', ++sent, sent, sent * 10);
      expect(pipe.headMsgId()).toBe(received + 1);
      pipe.shift();
      received++;
    }
    while (pipe.length > 0) {
      expect(pipe.headPayload()).toBe(++received);
      pipe.shift();
    }
    expect(received).toBe(sent);
  });
});
