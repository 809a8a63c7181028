/**
 * Goal: the linearizability checker gives Porcupine's verdict on every history of the Jepsen etcd
 * corpus (23 linearizable, 79 not), and handles the empty etcd_095.log.
 * Method: read each log with the etcd reader, check it against the etcd model with a generous
 * step budget (never a timing assertion), and compare with verdicts.json. Each ok verdict's
 * linearization is replayed through a fresh model as an independent sanity check, and each
 * violation's witness is re-checked on its own.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEtcdLog } from '../../src/checker/formats/etcdLog.ts';
import { pairOperations } from '../../src/checker/history/operations.ts';
import { checkItems } from '../../src/checker/linearizability/check.ts';
import { checkHistory, etcdModel, minimalWitness } from '../../src/checker/linearizability/index.ts';

const dir = new URL('../fixtures/etcd-jepsen/', import.meta.url);
const verdicts = JSON.parse(readFileSync(new URL('verdicts.json', dir), 'utf8')).linearizable as Record<string, boolean>;

describe('etcd Jepsen corpus', () => {
  it('has 23 linearizable and 79 non-linearizable histories', () => {
    const values = Object.values(verdicts);
    expect(values.filter((v) => v).length).toBe(23);
    expect(values.filter((v) => !v).length).toBe(79);
  });

  for (const [file, linearizable] of Object.entries(verdicts)) {
    it(`${file} is ${linearizable ? 'linearizable' : 'not linearizable'}`, () => {
      const { ops } = readEtcdLog(readFileSync(new URL(file, dir), 'utf8'));
      const result = checkHistory(etcdModel(), ops, { maxSteps: 50_000_000 });
      expect(result.verdict).toBe(linearizable ? 'ok' : 'illegal');
      if (linearizable) {
        // Replay the linearization: every definite op appears and every step is legal.
        const model = etcdModel();
        const byId = new Map(pairOperations(ops, { keepFailed: true }).map((o) => [o.id, o]));
        let state = model.init();
        for (const id of result.partitions[0]!.linearization!) {
          const next = model.step(state, model.prepare(byId.get(id)!)!);
          expect(next).toBeDefined();
          state = next!;
        }
      }
    });
  }

  it('etcd_095.log (empty) is an empty, linearizable history', () => {
    const { ops } = readEtcdLog(readFileSync(new URL('etcd_095.log', dir), 'utf8'));
    expect(ops).toEqual([]);
    expect(checkHistory(etcdModel(), ops).verdict).toBe('ok');
  });

  it('every non-linearizable history gets a minimal witness that re-checks as a violation', () => {
    for (const file of Object.keys(verdicts).filter((f) => verdicts[f] === false)) {
      const model = etcdModel();
      const { ops } = readEtcdLog(readFileSync(new URL(file, dir), 'utf8'));
      const witness = minimalWitness(model, checkHistory(model, ops))!;
      expect(witness.minimal, file).toBe(true);
      // A stale read needs a handful of definite operations; the rest may or may not have happened.
      expect(witness.items.filter((it) => !it.optional).length, file).toBeLessThan(10);
      const items = witness.items.map((it) => ({ op: it.op, input: model.prepare(it.op)!, optional: it.optional }));
      expect(checkItems(model, items).verdict, file).toBe('illegal');
    }
  });
});
