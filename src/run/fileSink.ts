import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { TraceSink } from '../sim/trace/trace.ts';

/**
 * Streams trace bytes to `<path>.tmp` and renames it to `path` on close, so a trace file is
 * either complete or absent — never half-written.
 */
export class FileSink implements TraceSink {
  private fd: number;
  private readonly tmp: string;

  constructor(private readonly path: string) {
    this.tmp = `${path}.tmp`;
    this.fd = openSync(this.tmp, 'w');
  }

  write(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.path);
  }

  /** Gives the trace up (the run failed): closes and removes the temporary file. */
  discard(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
    rmSync(this.tmp, { force: true });
  }
}
