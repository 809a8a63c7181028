/**
 * The lost-wake-up check on hand-written audit rounds: a proven lost wake-up is illegal in any
 * round (reported once per wait); otherwise the last round with every answer decides, and
 * anything it could not answer makes the verdict unknown.
 */
import { describe, expect, it } from 'vitest';
import { type AuditRound, checkWakeups, type WaiterAudit } from '../../src/workloads/checks/wakeup.ts';

const waiter = (client: string, outcome: WaiterAudit['outcome'], predecessor = '/lock/c1.1-0000000001'): WaiterAudit => ({
  client,
  session: `s-${client}`,
  predecessor,
  waitingSinceUs: 1000,
  outcome,
  atUs: 5000,
});
const round = (atUs: number, ...waiters: WaiterAudit[]): AuditRound => ({ atUs, waiters });

describe('lost wake-up check', () => {
  it('is ok when every waiter of the last complete round still has its predecessor, or moved on', () => {
    const r = checkWakeups('w', [round(5000, waiter('c2', 'present'), waiter('c3', 'woken'), waiter('c4', 'ended'))], 5000);
    expect(r).toEqual({ name: 'w', verdict: 'ok', violations: [] });
    expect(checkWakeups('w', [round(5000)], 5000).verdict).toBe('ok');
  });

  it('is illegal on a proven lost wake-up, reported once however many rounds saw it', () => {
    const r = checkWakeups('w', [round(5000, waiter('c2', 'lost')), round(6000, waiter('c2', 'lost')), round(7000, waiter('c2', 'present'))], 5000);
    expect(r.verdict).toBe('illegal');
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ property: 'lost-wake-up', witness: { client: 'c2', predecessor: '/lock/c1.1-0000000001' } });
  });

  it('is unknown when no round ran, none completed, or the deciding round could not reach a waiter', () => {
    expect(checkWakeups('w', [], 5000)).toMatchObject({ verdict: 'unknown', violations: [{ property: 'undecided', message: 'the run ended before the first audit (5.000 ms)' }] });
    expect(checkWakeups('w', [round(5000, waiter('c2', 'pending'))], 5000).verdict).toBe('unknown');
    const r = checkWakeups('w', [round(5000, waiter('c2', 'present')), round(6000, waiter('c2', 'unreachable'))], 5000);
    expect(r.verdict).toBe('unknown');
    expect(r.violations[0]!.message).toContain('could not reach c2');
  });

  it('a round still pending at the end does not hide the last complete one', () => {
    const r = checkWakeups('w', [round(5000, waiter('c2', 'present')), round(6000, waiter('c2', 'pending'))], 5000);
    expect(r.verdict).toBe('ok');
  });
});
