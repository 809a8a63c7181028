/** `sim check --model <linearizability model>`: the WGL search, then a witness for an illegal history. */
import { readHistory } from '../../../checker/formats/index.ts';
import { checkHistory, minimalWitness, ModelInputError, reportJson, reportLines } from '../../../checker/linearizability/index.ts';
import { atOps, timed, type Checker } from '../checkerRun.ts';
import { checkedModel } from '../options.ts';

/** Checks a history for linearizability under `options.model`. */
export const checkLinearizable: Checker = (file, text, options, budget) => {
  const history = readHistory(file, text, options.format);
  const model = checkedModel(options);
  const [res, checkMs] = atOps(file, history, () => timed(() => checkHistory(model, history.ops, budget)), (err) => (err instanceof ModelInputError ? err.op : undefined));
  const [witness, witnessMs] = res.verdict === 'illegal' && options.witness ? timed(() => minimalWitness(model, res, budget)) : [undefined, null];
  return {
    verdict: res.verdict,
    checkMs,
    witnessMs,
    render: (ms) => ({ lines: reportLines(model, res, witness, ms), report: reportJson(model, res, witness, ms) }),
  };
};
