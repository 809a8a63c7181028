/**
 * Data-driven ZAB transcripts (test/fixtures/zab/*.zt), in etcd-raft's style: each drives an
 * ensemble through crashes, partitions and client writes, checks its `expect` lines, and shows
 * under each command what it made happen (`> ` lines: elections, sync modes, truncations). The
 * run must reproduce the file exactly; UPDATE_GOLDEN=1 rewrites the `> ` lines for review.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTranscript } from './transcript.ts';

const DIR = join(import.meta.dirname, '../../fixtures/zab');

describe('ZAB transcripts', () => {
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.zt')).sort()) {
    it(name, () => {
      const file = join(DIR, name);
      const { rendered } = runTranscript(file);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, rendered);
      expect(rendered).toBe(readFileSync(file, 'utf8'));
    });
  }
});
