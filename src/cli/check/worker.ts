/** The worker-thread side of `sim check --jobs N`: checks one file per task (see pool.ts). */
import { checkFile, type FileOutcome } from './checkFile.ts';
import type { FileCheckOptions } from './options.ts';

/** One task: a file and the options every file shares. */
export interface CheckTask {
  file: string;
  options: FileCheckOptions;
}

/** Tinypool calls the default export once per task. */
export default function checkTask(task: CheckTask): Promise<FileOutcome> {
  return checkFile(task.file, task.options);
}
