/**
 * Checks files one after another in this thread, or with `jobs > 1` in a pool of worker threads
 * (tinypool), and hands each outcome to `onOutcome` in input order whatever order the workers
 * finish in, so the output never depends on `jobs`. Workers run the same code as the CLI: the
 * compiled worker from dist/, or the `.ts` worker through tsx when the CLI runs from sources.
 */
import { availableParallelism } from 'node:os';
import { workerModuleUrl } from '../../run/siblingModule.ts';
import { checkFile, type FileOutcome } from './checkFile.ts';
import type { FileCheckOptions } from './options.ts';
import type { CheckTask } from './worker.ts';

/** Checks `files` with up to `jobs` threads (no more than the CPUs); calls `onOutcome` for each file, in order. */
export async function checkFiles(files: readonly string[], options: FileCheckOptions, jobs: number, onOutcome: (o: FileOutcome) => void): Promise<void> {
  // The checks are CPU-bound: threads beyond the CPUs only add memory (each has its own caches).
  const threadCount = Math.min(jobs, files.length, availableParallelism());
  if (threadCount <= 1) {
    for (const file of files) {
      onOutcome(await checkFile(file, options));
      // Lets pending I/O events run between files: a reader that went away (EPIPE) ends the run.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return;
  }
  // Loaded only here: a one-thread check does not pay for the pool.
  const { Tinypool } = await import('tinypool');
  const filename = workerModuleUrl(import.meta.url, 'worker');
  const pool = new Tinypool({ filename, minThreads: threadCount, maxThreads: threadCount });
  try {
    const pending = files.map((file) => pool.run({ file, options } satisfies CheckTask) as Promise<FileOutcome>);
    // Later results may fail while an earlier one is awaited; they are rethrown in turn below.
    for (const p of pending) p.catch(() => {});
    for (const p of pending) onOutcome(await p);
  } finally {
    await pool.destroy();
  }
}
