/** `sim check --model zookeeper`: ZooKeeper's client guarantees on a history. */
import { readHistory } from '../../../checker/formats/index.ts';
import { checkZooKeeper, zkReportJson, zkReportLines, ZkOpError } from '../../../checker/zookeeper/index.ts';
import { atOps, timed, type Checker } from '../checkerRun.ts';

/** Checks a history against ZooKeeper's guarantees. */
export const checkZooKeeperFile: Checker = (file, text, options, budget) => {
  const history = readHistory(file, text, options.format);
  const [res, checkMs] = atOps(file, history, () => timed(() => checkZooKeeper(history.ops, budget)), (err) => (err instanceof ZkOpError ? err.event : undefined));
  return { verdict: res.verdict, checkMs, render: () => ({ lines: zkReportLines(res), report: zkReportJson(res) }) };
};
