/**
 * Text and JSON renderings of a linearizability result, so the CLI only parses and prints.
 */
import type { Operation } from '../history/operations.ts';
import type { LinearizabilityResult } from './check.ts';
import type { Model } from './model.ts';
import type { Witness } from './witness.ts';

function describeOp<S, I>(model: Model<S, I>, op: Operation, relaxed = false): string {
  const input = model.prepare(op);
  const what = input === undefined ? `${op.f} ${JSON.stringify(op.input)}` : model.describeInput(input);
  const end = op.completion === undefined ? 'never completed' : `${op.status} #${op.completion.index}${op.status === 'info' ? '' : ` at ${op.ret}`}`;
  return `#${op.invoke.index} process ${op.process}: ${what}  [invoke at ${op.call}, ${end}]${relaxed ? '  (relaxed)' : ''}`;
}

/** One line saying how the witness was reduced from the illegal partition. */
function reductionLine(w: Witness): string {
  const r = w.reductions;
  const parts: string[] = [];
  if (r.cutAfter !== null) parts.push(`cut after time ${r.cutAfter}`);
  if (r.droppedReads > 0) parts.push(`${r.droppedReads} read${r.droppedReads === 1 ? '' : 's'} dropped`);
  if (r.relaxed > 0) parts.push(`${r.relaxed} operation${r.relaxed === 1 ? '' : 's'} relaxed to may-not-have-happened`);
  if (r.droppedOptional > 0) parts.push(`${r.droppedOptional} unobserved optional operation${r.droppedOptional === 1 ? '' : 's'} dropped`);
  if (r.otherComponents > 0) parts.push(`${r.otherComponents} operation${r.otherComponents === 1 ? '' : 's'} on independent keys left out`);
  return parts.length === 0 ? 'the illegal partition as it is' : parts.join(', ');
}

/** Human-readable report lines. */
export function reportLines<S, I>(model: Model<S, I>, result: LinearizabilityResult, witness: Witness | undefined, elapsedMs?: number): string[] {
  const took = elapsedMs === undefined ? '' : `, ${elapsedMs.toFixed(1)} ms`;
  const lines = [
    `linearizable: ${result.verdict}${result.reason ? ` (${result.reason})` : ''} — ${model.name} model, ${result.operationCount} operations, ` +
      `${result.partitionCount} partition${result.partitionCount === 1 ? '' : 's'}, ${result.steps} search steps${took}`,
  ];
  if (result.illegal !== undefined) lines.push(`illegal partition: ${result.illegal.key} (${result.illegal.operations.length} operations)`);
  if (witness !== undefined) {
    lines.push(`witness: ${witness.operations.length} operations${witness.minimal ? ' (minimal)' : ' (shrinking stopped early)'}, from the ${witness.startedFrom} of the illegal partition: ${reductionLine(witness)}:`);
    // The definite operations carry the violation; the optional ones only fail to rescue it.
    const optional = witness.items.filter((it) => it.optional);
    for (const it of witness.items) if (!it.optional) lines.push(`  ${describeOp(model, it.op)}`);
    if (optional.length > 0) {
      lines.push(`  and ${optional.length} that may or may not have happened (no choice of them makes an order work):`);
      for (const it of optional) lines.push(`  ${describeOp(model, it.op, it.relaxed)}`);
    }
    lines.push('explanation:');
    for (const s of witness.explanation) lines.push(`  ${s}`);
  }
  if (result.verdict === 'unknown') {
    const hint = result.reason === 'memory' ? 'the memo cache hit its memory cap' : result.reason === 'timeout' ? 'the time limit ran out (raise --timeout-ms)' : 'the step budget ran out';
    lines.push(`no verdict: ${hint}; no violation was found in the part searched.`);
  }
  return lines;
}

/** Machine-readable result (stable field names). */
export function reportJson<S, I>(model: Model<S, I>, result: LinearizabilityResult, witness: Witness | undefined, elapsedMs?: number): Record<string, unknown> {
  const opJson = (op: Operation, relaxed = false): Record<string, unknown> => ({
    index: op.invoke.index,
    completionIndex: op.completion?.index ?? null,
    process: op.process,
    f: op.f,
    value: op.input,
    output: op.output ?? null,
    status: op.status,
    call: op.call,
    ret: op.ret === Infinity ? null : op.ret,
    relaxed,
  });
  return {
    checker: 'linearizable',
    model: model.name,
    verdict: result.verdict,
    reason: result.reason ?? null,
    operations: result.operationCount,
    partitions: result.partitionCount,
    steps: result.steps,
    peakCacheBytes: result.peakCacheBytes,
    elapsedMs: elapsedMs ?? null,
    illegalPartition: result.illegal ? { key: result.illegal.key, operations: result.illegal.operations.length } : null,
    witness: witness
      ? {
          minimal: witness.minimal,
          minimality: witness.minimality,
          startedFrom: witness.startedFrom,
          reductions: witness.reductions,
          operations: witness.items.map((it) => opJson(it.op, it.relaxed)),
          explanation: witness.explanation,
        }
      : null,
  };
}
