/**
 * The membership check on hand-written registrations, facts and audit rounds: a listing is held
 * to what the sessions prove (alive → listed, all closed → not listed), undecided names make the
 * verdict unknown only when the listing contradicts the clients' reports, and a settled watcher
 * view must match the watcher's own later listing.
 */
import { describe, expect, it } from 'vitest';
import { checkMembership, type MembershipInput, type SessionRegistration, type WatcherAudit } from '../../src/workloads/checks/membership.ts';
import type { SessionFacts, SessionRecord } from '../../src/workloads/driver/sessionFacts.ts';

const rec = (session: string, client: string, writeOkInvokeUs: number[], end?: { atUs: number; kind: 'expired' | 'closed' }): SessionRecord => ({
  session,
  client,
  states: [{ t: 0, state: 'connected' }],
  ...(end ? { endUs: end.atUs, endKind: end.kind } : {}),
  writeOkInvokeUs,
});
const facts = (...rs: SessionRecord[]): SessionFacts => Object.fromEntries(rs.map((r) => [r.session, r]));
const reg = (client: string, session: string, extra: Partial<SessionRegistration> = {}): SessionRegistration => ({ client, session, vanishedUs: [], ...extra });
/** The watcher c9 synced at 10 000 µs and listed `children` at 11 000 µs. */
const listing = (children: string[], view: string[] = children, settled = true): WatcherAudit => ({ watcher: 'c9', session: 'w', outcome: 'listed', syncUs: 10_000, listedUs: 11_000, children, view, settled });

function input(registrations: SessionRegistration[], f: SessionFacts, audit: WatcherAudit): MembershipInput {
  return { members: ['c1', 'c2'], registrations, rounds: [{ atUs: 10_000, watchers: [audit], pendingWrites: 0 }], facts: f, firstAuditUs: 10_000 };
}

// c1 registered at 1000 and wrote after the listing; c2 closed its session (ok) at 5000.
const regs = [reg('c1', 's1', { createdUs: 1000 }), reg('c2', 's2', { createdUs: 1000, closeOkUs: 5000 })];
const f = facts(rec('s1', 'c1', [1000, 11_500]), rec('s2', 'c2', [1000], { atUs: 5000, kind: 'closed' }));

describe('membership check', () => {
  it('is ok when the listing and the view are exactly the live members', () => {
    expect(checkMembership('m', input(regs, f, listing(['c1'])))).toEqual({ name: 'm', verdict: 'ok', violations: [] });
  });

  it('a live member missing from the listing is a violation', () => {
    const r = checkMembership('m', input(regs, f, listing([])));
    expect(r.verdict).toBe('illegal');
    expect(r.violations[0]!.message).toContain('lacks c1, whose session s1 created it at 1.000 ms and was provably alive then (a write invoked at 11.500 ms');
  });

  it('without a write after the listing, a missing member is not provably alive', () => {
    const quiet = facts(rec('s1', 'c1', [1000]), rec('s2', 'c2', [1000], { atUs: 5000, kind: 'closed' }));
    // Its session was never reported ended, so "not listed" contradicts the reports: unknown.
    expect(checkMembership('m', input(regs, quiet, listing([]))).verdict).toBe('unknown');
  });

  it('a member that closed before the sync, or never registered, must not be listed', () => {
    const r = checkMembership('m', input(regs, f, listing(['c1', 'c2', 'c7'])));
    expect(r.verdict).toBe('illegal');
    expect(r.violations.map((v) => v.message)).toEqual([
      "c9's listing at 11.000 ms has c2, though every session that may have created it had closed before the sync at 10.000 ms",
      "c9's listing at 11.000 ms has c7, which no session ever tried to create",
    ]);
  });

  it('an expired member still listed is unknown (its closeSession may not have committed), not illegal', () => {
    const expired = facts(rec('s1', 'c1', [1000, 11_500]), rec('s2', 'c2', [1000], { atUs: 5000, kind: 'expired' }));
    const r = checkMembership('m', input([regs[0]!, reg('c2', 's2', { createdUs: 1000 })], expired, listing(['c1', 'c2'])));
    expect(r.verdict).toBe('unknown');
    expect(r.violations[0]!.message).toContain('c2 is listed though its sessions were reported ended, replaced or cut off past their timeout');
    // Not listed: consistent with the expiry.
    expect(checkMembership('m', input([regs[0]!, reg('c2', 's2', { createdUs: 1000 })], expired, listing(['c1']))).verdict).toBe('ok');
  });

  it('a member cut off for longer than its session timeout may be absent, but not one cut off briefly', () => {
    const cutOff = (sinceUs: number) =>
      facts({ ...rec('s1', 'c1', [1000]), states: [{ t: 0, state: 'connected' }, { t: sinceUs, state: 'disconnected' }] }, rec('s2', 'c2', [1000], { atUs: 5000, kind: 'closed' }));
    const timeouts = { sessionTimeoutMs: { s1: 4 } }; // 4 ms
    expect(checkMembership('m', { ...input(regs, cutOff(6000), listing([])), ...timeouts }).verdict).toBe('ok');
    expect(checkMembership('m', { ...input(regs, cutOff(8000), listing([])), ...timeouts }).verdict).toBe('unknown');
  });

  it('a restarted member whose old session went silent may be absent', () => {
    const restarted = [regs[0]!, reg('c2', 's2', { createdUs: 1000 }), reg('c2', 's3', { closeOkUs: 5000 })];
    const fr = facts(rec('s1', 'c1', [1000, 11_500]), rec('s2', 'c2', [1000]), rec('s3', 'c2', [], { atUs: 5000, kind: 'closed' }));
    expect(checkMembership('m', input(restarted, fr, listing(['c1']))).verdict).toBe('ok');
  });

  it('a settled view that differs from the later listing is a missed notification; an unsettled one is unknown', () => {
    const stale = checkMembership('m', input(regs, f, listing(['c1'], ['c1', 'c2'])));
    expect(stale.verdict).toBe('illegal');
    expect(stale.violations[0]).toMatchObject({ property: 'watcher-view', message: "c9's view [c1, c2] differs from its own later listing [c1] at 11.000 ms, with no notification pending" });
    const pending = checkMembership('m', input(regs, f, listing(['c1'], ['c1', 'c2'], false)));
    expect(pending.verdict).toBe('unknown');
    expect(pending.violations[0]!.message).toContain('c9 had a notification pending');
  });

  it('a member whose own node vanished while its session was provably alive is a violation', () => {
    const r = checkMembership('m', input([reg('c1', 's1', { createdUs: 1000, vanishedUs: [3000] }), regs[1]!], f, listing(['c1'])));
    expect(r.verdict).toBe('illegal');
    expect(r.violations[0]).toMatchObject({ property: 'ephemeral-kept' });
    const dead = facts(rec('s1', 'c1', [1000]), rec('s2', 'c2', [1000], { atUs: 5000, kind: 'closed' }));
    const r2 = checkMembership('m', input([reg('c1', 's1', { createdUs: 1000, vanishedUs: [3000] }), regs[1]!], dead, listing([])));
    expect(r2.violations.some((v) => v.property === 'ephemeral-kept')).toBe(false);
  });

  it('is unknown without a complete round, or when the watcher could not list', () => {
    expect(checkMembership('m', { ...input(regs, f, listing(['c1'])), rounds: [] }).violations[0]!.message).toContain('the run ended before the first audit');
    expect(checkMembership('m', { ...input(regs, f, listing(['c1'])), rounds: [{ atUs: 1, watchers: [listing(['c1'])], pendingWrites: 1 }] }).verdict).toBe('unknown');
    const gone: WatcherAudit = { watcher: 'c9', session: 'w', outcome: 'ended', syncUs: 10_000 };
    expect(checkMembership('m', input(regs, f, gone)).violations[0]!.message).toContain('c9: its session ended');
  });
});
