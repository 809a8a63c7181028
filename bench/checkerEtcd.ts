/**
 * The etcd Jepsen corpus (test/fixtures/etcd-jepsen: 102 histories with verdicts.json, plus the
 * empty etcd_095), checked by zabsim and by Porcupine in the same run:
 * - zabsim in this process: the first pass over all files (cold, as one `sim check` of the corpus
 *   sees it) and the sum of per-file medians of 9 warm runs, against Porcupine's one-process total
 *   (median of 3 driver runs);
 * - one `sim check` process for all files, and one per file (cold JIT), against one Go process per
 *   file: checking times summed, and whole-process wall times summed;
 * - process start: both tools' whole process on the empty etcd_095.log;
 * - every verdict of both tools against verdicts.json.
 */
import { copyFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEtcdLog } from '../src/checker/formats/etcdLog.ts';
import type { HistoryOp } from '../src/checker/history/op.ts';
import { checkHistory, etcdModel, minimalWitness } from '../src/checker/linearizability/index.ts';
import type { Porcupine } from './porcupine.ts';
import { fmtMs, median, sum, timed, type Row } from './sideBySide.ts';
import { runSimCheck, simStartMs, type SimCommand, type SimRun } from './simCli.ts';

const DIR = fileURLToPath(new URL('../test/fixtures/etcd-jepsen/', import.meta.url));
const PORCUPINE_REPS = 3;
/** The corpus's empty history (etcd failed to start in that test); it has no verdict. */
const EMPTY = 'etcd_095.log';

interface Corpus {
  /** File names with a verdict in verdicts.json (the empty etcd_095 has none). */
  files: string[];
  expected: Record<string, boolean>;
  ops: Map<string, HistoryOp[]>;
}

function loadCorpus(): Corpus {
  const expected = (JSON.parse(readFileSync(join(DIR, 'verdicts.json'), 'utf8')) as { linearizable: Record<string, boolean> }).linearizable;
  const files = readdirSync(DIR).filter((f) => f.endsWith('.log') && f in expected).sort();
  const ops = new Map(files.map((f) => [f, readEtcdLog(readFileSync(join(DIR, f), 'utf8')).ops]));
  return { files, expected, ops };
}

/** "102/102", or "99/102 (wrong: etcd_002.log, …)"; files with no verdict count as wrong. */
function verdictScore(corpus: Corpus, okByFile: Map<string, boolean | undefined>): string {
  const wrong = corpus.files.filter((f) => okByFile.get(f) !== corpus.expected[f]);
  return `${corpus.files.length - wrong.length}/${corpus.files.length}${wrong.length ? ` (wrong or missing: ${wrong.slice(0, 5).join(', ')}${wrong.length > 5 ? ', …' : ''})` : ''}`;
}

/** zabsim in this process: cold first pass, then per-file medians of `reps` runs. */
function inProcess(corpus: Corpus, reps = 9): { coldMs: number; warmMs: number; ok: Map<string, boolean>; perFileMs: Map<string, number> } {
  const cold = sum(corpus.files.map((f) => timed(() => checkHistory(etcdModel(), corpus.ops.get(f)!)).ms));
  const ok = new Map<string, boolean>();
  const perFileMs = new Map<string, number>();
  for (const f of corpus.files) {
    const runs = Array.from({ length: reps }, () => timed(() => checkHistory(etcdModel(), corpus.ops.get(f)!)));
    perFileMs.set(f, median(runs.map((r) => r.ms)));
    ok.set(f, runs[0]!.value.verdict === 'ok');
  }
  return { coldMs: cold, warmMs: sum([...perFileMs.values()]), ok, perFileMs };
}

/** Witnesses are extra work Porcupine does not do; their cost is printed so it is known. */
function witnessLine(corpus: Corpus): string {
  const shrink = corpus.files
    .filter((f) => corpus.expected[f] === false)
    .map((f) => {
      const model = etcdModel();
      const t = timed(() => minimalWitness(model, checkHistory(model, corpus.ops.get(f)!)));
      return { ms: t.ms, size: t.value?.operations.length ?? 0 };
    });
  const sizes = shrink.map((s) => s.size);
  return `zabsim minimal witnesses for the ${shrink.length} violations (not part of the timings above): total ${sum(shrink.map((s) => s.ms)).toFixed(0)} ms, median ${median(shrink.map((s) => s.ms)).toFixed(1)} ms; size median ${median(sizes)}, max ${Math.max(...sizes)} ops`;
}

interface PorcupineEtcd {
  totalMs: number;
  totalRangeMs: [number, number];
  linearizable: number;
  /** One Go process per file. */
  perFileCheckMs: number;
  perFileWallMs: number;
  ok: Map<string, boolean>;
}

function porcupineEtcd(p: Porcupine, corpus: Corpus): PorcupineEtcd {
  const runs = Array.from({ length: PORCUPINE_REPS }, () => p.run({ ETCD_DIR: DIR }).figures);
  const totals = runs.map((r) => r.etcd_total_ms as number);
  const ok = new Map<string, boolean>();
  let perFileCheckMs = 0;
  let perFileWallMs = 0;
  for (const f of corpus.files) {
    // The driver globs etcd_*.log in a folder, so each file gets a folder of its own.
    const dir = p.scratch(join('etcd-one', basename(f, '.log')));
    copyFileSync(join(DIR, f), join(dir, f));
    const r = p.run({ ETCD_DIR: dir });
    perFileCheckMs += r.figures.etcd_total_ms as number;
    perFileWallMs += r.wallMs;
    ok.set(f, r.figures.etcd_linearizable === 1);
  }
  return { totalMs: median(totals), totalRangeMs: [Math.min(...totals), Math.max(...totals)], linearizable: runs[0]!.etcd_linearizable as number, perFileCheckMs, perFileWallMs, ok };
}

function simOkByFile(runs: SimRun[]): Map<string, boolean | undefined> {
  const ok = new Map<string, boolean | undefined>();
  for (const run of runs) for (const r of run.files) if (r.file !== undefined) ok.set(basename(r.file), r.verdict === undefined ? undefined : r.verdict === 'ok');
  return ok;
}

interface SimEtcd {
  /** `--jobs 1` when the CLI knows it, and the CLI's default jobs. */
  one: SimRun;
  oneDefault?: SimRun;
  perFile: SimRun[];
  startMs?: number;
}

/** All files in one `sim check` process (`--jobs 1`, then the default), and one process per file. */
function simEtcd(sim: SimCommand, corpus: Corpus): SimEtcd {
  const paths = corpus.files.map((f) => join(DIR, f));
  const args = [...paths, '--model', 'etcd', '--json'];
  const jobs1 = runSimCheck(sim, [...args, '--jobs', '1']);
  const byDefault = runSimCheck(sim, args);
  const perFile = corpus.files.map((f) => {
    const run = runSimCheck(sim, [join(DIR, f), '--model', 'etcd', '--json']);
    for (const r of run.files) r.file ??= f;
    return run;
  });
  const empty = join(DIR, EMPTY);
  const startMs = existsSync(empty) ? simStartMs(sim, empty, 'etcd') : undefined;
  return jobs1.files.length > 0 ? { one: jobs1, oneDefault: byDefault, perFile, startMs } : { one: byDefault, perFile, startMs };
}

/** Go's counterpart of the CLI start: the driver's whole process on the empty history (median of 5). */
function porcupineStartMs(p: Porcupine): number | undefined {
  if (!existsSync(join(DIR, EMPTY))) return undefined;
  const dir = p.scratch('etcd-empty');
  copyFileSync(join(DIR, EMPTY), join(dir, EMPTY));
  return median(Array.from({ length: 5 }, () => p.run({ ETCD_DIR: dir }).wallMs));
}

function simRows(n: number, s: SimEtcd, pc: PorcupineEtcd | undefined, pStartMs: number | undefined): Row[] {
  const { one, oneDefault, perFile } = s;
  const done = perFile.filter((r) => r.files.length > 0);
  const all = done.length === n;
  const oneCheckMs = one.files.length > 0 ? (one.summary?.checkMs ?? sum(one.files.map((r) => r.checkMs))) : undefined;
  const defaultNote = oneDefault && oneDefault.files.length > 0 ? `; default --jobs: ${fmtMs(oneDefault.summary?.checkMs)} checking, whole process ${fmtMs(oneDefault.wallMs)}` : '';
  const outside = done.map((r) => r.wallMs - (r.files[0]!.elapsedMs ?? r.files[0]!.checkMs));
  return [
    {
      work: `etcd, one \`sim check\` process for all ${n} files${oneDefault ? ' (--jobs 1)' : ''}: checking time`,
      zabsimMs: oneCheckMs,
      porcupineMs: pc?.totalMs,
      target: { maxRatio: 1, strict: true },
      note: one.files.length > 0 ? `whole process ${fmtMs(one.wallMs)}${defaultNote}` : `could not run: ${one.error}`,
    },
    {
      work: 'etcd, one `sim check` process per file (cold): checking time summed, vs one Go process per file',
      zabsimMs: all ? sum(done.map((r) => r.files[0]!.checkMs)) : undefined,
      porcupineMs: pc?.perFileCheckMs,
      target: { maxRatio: 2 },
      note: all ? '' : `${n - done.length} of ${n} runs gave no result: ${perFile.find((r) => r.error)?.error}`,
    },
    {
      work: 'etcd, one process per file: whole-process wall time summed (`sim check` vs Go test binary)',
      zabsimMs: all ? sum(done.map((r) => r.wallMs)) : undefined,
      porcupineMs: pc?.perFileWallMs,
      target: { maxRatio: 2 },
      note: outside.length ? `median per \`sim\` process outside its elapsedMs: ${fmtMs(median(outside))}` : '',
    },
    { work: `process start: whole process on the empty ${EMPTY} (median of 5; \`sim check\` vs Go test binary)`, zabsimMs: s.startMs, porcupineMs: pStartMs, target: { belowMs: 300 } },
  ];
}

/** Runs everything and returns the table rows and the lines printed under the table. */
export function etcdSection(p: Porcupine | undefined, sim: SimCommand): { rows: Row[]; notes: string[] } {
  const corpus = loadCorpus();
  const n = corpus.files.length;
  const z = inProcess(corpus);
  const pc = p === undefined ? undefined : porcupineEtcd(p, corpus);
  const pStartMs = p === undefined ? undefined : porcupineStartMs(p);
  const s = simEtcd(sim, corpus);
  const porcupineNote = pc ? `Porcupine: median of ${PORCUPINE_REPS} runs (${pc.totalRangeMs.map((x) => x.toFixed(0)).join('–')} ms)` : '';
  const rows: Row[] = [
    { work: `etcd, ${n} histories, zabsim in one process: first pass (cold), checking time summed`, zabsimMs: z.coldMs, porcupineMs: pc?.totalMs, note: porcupineNote },
    { work: 'etcd, same, warm: sum of per-file medians of 9 runs', zabsimMs: z.warmMs, porcupineMs: pc?.totalMs },
    ...simRows(n, s, pc, pStartMs),
  ];
  const simScore = (runs: SimRun[]): string => (runs.some((r) => r.files.length > 0) ? verdictScore(corpus, simOkByFile(runs)) : 'n/a');
  const notes = [
    `etcd verdicts vs verdicts.json: zabsim in-process ${verdictScore(corpus, z.ok)}, one \`sim check\` process ${simScore([s.one])}, \`sim check\` per file ${simScore(s.perFile)}; ` +
      (pc ? `Porcupine per file ${verdictScore(corpus, pc.ok)} (one-process runs: ${pc.linearizable} linearizable, expected ${Object.values(corpus.expected).filter(Boolean).length})` : 'Porcupine n/a'),
    `slowest for zabsim (warm median): ${[...z.perFileMs].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([f, ms]) => `${f} ${ms.toFixed(1)} ms`).join(', ')}`,
    witnessLine(corpus),
  ];
  return { rows, notes };
}
