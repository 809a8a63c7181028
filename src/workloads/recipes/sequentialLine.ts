/**
 * A line of ephemeral-sequential znodes under one parent — the core that ZooKeeper's lock and
 * leader-election recipes share. A client enters by creating `<parent>/<client>.<attempt>-NNNN`
 * (EPHEMERAL_SEQUENTIAL), lists the parent, and if its node is the lowest it has its *turn*
 * (holds the lock, leads); otherwise it sets an exists watch on its immediate predecessor only
 * (no herd effect) and, when that fires, lists again. Its owner decides when to leave (delete
 * the node) and whether to enter again.
 *
 * Failures, as the recipes in the ZooKeeper docs handle them:
 * - a create that ends CONNECTIONLOSS may have happened: the name carries a unique prefix, so
 *   the client lists the parent and adopts the node with its prefix; if none is listed it gives
 *   the attempt up but remembers the prefix, and deletes such a node if it shows up later (a
 *   create may land late), so it cannot block the line for the rest of its session;
 * - a failed read is retried; an `info` delete is retried (NONODE then means it happened);
 * - when the session ends (expired, closed) the client is finished; when its process restarts
 *   with a new session it is out of the line (its old node goes when the old session expires).
 *
 * The line records each turn as a {@link Hold} for the exclusion check, and can audit waiting
 * clients for lost wake-ups (`checks/wakeup.ts`).
 */
import type { Hold } from '../checks/exclusion.ts';
import type { AuditRound, WaiterAudit } from '../checks/wakeup.ts';
import type { ClientDriver, OpResult } from '../driver/clientDriver.ts';

/** Why a client is out of the line. */
export type OutReason = 'left' | 'failed' | 'lost-node' | 'restarted';

export interface LineOptions {
  parent: string;
  /** Pause (µs) before retrying a failed request. */
  retryUs: number;
  /** A turn began; the owner decides when to `leave`. */
  onTurn(client: string): void;
  /** The client is out of the line and may `enter` again. */
  onOut(client: string, why: OutReason): void;
  /** TEST-ONLY MUTATION: take the turn right after the create, without checking to be lowest. */
  skipLowestCheck?: boolean;
  /** TEST-ONLY MUTATION: look at the predecessor without a watch, so a waiter is never woken. */
  noWatch?: boolean;
}

type Phase = 'out' | 'entering' | 'checking' | 'waiting' | 'turn' | 'leaving' | 'ended';

interface Member {
  phase: Phase;
  /** Bumped when the session ends or the process restarts: callbacks from before are void. */
  gen: number;
  node: string | undefined;
  predecessor: string | undefined;
  /** Bumped on every new wait, so an audit can tell whether the waiter moved on. */
  waitSeq: number;
  waitingSinceUs: number;
  /** Name prefixes of this session's creates that may have landed unseen. */
  orphans: string[];
  hold: Hold | undefined;
  audits: WaiterAudit[];
}

const seqOf = (name: string): number => {
  const n = Number(name.slice(-10));
  return Number.isFinite(n) ? n : Number.POSITIVE_INFINITY;
};
const bySequence = (a: string, b: string) => seqOf(a) - seqOf(b) || (a < b ? -1 : a > b ? 1 : 0);
const childrenOf = (r: OpResult): string[] => (r.value as { children: string[] }).children;

/** The line's state for every client. */
export class SequentialLine {
  /** Every turn taken so far (the last one of a client may still be open). */
  readonly holds: Hold[] = [];
  private readonly members = new Map<string, Member>();
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly d: ClientDriver,
    private readonly o: LineOptions,
  ) {
    for (const c of d.ctx.clients) this.members.set(c, { phase: 'out', gen: 0, node: undefined, predecessor: undefined, waitSeq: 0, waitingSinceUs: 0, orphans: [], hold: undefined, audits: [] });
    d.onEvent((client, event) => {
      const m = this.members.get(client);
      // Any event on the watched predecessor (normally NodeDeleted) means: look again.
      if (m !== undefined && m.phase === 'waiting' && event.path === m.predecessor) this.check(client, m);
    });
    d.onState((client, change) => {
      const m = this.member(client);
      if (change === 'expired' || change === 'closed' || change === 'restarted') {
        this.endHold(m, change);
        m.gen++;
        for (const a of m.audits) if (a.outcome === 'pending') Object.assign(a, { outcome: 'ended', atUs: d.nowUs() });
        m.audits = [];
        m.node = undefined;
        m.orphans = [];
        m.phase = change === 'restarted' ? 'out' : 'ended';
        if (change === 'restarted') o.onOut(client, 'restarted');
      }
    });
  }

  /** Creates the parent (once per session is enough; NODEEXISTS is fine). */
  ensureParent(client: string): void {
    this.d.call(client, { f: 'create', value: { path: this.o.parent, data: null, mode: 'PERSISTENT' } });
  }

  /** Enters the line; false if the client is not out of it. */
  enter(client: string): boolean {
    const m = this.member(client);
    if (m.phase !== 'out' || this.d.ended(client)) return false;
    const attempt = (this.attempts.get(client) ?? 0) + 1;
    this.attempts.set(client, attempt);
    const prefix = `${client}.${attempt}-`;
    m.phase = 'entering';
    this.d.call(
      client,
      { f: 'create', value: { path: `${this.o.parent}/${prefix}`, data: client, mode: 'EPHEMERAL_SEQUENTIAL' } },
      this.guard(m, (r) => {
        if (r.type === 'ok') {
          m.node = (r.value as { path: string }).path;
          if (this.o.skipLowestCheck) return this.startTurn(client, m);
          return this.check(client, m);
        }
        if (r.type === 'info') {
          m.orphans.push(prefix);
          return this.recover(client, m, prefix);
        }
        if (r.error === 'NONODE') this.ensureParent(client);
        this.out(client, m, 'failed');
      }),
    );
    return true;
  }

  /** Leaves the line after a turn (deletes the node); false if the client has no turn. */
  leave(client: string): boolean {
    const m = this.member(client);
    if (m.phase !== 'turn') return false;
    this.endHold(m, 'released');
    m.phase = 'leaving';
    this.deleteOwn(client, m);
    return true;
  }

  /** Whether the client has its turn now, and the turn (hold) it has. */
  turnOf(client: string): Hold | undefined {
    const m = this.member(client);
    return m.phase === 'turn' ? m.hold : undefined;
  }

  isOut(client: string): boolean {
    return this.member(client).phase === 'out';
  }

  isWaiting(client: string): boolean {
    return this.member(client).phase === 'waiting';
  }

  /**
   * Starts an audit round: every waiting client syncs and asks `exists` on its predecessor (no
   * watch). The round's outcomes fill in as the answers come.
   */
  auditWaiters(): AuditRound {
    const round: AuditRound = { atUs: this.d.nowUs(), waiters: [] };
    for (const client of this.d.ctx.clients) {
      const m = this.member(client);
      if (m.phase !== 'waiting' || m.predecessor === undefined) continue;
      const a: WaiterAudit = { client, session: this.d.session(client) ?? '?', predecessor: m.predecessor, waitingSinceUs: m.waitingSinceUs, outcome: 'pending' };
      round.waiters.push(a);
      m.audits.push(a);
      if (!this.d.connected(client)) {
        Object.assign(a, { outcome: 'unreachable', atUs: this.d.nowUs() });
        continue;
      }
      const seq = m.waitSeq;
      this.d.call(client, { f: 'sync', value: { path: this.o.parent } });
      this.d.call(
        client,
        { f: 'exists', value: { path: m.predecessor } },
        this.guard(m, (r) => {
          m.audits = m.audits.filter((x) => x !== a);
          if (a.outcome !== 'pending') return;
          a.atUs = this.d.nowUs();
          if (m.phase !== 'waiting' || m.waitSeq !== seq) a.outcome = 'woken';
          else if (r.type !== 'ok') a.outcome = 'unreachable';
          else a.outcome = r.value === null ? 'lost' : 'present';
        }),
      );
    }
    return round;
  }

  // --- steps ---------------------------------------------------------------------------------

  /** After a create of unknown fate: find the node by its prefix, or give the attempt up. */
  private recover(client: string, m: Member, prefix: string): void {
    this.d.call(
      client,
      { f: 'getChildren', value: { path: this.o.parent } },
      this.guard(m, (r) => {
        if (r.type !== 'ok') return this.d.after(this.o.retryUs, this.guard(m, () => this.recover(client, m, prefix)));
        const children = childrenOf(r);
        const mine = children.find((c) => c.startsWith(prefix));
        if (mine === undefined) return this.out(client, m, 'failed');
        m.orphans = m.orphans.filter((p) => p !== prefix);
        m.node = `${this.o.parent}/${mine}`;
        this.evaluate(client, m, children);
      }),
    );
  }

  /** Lists the parent and decides: turn, or watch the predecessor. */
  private check(client: string, m: Member): void {
    m.phase = 'checking';
    this.d.call(
      client,
      { f: 'getChildren', value: { path: this.o.parent } },
      this.guard(m, (r) => {
        if (r.type === 'ok') return this.evaluate(client, m, childrenOf(r));
        this.d.after(this.o.retryUs, this.guard(m, () => this.check(client, m)));
      }),
    );
  }

  private evaluate(client: string, m: Member, children: string[]): void {
    m.phase = 'checking';
    this.cleanOrphans(client, m, children);
    const sorted = [...children].sort(bySequence);
    const own = sorted.indexOf(m.node!.slice(this.o.parent.length + 1));
    // Our own node is missing from our own read (which sees our writes): the session lost it.
    if (own < 0) return this.out(client, m, 'lost-node');
    if (own === 0) return this.startTurn(client, m);
    const predecessor = `${this.o.parent}/${sorted[own - 1]}`;
    this.d.call(
      client,
      { f: 'exists', value: { path: predecessor, watch: !this.o.noWatch } },
      this.guard(m, (r) => {
        if (r.type !== 'ok') return this.d.after(this.o.retryUs, this.guard(m, () => this.check(client, m)));
        if (r.value === null) return this.check(client, m); // already gone: look again
        m.phase = 'waiting';
        m.predecessor = predecessor;
        m.waitSeq++;
        m.waitingSinceUs = this.d.nowUs();
      }),
    );
  }

  private startTurn(client: string, m: Member): void {
    m.phase = 'turn';
    m.hold = { client, session: this.d.session(client) ?? '?', node: m.node!, fromUs: this.d.nowUs() };
    this.holds.push(m.hold);
    this.o.onTurn(client);
  }

  private deleteOwn(client: string, m: Member): void {
    this.d.call(
      client,
      { f: 'delete', value: { path: m.node! } },
      this.guard(m, (r) => {
        if (r.type === 'info') return this.d.after(this.o.retryUs, this.guard(m, () => this.deleteOwn(client, m)));
        this.out(client, m, 'left');
      }),
    );
  }

  /** Deletes nodes of this session's abandoned creates that have since appeared. */
  private cleanOrphans(client: string, m: Member, children: readonly string[]): void {
    if (m.orphans.length === 0) return;
    const own = m.node?.slice(this.o.parent.length + 1);
    for (const c of children) {
      const prefix = m.orphans.find((p) => c.startsWith(p));
      if (prefix === undefined || c === own) continue;
      m.orphans = m.orphans.filter((p) => p !== prefix);
      this.d.call(client, { f: 'delete', value: { path: `${this.o.parent}/${c}` } });
    }
  }

  private out(client: string, m: Member, why: OutReason): void {
    m.phase = 'out';
    m.node = undefined;
    m.predecessor = undefined;
    this.o.onOut(client, why);
  }

  private endHold(m: Member, end: NonNullable<Hold['end']>): void {
    if (m.phase === 'turn' && m.hold !== undefined && m.hold.toUs === undefined) {
      m.hold.toUs = this.d.nowUs();
      m.hold.end = end;
    }
  }

  /** Wraps a callback so that it does nothing once the member's session is over. */
  private guard<A extends unknown[]>(m: Member, fn: (...args: A) => void): (...args: A) => void {
    const gen = m.gen;
    return (...args: A) => {
      if (m.gen === gen) fn(...args);
    };
  }

  private member(client: string): Member {
    const m = this.members.get(client);
    if (m === undefined) throw new Error(`line: unknown client ${client}`);
    return m;
  }
}
