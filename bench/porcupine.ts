/**
 * Runs Porcupine v1.3.0 (Go) in this process's run, so the checker bench compares zabsim with
 * live figures from the same machine instead of remembered constants.
 *
 * The package and its timing driver (`zz_bench_test.go`) live in ../shared/bench/porcupine
 * (override with PORCUPINE_DIR), which is read-only in CI. Nothing is written there: the package
 * is copied into a temp dir, built once with `go test -c` (GOCACHE under the temp dir, no network:
 * GOFLAGS=-mod=mod GOPROXY=off), and the test binary is run with ETCD_DIR / KV_DIR. The driver
 * prints one JSON line of checking times (Porcupine's `CheckEvents` only, parsing excluded).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How to install Go, printed whenever it is missing. */
const INSTALL_GO = 'apt-get update && apt-get install -y golang-go';

/** A built driver, ready to run. */
export interface Porcupine {
  /** `go version` output, e.g. "go1.19.8 linux/amd64". */
  goVersion: string;
  /** The package version named by the driver's folder (v1.3.0 in ../shared). */
  label: string;
  buildMs: number;
  /** Runs the driver once; the JSON line it printed, and the whole process's wall time. */
  run(env: { ETCD_DIR?: string; KV_DIR?: string }): { figures: Record<string, number | boolean>; wallMs: number };
  /** A scratch folder under the build's temp dir (removed by `dispose`). */
  scratch(name: string): string;
  dispose(): void;
}

const sourceDir = (): string => process.env.PORCUPINE_DIR ?? fileURLToPath(new URL('../../shared/bench/porcupine/', import.meta.url));

/** Copies a folder's files with fresh (writable) modes, so the temp copy can be removed again. */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile()) writeFileSync(join(to, entry.name), readFileSync(join(from, entry.name)));
  }
}

/** The environment for every go command: offline, module mode, caches under `base`. */
function goEnv(base: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOTOOLCHAIN: 'local',
    GOTELEMETRY: 'off',
    GOCACHE: join(base, 'gocache'),
    GOPATH: join(base, 'gopath'),
  };
}

/**
 * Builds the driver, or says in one sentence why Porcupine cannot be run here. The Go build cache
 * is kept across bench runs (under the OS temp dir), so only the first build compiles everything.
 */
export function preparePorcupine(): Porcupine | { reason: string } {
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0) {
    return { reason: `\`go\` is not on PATH (${(version.error as NodeJS.ErrnoException | undefined)?.code ?? `exit ${version.status}`}); install it with \`${INSTALL_GO}\`` };
  }
  const src = sourceDir();
  if (!existsSync(join(src, 'zz_bench_test.go'))) return { reason: `no Porcupine driver at ${src} (zz_bench_test.go; set PORCUPINE_DIR)` };
  const base = join(tmpdir(), 'zabsim-bench-porcupine');
  mkdirSync(base, { recursive: true });
  const work = mkdtempSync(join(base, 'run-'));
  const pkg = join(work, 'porcupine');
  copyTree(src, pkg);
  const binary = join(work, 'porcupine.test');
  const env = goEnv(base);
  const t0 = performance.now();
  const build = spawnSync('go', ['test', '-c', '-o', binary, '.'], { cwd: pkg, env, encoding: 'utf8' });
  const buildMs = performance.now() - t0;
  if (build.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    return { reason: `\`go test -c\` failed (exit ${build.status}): ${(build.stderr || build.stdout).trim().split('\n')[0]}` };
  }
  return {
    goVersion: version.stdout.trim().replace(/^go version /, ''),
    label: `Porcupine ${moduleVersion(src)}`,
    buildMs,
    run: (dirs) => runDriver(binary, pkg, env, dirs),
    scratch: (name) => {
      const dir = join(work, name);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    dispose: () => rmSync(work, { recursive: true, force: true }),
  };
}

/** The version the shared copy is documented as (its README says v1.3.0); "v1.3.0" when unsure. */
function moduleVersion(src: string): string {
  const readme = join(src, '..', 'README.md');
  const m = existsSync(readme) ? /Porcupine (v\d+\.\d+\.\d+)/.exec(readFileSync(readme, 'utf8')) : null;
  return m?.[1] ?? 'v1.3.0';
}

function runDriver(binary: string, cwd: string, env: NodeJS.ProcessEnv, dirs: { ETCD_DIR?: string; KV_DIR?: string }): { figures: Record<string, number | boolean>; wallMs: number } {
  const childEnv = { ...env, ETCD_DIR: dirs.ETCD_DIR ?? '', KV_DIR: dirs.KV_DIR ?? '' };
  const t0 = performance.now();
  const run = spawnSync(binary, ['-test.run', '^TestZZBench$', '-test.count=1', '-test.v'], { cwd, env: childEnv, encoding: 'utf8', timeout: 300_000 });
  const wallMs = performance.now() - t0;
  const line = run.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (run.status !== 0 || line === undefined) {
    throw new Error(`Porcupine driver failed (exit ${run.status ?? run.signal}): ${(run.stderr || run.stdout || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  return { figures: JSON.parse(line) as Record<string, number | boolean>, wallMs };
}
