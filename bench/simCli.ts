/**
 * Runs `sim check` as a user runs it, one child process at a time, and reads its `--json` output.
 *
 * The command is `node <flags from bin/sim.mjs's shebang> bin/sim.mjs check …`, so the heap flags
 * are the ones `sim` runs with. When package.json has a `build` script, it is run first: bin/sim.mjs
 * runs the compiled dist/ only when it is at least as new as src/ and falls back to tsx otherwise,
 * and cold-start figures from a stale build would measure tsx.
 *
 * Output formats read: one compact JSON object per line per file (`{"file","verdict","elapsedMs",
 * "checkMs",…}`) and a final `{"summary":true,…}` line; or, from the single-file CLI, one pretty
 * JSON object. A missing `checkMs` falls back to `elapsedMs`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/sim.mjs', import.meta.url));

/** One file's result as `sim check --json` reported it. */
export interface SimFileResult {
  file?: string;
  verdict?: string;
  /** Checking time (`checkMs`, else `elapsedMs`). */
  checkMs: number;
  elapsedMs?: number;
}

/** One `sim check` process. */
export interface SimRun {
  status: number | null;
  /** The whole process, spawn to exit, as measured from here. */
  wallMs: number;
  files: SimFileResult[];
  summary?: SimFileResult;
  /** Why no result could be read (crash, usage error, unreadable output). */
  error?: string;
}

/** How `sim` will run: the argv prefix and one line describing it. */
export interface SimCommand {
  argv: string[];
  description: string;
  /** What bin/sim.mjs loaded when the bench began (see {@link entryName}). */
  entry: string;
  /** How many `sim check` processes ran each entry (the entry is looked up just before each spawn). */
  entries: Map<string, number>;
}

/** Node flags from bin/sim.mjs's `#!/usr/bin/env -S node …` line. */
function shebangFlags(): string[] {
  const first = readFileSync(BIN, 'utf8').split('\n', 1)[0] ?? '';
  const words = first.replace(/^#!\s*/, '').split(/\s+/);
  const node = words.findIndex((w) => w === 'node' || w.endsWith('/node'));
  return node < 0 ? [] : words.slice(node + 1).filter((w) => w.startsWith('-'));
}

/** Builds when a `build` script exists, then says whether `sim` will run compiled JS or tsx. */
export async function prepareSim(): Promise<SimCommand> {
  const argv = [process.execPath, ...shebangFlags(), BIN];
  const scripts = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (scripts.build === undefined) {
    const entry = await entryName();
    return { argv, entry, entries: new Map(), description: `sim runs ${entry} (package.json has no build script)` };
  }
  const t0 = performance.now();
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  const buildNote = build.status === 0 ? `npm run build ${((performance.now() - t0) / 1000).toFixed(1)} s` : `npm run build FAILED (exit ${build.status}): ${(build.stderr || build.stdout).trim().split('\n')[0]}`;
  const entry = await entryName();
  return { argv, entry, entries: new Map(), description: `sim runs ${entry} (${buildNote})` };
}

type EntryFor = (root: string) => string;
let entryFor: EntryFor | undefined | null;

/** What bin/sim.mjs will load now, as its own build-stamp helper decides. */
export async function entryName(): Promise<string> {
  if (entryFor === undefined) {
    const helper = new URL('../bin/buildStamp.mjs', import.meta.url);
    try {
      entryFor = existsSync(helper) ? ((await import(helper.href)) as { entryFor?: EntryFor }).entryFor ?? null : null;
    } catch {
      entryFor = null;
    }
  }
  return entryNow();
}

/** {@link entryName} once the helper is loaded (synchronous: it runs before every spawn). */
function entryNow(): string {
  if (!entryFor) return 'the TypeScript sources through tsx (no build-stamp helper)';
  return entryFor(ROOT) === 'dist' ? 'the compiled JavaScript in dist/' : 'the TypeScript sources through tsx (dist/ is missing or stale)';
}

/**
 * The CLI's start-up: whole-process wall time of `sim check` on an empty history (median of
 * `reps`), i.e. Node start, loading the CLI, and exit, with next to no checking.
 */
export function simStartMs(sim: SimCommand, emptyFile: string, model: string, reps = 5): number | undefined {
  const walls: number[] = [];
  for (let i = 0; i < reps; i++) {
    const run = runSimCheck(sim, [emptyFile, '--model', model, '--json']);
    if (run.files.length === 0) return undefined;
    walls.push(run.wallMs);
  }
  return walls.sort((a, b) => a - b)[reps >> 1];
}

/** Runs one `sim check` process with `args` after `check` and reads what it printed. */
export function runSimCheck(sim: SimCommand, args: string[]): SimRun {
  const entry = entryNow();
  sim.entries.set(entry, (sim.entries.get(entry) ?? 0) + 1);
  const t0 = performance.now();
  const child = spawnSync(sim.argv[0]!, [...sim.argv.slice(1), 'check', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000 });
  const wallMs = performance.now() - t0;
  const run: SimRun = { status: child.status, wallMs, files: [] };
  const objects = parseJsonOutput(child.stdout ?? '');
  for (const o of objects) {
    const checkMs = typeof o.checkMs === 'number' ? o.checkMs : typeof o.elapsedMs === 'number' ? o.elapsedMs : NaN;
    const r: SimFileResult = { checkMs };
    if (typeof o.file === 'string') r.file = o.file;
    if (typeof o.verdict === 'string') r.verdict = o.verdict;
    if (typeof o.elapsedMs === 'number') r.elapsedMs = o.elapsedMs;
    if (o.summary === true) run.summary = r;
    else run.files.push(r);
  }
  if (run.files.length === 0) {
    const why = (child.stderr || child.stdout || '').trim().split('\n').find((l) => l.trim() !== '') ?? '';
    run.error = `exit ${child.status ?? child.signal}${why ? `: ${why.trim()}` : ''}`;
  }
  return run;
}

/** The objects printed: one whole JSON document, else one per line; lines that are not JSON are skipped. */
export function parseJsonOutput(text: string): Record<string, unknown>[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const whole = JSON.parse(trimmed) as unknown;
    return isObject(whole) ? [whole] : [];
  } catch {
    // Not one document: read it line by line below.
  }
  const out: Record<string, unknown>[] = [];
  for (const line of trimmed.split('\n')) {
    try {
      const value = JSON.parse(line) as unknown;
      if (isObject(value)) out.push(value);
    } catch {
      // A non-JSON line (a warning, say) is not a result.
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
