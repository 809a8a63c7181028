/**
 * Key-value histories in Porcupine's own format (`c01-ok.txt` … `c50-bad.txt`), checked by both
 * tools on the same files in the same run.
 *
 * Porcupine's files may not ship with zabsim, so histories of the same shape are generated from a
 * fixed seed (src/checker/synthetic/porcupineKv.ts) into a temp dir. When PORCUPINE_KV_DIR names a
 * folder holding Porcupine's originals, those are run too (a local measurement; never commit them).
 *
 * Figures: Porcupine's `CheckEvents` time (median of 5 driver runs); zabsim in this process
 * (median of 5 runs after a first, cold one; parsing excluded on both sides); and one `sim check`
 * process per file (its own checking time, which is cold, plus the whole process's wall time).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readHistory } from '../src/checker/formats/index.ts';
import { checkHistory, createModel } from '../src/checker/linearizability/index.ts';
import { generatePorcupineKv, porcupineKvSpec } from '../src/checker/synthetic/porcupineKv.ts';
import type { Porcupine } from './porcupine.ts';
import { fmtMs, median, timed, type Row } from './sideBySide.ts';
import { runSimCheck, type SimCommand } from './simCli.ts';

/** The seed of the generated files (chosen once: Porcupine's times on them resemble its own files'). */
export const KV_SEED = 4;
const NAMES = ['c01-ok', 'c01-bad', 'c10-ok', 'c10-bad', 'c50-ok', 'c50-bad'] as const;
const PORCUPINE_REPS = 5;
const ZABSIM_REPS = 5;
/** issue 18: the non-linearizable c50 history must be rejected in under this. */
const REJECT_TARGET_MS = 100;

type Name = (typeof NAMES)[number];

/** Writes the six generated files into `dir`; one line describing them. */
export function writeKvFiles(dir: string): string {
  const parts: string[] = [];
  for (const name of NAMES) {
    const clients = Number(name.slice(1, 3));
    const h = generatePorcupineKv(porcupineKvSpec(clients, name.endsWith('-ok') ? 'ok' : 'bad', KV_SEED));
    writeFileSync(join(dir, `${name}.txt`), h.text);
    parts.push(`${name} ${h.operations} ops${h.staleKeys.length ? ` (stale reads in keys ${h.staleKeys.join(',')})` : ''}`);
  }
  return `generated kv files (seed ${KV_SEED}): ${parts.join('; ')}`;
}

interface FileFigures {
  ops: number;
  porcupineMs?: number;
  porcupineRange?: [number, number];
  porcupineOk?: boolean;
  zabsimMs: number;
  zabsimFirstMs: number;
  zabsimOk: boolean;
  simCheckMs?: number;
  simWallMs?: number;
  simElapsedMs?: number;
  simVerdict?: string;
  simError?: string;
}

function measure(dir: string, p: Porcupine | undefined, sim: SimCommand): Map<Name, FileFigures> {
  const porcupineRuns = p === undefined ? [] : Array.from({ length: PORCUPINE_REPS }, () => p.run({ KV_DIR: dir }).figures);
  const out = new Map<Name, FileFigures>();
  for (const name of NAMES) {
    const path = join(dir, `${name}.txt`);
    const ops = readHistory(path, readFileSync(path, 'utf8')).ops;
    const first = timed(() => checkHistory(createModel('kv')!, ops));
    const warm = Array.from({ length: ZABSIM_REPS }, () => timed(() => checkHistory(createModel('kv')!, ops)).ms);
    const f: FileFigures = { ops: ops.filter((o) => o.type === 'invoke').length, zabsimMs: median(warm), zabsimFirstMs: first.ms, zabsimOk: first.value.verdict === 'ok' };
    if (porcupineRuns.length > 0) {
      const times = porcupineRuns.map((r) => r[`kv_${name}_ms`] as number);
      f.porcupineMs = median(times);
      f.porcupineRange = [Math.min(...times), Math.max(...times)];
      f.porcupineOk = porcupineRuns[0]![`kv_${name}_ok`] as boolean;
    }
    const run = runSimCheck(sim, [path, '--model', 'kv', '--json']);
    const r = run.files[0];
    if (r === undefined) f.simError = run.error;
    else Object.assign(f, { simCheckMs: r.checkMs, simElapsedMs: r.elapsedMs, simWallMs: run.wallMs, simVerdict: r.verdict });
    out.set(name, f);
  }
  return out;
}

const range = (f: FileFigures): string => (f.porcupineRange ? `; Porcupine ${PORCUPINE_REPS} runs ${fmtMs(f.porcupineRange[0])}–${fmtMs(f.porcupineRange[1])}` : '');

function rowsFor(label: string, figures: Map<Name, FileFigures>): Row[] {
  const ok = figures.get('c50-ok')!;
  const bad = figures.get('c50-bad')!;
  const simNote = (f: FileFigures): string => (f.simError ? `could not run: ${f.simError}` : `its elapsedMs ${fmtMs(f.simElapsedMs)} (with witness); whole process ${fmtMs(f.simWallMs)}`);
  const rejectTarget = { belowMs: REJECT_TARGET_MS, maxRatio: 2 };
  return [
    { work: `kv c50-ok, ${label} (linearizable, ${ok.ops} ops): zabsim in one process`, zabsimMs: ok.zabsimMs, porcupineMs: ok.porcupineMs, target: { maxRatio: 1 }, note: `first run ${fmtMs(ok.zabsimFirstMs)}${range(ok)}` },
    { work: `kv c50-ok, ${label}: one \`sim check\` process (cold), checking time`, zabsimMs: ok.simCheckMs, porcupineMs: ok.porcupineMs, target: { maxRatio: 1 }, note: simNote(ok) },
    { work: `kv c50-bad, ${label} (not linearizable, ${bad.ops} ops): zabsim in one process, time to reject`, zabsimMs: bad.zabsimMs, porcupineMs: bad.porcupineMs, target: rejectTarget, note: `first run ${fmtMs(bad.zabsimFirstMs)}${range(bad)}` },
    { work: `kv c50-bad, ${label}: one \`sim check\` process (cold), time to reject`, zabsimMs: bad.simCheckMs, porcupineMs: bad.porcupineMs, target: rejectTarget, note: simNote(bad) },
  ];
}

function notesFor(label: string, figures: Map<Name, FileFigures>): string[] {
  const small = (['c01-ok', 'c01-bad', 'c10-ok', 'c10-bad'] as const).map((n) => {
    const f = figures.get(n)!;
    return `${n} ${fmtMs(f.zabsimMs)} / ${fmtMs(f.porcupineMs)}`;
  });
  const verdicts = (who: string, okOf: (f: FileFigures) => boolean | undefined): string => {
    const wrong = NAMES.filter((n) => okOf(figures.get(n)!) !== n.endsWith('-ok'));
    return `${who} ${NAMES.length - wrong.length}/${NAMES.length}${wrong.length ? ` (wrong or missing: ${wrong.join(', ')})` : ''}`;
  };
  return [
    `kv ${label}, smaller files, zabsim in-process median / Porcupine median: ${small.join('; ')}`,
    `kv ${label} verdicts vs file names: ${verdicts('zabsim in-process', (f) => f.zabsimOk)}, ${verdicts('`sim check`', (f) => (f.simVerdict === undefined ? undefined : f.simVerdict === 'ok'))}, ` +
      (figures.get('c50-ok')!.porcupineOk === undefined ? 'Porcupine n/a' : verdicts('Porcupine', (f) => f.porcupineOk)),
  ];
}

/** Measures the generated files (written into `dir`) and PORCUPINE_KV_DIR's when it is set. */
export function kvSection(dir: string, p: Porcupine | undefined, sim: SimCommand): { rows: Row[]; notes: string[] } {
  const notes = [writeKvFiles(dir)];
  const sets: [string, string][] = [[`generated`, dir]];
  const own = process.env.PORCUPINE_KV_DIR;
  if (own) sets.push(["Porcupine's own files", own]);
  const rows: Row[] = [];
  for (const [label, at] of sets) {
    const figures = measure(at, p, sim);
    rows.push(...rowsFor(label, figures));
    notes.push(...notesFor(label, figures));
  }
  return { rows, notes };
}
