/**
 * Learner.LeaderConnector.connectToLeader (3.8.0): a learner makes at most 5 connection attempts,
 * leaderConnectDelayDuringRetryMs (100 ms) apart and within initLimit, then gives up and goes
 * back to LOOKING. Retrying for the whole initLimit (20 s by default) instead keeps a server
 * away from the ensemble for that long whenever the server it voted for is not leading.
 */
import { describe, expect, it } from 'vitest';
import { startEnsemble } from './ensembleHarness.ts';

describe('learner connecting to its leader', () => {
  it('gives up after 5 refused attempts and re-elects, so the ensemble forms without the dead server', () => {
    const e = startEnsemble(1, { clients: 0 });
    // n3 is down from the start, so n1 and n2 vote for n2 (equal zxids, higher sid).
    e.sim.host('n3').crash();
    e.runMs(100);
    // n2 dies after its vote reached n1 but before n1's finalizeWait ends: n1 still decides to
    // follow n2, whose learner port then refuses every connection.
    e.sim.host('n2').crash();
    e.runMs(400);
    e.sim.host('n3').start();
    e.runMs(1500);

    const n1 = e.events.filter((x) => x.node === 'n1' && ['decided', 'abandon', 'serving'].includes(x.ev.ev as string));
    expect(n1.map((x) => `${String(x.ev.ev)} ${String(x.ev.leader ?? x.ev.reason)}`)).toEqual([
      'decided 2',
      'abandon could not connect to leader 2: retries exceeded (tries=5)',
      'decided 3',
      'serving 3',
    ]);
    // Five attempts 100 ms apart: n1 is LOOKING again about 400 ms after it decided.
    const [decided, abandoned] = n1;
    expect(abandoned!.atMs - decided!.atMs).toBeGreaterThanOrEqual(400);
    expect(abandoned!.atMs - decided!.atMs).toBeLessThan(500);
    expect(e.of('established').map((x) => `${x.node} epoch ${String(x.ev.epoch)}`)).toEqual(['n3 epoch 1']);
  });
});
