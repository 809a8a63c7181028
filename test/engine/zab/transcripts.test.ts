/**
 * Data-driven ZAB transcripts (test/fixtures/zab/*.zt): each drives an ensemble through
 * crashes, partitions and client writes and checks its `expect` lines; the log of elections,
 * sync modes and truncations must match the transcript's golden file (`.golden`, rewritten
 * with UPDATE_GOLDEN=1 and reviewed by hand).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTranscript } from './transcript.ts';

const DIR = join(import.meta.dirname, '../../fixtures/zab');

describe('ZAB transcripts', () => {
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.zt')).sort()) {
    it(name, () => {
      const log = runTranscript(join(DIR, name)).join('\n') + '\n';
      const golden = join(DIR, name.replace(/\.zt$/, '.golden'));
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, log);
      expect(log).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
