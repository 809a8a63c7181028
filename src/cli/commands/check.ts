import type { Command } from 'commander';
import type { CheckFlags } from '../check/options.ts';

/**
 * `sim check PATH...`: check histories (or ZAB event traces) and print one verdict per file.
 * Registration names no checker module: the action loads them, so `sim --help` and the other
 * commands start without them (the valid names are listed by the usage error for a bad one).
 */
export function registerCheck(program: Command, result: { code: number }): void {
  program
    .command('check')
    .summary('check histories for linearizability (or ZooKeeper guarantees / ZAB properties)')
    .description('check histories for linearizability (or ZooKeeper guarantees / ZAB properties); exit 1 if any is illegal, else 2 if any is bad input, else 3 if any is unknown')
    .argument('<path...>', 'history files (.edn, .jsonl, .ndjson, .json, .log, .txt) or ZAB event traces, or directories of them')
    .requiredOption('--model <model>', 'register, cas-register, etcd, mutex, multi-register, kv, znode, zookeeper or zab')
    .option('--format <format>', 'history format: edn, jsonl or etcd (default: from the extension, else the content)')
    .option('--initial <value>', 'initial register/key value as EDN (e.g. 0, nil, "x")')
    .option('--timeout-ms <ms>', 'time limit per file; past it that file\'s verdict is unknown', '60000')
    .option('--jobs <n>', 'check up to this many files at once (at most one per CPU), in worker threads; the output order stays the input order', '1')
    .option('--json', 'print one JSON object per line per file, then a summary line')
    .option('--no-witness', 'report an illegal history without shrinking it to a witness (faster on many files)')
    .action(async (paths: string[], flags: CheckFlags) => {
      const { checkCommand } = await import('../actions/check.ts');
      result.code = await checkCommand(paths, flags);
    });
}
