/**
 * An engine invariant that breaks inside a process stops the run with its context: which node,
 * when, at which trace position, and what input it was handling.
 */
import { expect, it } from 'vitest';
import { InvariantError, assert } from '../../src/engine/assert.ts';
import type { Effect, ProcessInput, SimProcess } from '../../src/sim/host/process.ts';
import { ProcessStepError } from '../../src/sim/host/processStepError.ts';
import { Simulation } from '../../src/sim/simulation.ts';

class Pinger implements SimProcess {
  step(input: ProcessInput): readonly Effect[] {
    if (input.kind === 'start') return [{ kind: 'connect', to: 'b', tag: 't' }];
    if (input.kind === 'connected') return [{ kind: 'send', conn: input.conn, msg: { type: 'PROPOSAL', zxid: 7 } }];
    return [];
  }
}

class Strict implements SimProcess {
  step(input: ProcessInput): readonly Effect[] {
    if (input.kind === 'message') assert((input.msg as { zxid: number }).zxid < 5, 'zxid out of range');
    return [];
  }
}

it('a broken invariant names the node, the time, the trace position and the input', () => {
  const sim = new Simulation({ seed: 3 });
  sim.addProcess('a', () => new Pinger());
  sim.addProcess('b', () => new Strict());
  sim.host('a').start();
  sim.host('b').start();
  let caught: unknown;
  try {
    sim.runUntil(1_000_000);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProcessStepError);
  const e = caught as ProcessStepError;
  expect(e.node).toBe('b');
  expect(e.original).toBeInstanceOf(InvariantError);
  expect(e.timeUs).toBeGreaterThan(0);
  expect(e.traceIndex).toBeGreaterThan(0);
  expect(e.message).toMatch(/^b at \d+\.\d{3} ms \(trace event #\d+\), handling PROPOSAL from a \(conn \d+\): InvariantError: zxid out of range$/);
});
