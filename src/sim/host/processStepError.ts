import type { ProcessInput } from './process.ts';

/**
 * A process threw while handling one input: for engine code that is a broken invariant (a bug
 * in the simulator, not a finding about the protocol). The run stops here, and this error
 * carries where it stopped — node, virtual time, trace position and the input — so the failure
 * can be replayed from the seed and read in context.
 */
export class ProcessStepError extends Error {
  constructor(
    readonly node: string,
    readonly timeUs: number,
    readonly traceIndex: number,
    readonly input: ProcessInput,
    readonly original: unknown,
  ) {
    const why = original instanceof Error ? `${original.name}: ${original.message}` : String(original);
    super(`${node} at ${(timeUs / 1000).toFixed(3)} ms (trace event #${traceIndex}), handling ${describeInput(input)}: ${why}`);
    this.name = 'ProcessStepError';
  }
}

/** A one-line description of an input, with the message type when there is one. */
export function describeInput(input: ProcessInput): string {
  switch (input.kind) {
    case 'message': {
      const m = input.msg as { type?: unknown; t?: unknown } | null;
      const type = typeof m?.type === 'string' ? m.type : typeof m?.t === 'string' ? m.t : 'message';
      return `${type} from ${input.peer} (conn ${input.conn})`;
    }
    case 'timer':
      return `timer ${String(input.id)}`;
    case 'fsynced':
      return `fsync ${String(input.id)} of ${input.file}`;
    case 'start':
      return input.restart ? 'restart' : 'start';
    case 'accepted':
    case 'connected':
    case 'connectFailed':
    case 'disconnected':
      return `${input.kind} ${input.peer} (conn ${input.conn})`;
    case 'command':
      return 'command';
  }
}
