/**
 * Checker figures, next to Porcupine v1.3.0 (Go) measured on this kind of machine (see
 * ../shared/reference/checker-notes.md §1.6):
 * 1. the 102 etcd Jepsen histories: each file checked 9 times, sum of the per-file medians
 *    (Porcupine's method; its sum is 608.6 ms), and every verdict compared with verdicts.json;
 * 2. a 50-client, 10-key non-linearizable kv history (Porcupine's c50-bad shape), generated from
 *    a seed: time to reject it by early exit (target < 100 ms);
 * 3. a 1,000,000-operation partitioned kv history: peak memory (target < 1 GiB), measured in a
 *    fresh child process so nothing else shares its heap.
 * Every history is either a fixture or generated from a fixed seed, so runs compare.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readEtcdLog } from '../src/checker/formats/etcdLog.ts';
import type { HistoryOp } from '../src/checker/history/op.ts';
import { checkHistory, etcdModel, kvModel, minimalWitness } from '../src/checker/linearizability/index.ts';
import { generateKvHistory, type KvHistorySpec } from '../src/checker/synthetic/kvHistory.ts';

const PORCUPINE_ETCD_MS = 608.6;
const PORCUPINE_SLOWEST: Record<string, number> = { 'etcd_002.log': 224.8, 'etcd_007.log': 149.2, 'etcd_057.log': 86.1, 'etcd_099.log': 79.6 };
const REJECT_TARGET_MS = 100;
const MEMORY_TARGET_BYTES = 2 ** 30;
const MiB = (bytes: number): string => (bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

/** Porcupine's c50-bad shape: 50 clients, 10 keys, about 2,000 get/put/append operations. */
export function c50BadSpec(seed: number): KvHistorySpec {
  return { seed, clients: 50, opsPerClient: 40, keys: 10, readPerMille: 500, appendPerMille: 800, infoPerMille: 20, staleReadPerMille: 5, latencyMax: 100, thinkMax: 20 };
}

/** A million operations from 100 clients over `keys` keys (puts and gets, 1 ‰ timeouts). */
export function millionSpec(keys: number): KvHistorySpec {
  return { seed: 7, clients: 100, opsPerClient: 10_000, keys, readPerMille: 500, appendPerMille: 0, infoPerMille: 1, staleReadPerMille: 0, latencyMax: 100, thinkMax: 20 };
}

function etcdCorpus(reps = 9): void {
  const dir = new URL('../test/fixtures/etcd-jepsen/', import.meta.url);
  const expected = JSON.parse(readFileSync(new URL('verdicts.json', dir), 'utf8')).linearizable as Record<string, boolean>;
  const files = readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  const histories = files.map((f) => ({ file: f, ops: readEtcdLog(readFileSync(new URL(f, dir), 'utf8')).ops }));
  // One pass in a fresh process first: what a single `sim check` run over the corpus would see.
  const cold = timed(() => histories.forEach(({ ops }) => checkHistory(etcdModel(), ops))).ms;
  let wrong = 0;
  const perFile = histories.map(({ file, ops }) => {
    const times: number[] = [];
    let verdict = '';
    for (let r = 0; r < reps; r++) {
      const t = timed(() => checkHistory(etcdModel(), ops));
      times.push(t.ms);
      verdict = t.value.verdict;
    }
    if (file in expected && (verdict === 'ok') !== expected[file]) wrong++;
    return { file, ms: median(times), ops };
  });
  const total = perFile.reduce((s, f) => s + f.ms, 0);
  const checked = perFile.filter((f) => f.file in expected).length;
  console.log(`## linearizability: ${files.length} etcd Jepsen logs (${checked} histories with verdicts + the empty etcd_095), ${reps} runs each, sum of per-file medians`);
  console.log(
    `total ${total.toFixed(1)} ms vs Porcupine ${PORCUPINE_ETCD_MS} ms: ${(PORCUPINE_ETCD_MS / total).toFixed(2)}x Porcupine's speed (ratio ours/theirs ${(total / PORCUPINE_ETCD_MS).toFixed(2)}); verdicts ${checked - wrong}/${checked} match verdicts.json`,
  );
  console.log(`first (cold, JIT warming up) pass over all files: ${cold.toFixed(1)} ms`);
  const slowest = [...perFile].sort((a, b) => b.ms - a.ms).slice(0, 4);
  console.log(`slowest: ${slowest.map((f) => `${f.file} ${f.ms.toFixed(1)} ms${PORCUPINE_SLOWEST[f.file] ? ` (Porcupine ${PORCUPINE_SLOWEST[f.file]})` : ''}`).join(', ')}`);
  // Witnesses are extra work Porcupine does not do; shown so their cost is known.
  const shrink = perFile.filter((f) => expected[f.file] === false).map((f) => {
    const model = etcdModel();
    const t = timed(() => minimalWitness(model, checkHistory(model, f.ops)));
    return { ms: t.ms, size: t.value?.operations.length ?? 0 };
  });
  const sizes = shrink.map((s) => s.size);
  console.log(
    `minimal witnesses for the ${shrink.length} violations: total ${shrink.reduce((s, x) => s + x.ms, 0).toFixed(0)} ms, median ${median(shrink.map((s) => s.ms)).toFixed(1)} ms; size median ${median(sizes)}, max ${Math.max(...sizes)} ops`,
  );
}

function rejectBadKv(seeds = [1, 2, 3, 4, 5], reps = 5): void {
  console.log('');
  console.log(`## early exit: 50-client, 10-key kv histories with planted stale reads (seeds ${seeds.join(', ')}; median of ${reps} runs)`);
  const times: number[] = [];
  for (const seed of seeds) {
    const h = generateKvHistory(c50BadSpec(seed));
    const runs = Array.from({ length: reps }, () => timed(() => checkHistory(kvModel(), h.events)));
    const ms = median(runs.map((r) => r.ms));
    const r = runs[0]!.value;
    times.push(ms);
    console.log(
      `seed ${seed}: ${h.operations} ops, ${h.staleReads} stale reads on keys ${h.staleKeys.join(',')} → ${r.verdict} in ${ms.toFixed(1)} ms (${r.partitions.length} of ${r.partitionCount} partitions searched, ${r.steps} steps)`,
    );
  }
  const worst = Math.max(...times);
  console.log(`worst ${worst.toFixed(1)} ms (target < ${REJECT_TARGET_MS} ms: ${worst < REJECT_TARGET_MS ? 'met' : 'MISSED'}); Porcupine on its c50-bad: 24 ms median, 3–80 ms`);
}

interface MillionFigures {
  keys: number;
  events: number;
  operations: number;
  generateMs: number;
  checkMs: number;
  verdict: string;
  historyHeapBytes: number;
  peakHeapBytes: number;
  peakRssBytes: number;
  peakCacheBytes: number;
}

/** Child side: generate, then check while sampling memory at every deadline poll. */
function millionChild(keys: number): MillionFigures {
  const gen = timed(() => generateKvHistory(millionSpec(keys)));
  (globalThis as { gc?: () => void }).gc?.();
  const historyHeapBytes = process.memoryUsage().heapUsed;
  let peakHeapBytes = historyHeapBytes;
  const sample = (): boolean => {
    peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
    return false;
  };
  const events: HistoryOp[] = gen.value.events;
  const check = timed(() => checkHistory(kvModel(), events, { timeUp: sample }));
  sample();
  return {
    keys,
    events: events.length,
    operations: gen.value.operations,
    generateMs: gen.ms,
    checkMs: check.ms,
    verdict: check.value.verdict,
    historyHeapBytes,
    peakHeapBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    peakCacheBytes: check.value.peakCacheBytes,
  };
}

function oneMillion(keyCounts = [1000, 100]): void {
  console.log('');
  console.log('## memory: 1,000,000-operation partitioned kv history (100 clients, seed 7), each in a fresh process');
  for (const keys of keyCounts) {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--million-child', String(keys)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) {
      console.log(`${keys} keys: child failed (exit ${child.status}): ${child.stderr.split('\n')[0]}`);
      continue;
    }
    const f = JSON.parse(child.stdout) as MillionFigures;
    console.log(
      `${f.keys} keys: ${f.operations.toLocaleString('en-US')} ops (${f.events.toLocaleString('en-US')} events) → ${f.verdict} in ${(f.checkMs / 1000).toFixed(1)} s; ` +
        `peak RSS ${MiB(f.peakRssBytes)} (target < 1 GiB: ${f.peakRssBytes < MEMORY_TARGET_BYTES ? 'met' : 'MISSED'}), ` +
        `heap: history ${MiB(f.historyHeapBytes)}, peak while checking ${MiB(f.peakHeapBytes)}; memo caches peak ${MiB(f.peakCacheBytes)}; generating took ${(f.generateMs / 1000).toFixed(1)} s`,
    );
  }
}

/** Prints every checker figure. */
export function runCheckerBench(): void {
  etcdCorpus();
  rejectBadKv();
  oneMillion();
}

const argv = process.argv;
if (argv[2] === '--million-child') {
  process.stdout.write(`${JSON.stringify(millionChild(Number(argv[3])))}\n`);
} else if (import.meta.url === pathToFileURL(argv[1] ?? '').href) {
  runCheckerBench();
}
