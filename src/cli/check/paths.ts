/**
 * Turns `sim check`'s PATH arguments into the list of files to check: a file stands for itself
 * (whatever its extension: `--format` or content sniffing decides), a directory for its history
 * files, found recursively and sorted by path so the output order never depends on the file
 * system. Dot-files and dot-folders are skipped (editor and VCS litter).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unreadableFileMessage } from '../../scenario/inputFile.ts';
import { UsageError } from '../exitCodes.ts';

/** Extensions a directory's history files may have. */
export const HISTORY_EXTENSIONS: readonly string[] = ['.edn', '.jsonl', '.ndjson', '.json', '.log', '.txt'];

/** The files named by `paths`, in argument order; throws {@link UsageError} for a missing path or an empty directory. */
export function expandPaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (err) {
      throw new UsageError(unreadableFileMessage(path, err));
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const found = historyFilesUnder(path);
    if (found.length === 0) throw new UsageError(`${path}: no history files (${HISTORY_EXTENSIONS.join(' ')}) in this directory`);
    files.push(...found);
  }
  return files;
}

/** Regular history files under `dir` (symbolic links to files count; linked folders are not followed). */
function historyFilesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (HISTORY_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext)) && isFile(path, entry.isFile())) found.push(path);
    }
  };
  try {
    walk(dir);
  } catch (err) {
    throw new UsageError(unreadableFileMessage(dir, err));
  }
  // Plain code-unit order, not the locale's: the same on every machine.
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isFile(path: string, direntIsFile: boolean): boolean {
  if (direntIsFile) return true;
  try {
    return statSync(path).isFile();
  } catch {
    return false; // a dangling link
  }
}
