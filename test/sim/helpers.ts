import type { Effect, ProcessInput, SimProcess, StepContext } from '../../src/sim/host/process.ts';

/** A scripted process for tests: records every input and runs a handler to produce effects. */
export class ScriptedProcess implements SimProcess {
  readonly inputs: { atUs: number; input: ProcessInput }[] = [];
  constructor(private readonly handler: (input: ProcessInput, ctx: StepContext, self: ScriptedProcess) => Effect[] = () => []) {}
  step(input: ProcessInput, ctx: StepContext): readonly Effect[] {
    this.inputs.push({ atUs: ctx.nowUs, input });
    return this.handler(input, ctx, this);
  }
  /** Messages received, in delivery order. */
  messages(): { peer: string; msg: unknown; atUs: number }[] {
    return this.inputs.flatMap((r) => (r.input.kind === 'message' ? [{ peer: r.input.peer, msg: r.input.msg, atUs: r.atUs }] : []));
  }
  kinds(): string[] {
    return this.inputs.map((r) => r.input.kind);
  }
}
