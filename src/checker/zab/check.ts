/**
 * The ZAB property checker: one pass over the trace's protocol events keeps per-node logs and
 * applied positions and checks the properties that can be decided at each event; a final pass
 * checks the ones that need the whole trace (what was ever committed or applied). Every violation
 * carries the few eventIndexes that show it.
 *
 * Disk loss is deliberately not excused: a node that loses its disk and rejoins can make a
 * committed txn disappear (a real ZooKeeper weakness), and the checker reports that.
 */
import { fmtZxid, zxidEpoch, type ZabEvent } from './events.ts';
import { ZAB_PROPERTIES, type ZabCheckResult, type ZabProperty, type ZabViolation } from './properties.ts';
import { firstAbove, holds, newReplica, snapshotHeld, truncateLog, type HeldSnapshot, type ReplicaState } from './replicaState.ts';

interface Applied {
  node: string;
  zxid: number;
  ev: number;
  prev: { zxid: number; ev: number | undefined };
}

/** Mutable state of one check. */
class Walk {
  readonly violations: ZabViolation[] = [];
  readonly nodes = new Map<string, ReplicaState>();
  readonly leaders = new Map<number, { node: string; ev: number }>();
  readonly proposers = new Map<number, { node: string; ev: number; lastZxid: number; lastEv: number }>();
  /** Leader's durable history at its first proposal of each epoch. */
  readonly primaryHistory = new Map<number, { node: string; ev: number; held: HeldSnapshot }>();
  readonly digests = new Map<number, { digest: string; ev: number }>();
  readonly proposed = new Map<number, number>();
  readonly proposalsByEpoch = new Map<number, number[]>();
  /** zxid → first event proving it committed (commit, clientAck, or an establish whose log held it). */
  readonly committed = new Map<number, number>();
  readonly applies: Applied[] = [];
  readonly firstApply = new Map<number, number>();

  node(id: string): ReplicaState {
    let r = this.nodes.get(id);
    if (r === undefined) this.nodes.set(id, (r = newReplica()));
    return r;
  }

  flag(property: ZabProperty, message: string, events: (number | undefined)[]): void {
    const evs = [...new Set(events.filter((e): e is number => e !== undefined))].sort((a, b) => a - b);
    this.violations.push({ property, message, events: evs });
  }

  digest(zxid: number, digest: string, ev: number, what: string): void {
    const seen = this.digests.get(zxid);
    if (seen === undefined) this.digests.set(zxid, { digest, ev });
    else if (seen.digest !== digest) this.flag('agreement', `zxid ${fmtZxid(zxid)} has digest ${digest} in this ${what} but ${seen.digest} at event ${seen.ev}`, [seen.ev, ev]);
  }

  commit(zxid: number, ev: number): void {
    if (!this.committed.has(zxid)) this.committed.set(zxid, ev);
  }
}

function onEstablish(w: Walk, e: Extract<ZabEvent, { kind: 'establish' }>): void {
  const prior = w.leaders.get(e.epoch);
  if (prior !== undefined && prior.node !== e.node) {
    w.flag('one-leader-per-epoch', `${prior.node} and ${e.node} were both established as leader of epoch ${e.epoch}`, [prior.ev, e.eventIndex]);
  }
  if (prior === undefined) w.leaders.set(e.epoch, { node: e.node, ev: e.eventIndex });
  const r = w.node(e.node);
  for (const [zxid, evidence] of w.committed) {
    if (holds(r, zxid)) continue;
    w.flag(
      'committed-survive',
      `${e.node} was established as leader of epoch ${e.epoch} without committed txn ${fmtZxid(zxid)} (committed at event ${evidence})`,
      [evidence, r.removed.get(zxid), e.eventIndex],
    );
  }
  // ZAB commits the new leader's whole initial history once a quorum acks NEWLEADER.
  for (const zxid of r.log.keys()) w.commit(zxid, e.eventIndex);
}

function onPropose(w: Walk, e: Extract<ZabEvent, { kind: 'propose' }>): void {
  w.digest(e.zxid, e.digest, e.eventIndex, 'proposal');
  const leader = w.leaders.get(e.epoch);
  const proposer = w.proposers.get(e.epoch);
  if (leader !== undefined && leader.node !== e.node) {
    w.flag('one-leader-per-epoch', `${e.node} proposed ${fmtZxid(e.zxid)} in epoch ${e.epoch}, whose established leader is ${leader.node}`, [leader.ev, e.eventIndex]);
  } else if (proposer !== undefined && proposer.node !== e.node) {
    w.flag('one-leader-per-epoch', `${proposer.node} and ${e.node} both proposed in epoch ${e.epoch}`, [proposer.ev, e.eventIndex]);
  }
  if (zxidEpoch(e.zxid) !== e.epoch) {
    w.flag('local-primary-order', `${e.node} proposed ${fmtZxid(e.zxid)} in epoch ${e.epoch}, but the zxid belongs to epoch ${zxidEpoch(e.zxid)}`, [e.eventIndex]);
  }
  if (proposer === undefined) {
    w.proposers.set(e.epoch, { node: e.node, ev: e.eventIndex, lastZxid: e.zxid, lastEv: e.eventIndex });
    w.primaryHistory.set(e.epoch, { node: e.node, ev: e.eventIndex, held: snapshotHeld(w.node(e.node)) });
  } else if (proposer.node === e.node) {
    if (e.zxid <= proposer.lastZxid) {
      w.flag('local-primary-order', `${e.node} proposed ${fmtZxid(e.zxid)} after ${fmtZxid(proposer.lastZxid)} in epoch ${e.epoch}`, [proposer.lastEv, e.eventIndex]);
    }
    proposer.lastZxid = Math.max(proposer.lastZxid, e.zxid);
    proposer.lastEv = e.eventIndex;
  }
  if (!w.proposed.has(e.zxid)) {
    w.proposed.set(e.zxid, e.eventIndex);
    let list = w.proposalsByEpoch.get(e.epoch);
    if (list === undefined) w.proposalsByEpoch.set(e.epoch, (list = []));
    list.push(e.zxid);
  }
}

function onApply(w: Walk, e: Extract<ZabEvent, { kind: 'apply' }>): void {
  w.digest(e.zxid, e.digest, e.eventIndex, 'apply');
  const r = w.node(e.node);
  if (!w.proposed.has(e.zxid)) w.flag('integrity', `${e.node} applied ${fmtZxid(e.zxid)}, which no leader proposed before`, [e.eventIndex]);
  const prev = { ...r.pos };
  if (e.zxid <= prev.zxid) {
    const same = zxidEpoch(e.zxid) === zxidEpoch(prev.zxid);
    w.flag(same ? 'local-primary-order' : 'global-primary-order', `${e.node} applied ${fmtZxid(e.zxid)} after ${fmtZxid(prev.zxid)}`, [prev.ev, e.eventIndex]);
  }
  w.applies.push({ node: e.node, zxid: e.zxid, ev: e.eventIndex, prev });
  if (!w.firstApply.has(e.zxid)) w.firstApply.set(e.zxid, e.eventIndex);
  r.pos = { zxid: e.zxid, ev: e.eventIndex };
}

function step(w: Walk, e: ZabEvent): void {
  switch (e.kind) {
    case 'establish':
      return onEstablish(w, e);
    case 'propose':
      return onPropose(w, e);
    case 'apply':
      return onApply(w, e);
    case 'log': {
      w.digest(e.zxid, e.digest, e.eventIndex, 'log entry');
      const r = w.node(e.node);
      r.log.set(e.zxid, { digest: e.digest, ev: e.eventIndex });
      r.removed.delete(e.zxid);
      return;
    }
    case 'truncate':
      return truncateLog(w.node(e.node), e.toZxid, e.eventIndex);
    case 'commit':
    case 'clientAck':
      return w.commit(e.zxid, e.eventIndex);
    case 'crash':
      w.node(e.node).pos = { zxid: 0, ev: e.eventIndex };
      return;
    case 'restart':
      return;
    case 'diskLoss': {
      const r = w.node(e.node);
      truncateLog(r, 0, e.eventIndex);
      r.pos = { zxid: 0, ev: e.eventIndex };
      return;
    }
    case 'recover': {
      // The snapshot holds the node's own history up to its zxid; the log events that follow
      // add what the log held after it.
      const r = w.node(e.node);
      r.snapZxid = Math.max(r.snapZxid, e.zxid);
      return;
    }
    case 'snapshotLoad':
      w.node(e.node).pos = { zxid: e.zxid, ev: e.eventIndex };
      return;
    case 'syncSnap': {
      // The leader's snapshot replaces the node's whole history: its old log is dropped (once
      // the snapshot is durable; a crash before that is reported by `recover` and `log`), even
      // the entries below the snapshot's zxid. Those the leader had are held under the snapshot;
      // those it never had (a deposed leader's uncommitted tail) are gone, and must not count as
      // part of this node's initial history if it later leads.
      const r = w.node(e.node);
      truncateLog(r, 0, e.eventIndex);
      r.snapZxid = e.zxid;
      r.pos = { zxid: e.zxid, ev: e.eventIndex };
      return;
    }
  }
}

/** Final pass: properties that depend on what was ever committed or applied. */
function finish(w: Walk): void {
  const reported = new Set<number>();
  for (const a of w.applies) {
    if (w.committed.has(a.zxid) || reported.has(a.zxid)) continue;
    reported.add(a.zxid);
    w.flag('uncommitted-discarded', `${a.node} applied ${fmtZxid(a.zxid)}, which was never committed`, [w.proposed.get(a.zxid), a.ev]);
  }
  for (const list of w.proposalsByEpoch.values()) list.sort((x, y) => x - y);
  const delivered = [...w.firstApply.keys()].filter((z) => w.committed.has(z)).sort((x, y) => x - y);
  for (const a of w.applies) {
    if (a.zxid <= a.prev.zxid) continue;
    const gap = firstAbove(delivered, a.prev.zxid);
    if (gap !== undefined && gap < a.zxid) {
      const evidence = w.committed.get(gap)!;
      const lost = evidence < a.ev;
      w.flag(
        lost ? 'committed-survive' : 'total-order',
        `${a.node} applied ${fmtZxid(a.zxid)} right after ${fmtZxid(a.prev.zxid)}, skipping ${fmtZxid(gap)} which was ${lost ? 'already committed' : 'delivered elsewhere'}`,
        [a.prev.ev, w.firstApply.get(gap), lost ? evidence : undefined, a.ev],
      );
      continue;
    }
    const epoch = zxidEpoch(a.zxid);
    const proposals = w.proposalsByEpoch.get(epoch);
    const earlier = proposals && firstAbove(proposals, Math.max(a.prev.zxid, epoch * 2 ** 32));
    if (earlier !== undefined && earlier < a.zxid) {
      w.flag('local-primary-order', `${a.node} applied ${fmtZxid(a.zxid)} without the same leader's earlier proposal ${fmtZxid(earlier)}`, [w.proposed.get(earlier), a.prev.ev, a.ev]);
    }
  }
  for (const [epoch, h] of w.primaryHistory) {
    for (const [zxid, ev] of w.firstApply) {
      if (zxidEpoch(zxid) >= epoch || zxid <= h.held.snapZxid || h.held.zxids.has(zxid)) continue;
      w.flag('primary-integrity', `${h.node} began proposing in epoch ${epoch} without ${fmtZxid(zxid)}, which a replica delivered`, [h.ev, ev]);
    }
  }
}

/** Checks a ZAB event trace (events in trace order). */
export function checkZab(events: readonly ZabEvent[]): ZabCheckResult {
  const w = new Walk();
  for (const e of events) step(w, e);
  finish(w);
  const counts = Object.fromEntries(ZAB_PROPERTIES.map((p) => [p, 0])) as Record<ZabProperty, number>;
  for (const v of w.violations) counts[v.property]++;
  return { verdict: w.violations.length > 0 ? 'illegal' : 'ok', violations: w.violations, counts, eventCount: events.length };
}
