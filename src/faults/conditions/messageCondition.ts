/**
 * Message triggers: `{sent: PROPOSAL, from: leader, deliveredTo: ">=1", before: COMMIT}`.
 *
 * Messages of the watched type are grouped: by zxid when they carry one (a PROPOSAL and its
 * copies to each follower are one group), else by sender. Without `deliveredTo` the condition
 * holds at a group's first send. With it, it holds at the delivery that brings the number of
 * distinct sender→receiver deliveries of the group to the count (for a PROPOSAL: the followers
 * it reached; for an ACK: the followers whose ACK reached the leader). `before` requires that no
 * message of those types was sent yet for the same zxid (or, for types without a zxid, since
 * the group's first send); once one is, the group can no longer match. Each group matches at
 * most once. `from`/`to` are tested when the message is sent.
 */
import type { TraceKind } from '../../sim/trace/traceEvent.ts';
import type { DeliveryCount, EventCondition } from '../spec.ts';
import { matchesTarget, type TargetWorld } from '../targets.ts';
import { hexZxid, messageInfo, type EventMatcher } from './matcher.ts';

type MessageCondition = Extract<EventCondition, { sent: string }>;

interface Group {
  label: string;
  zxid: number | undefined;
  firstSeq: number;
  sent: Set<string>;
  delivered: Set<string>;
  done: boolean;
}

/** Groups kept before the oldest are forgotten (a long run must not grow without bound). */
const MAX_GROUPS = 10_000;
const MAX_IN_FLIGHT = 100_000;

export class MessageMatcher implements EventMatcher {
  readonly kinds: readonly TraceKind[] = ['send', 'deliver', 'drop'];
  private readonly groups = new Map<string, Group>();
  private readonly inFlight = new Map<number, { group: Group; pair: string }>();
  private readonly beforeZxids = new Map<string, Set<number>>();
  private readonly beforeSeq = new Map<string, number>();
  private readonly beforeHasZxid = new Set<string>();
  private readonly before: readonly string[];
  private seq = 0;

  constructor(
    private readonly c: MessageCondition,
    private readonly w: TargetWorld,
  ) {
    this.before = c.before ?? [];
  }

  observe(kind: TraceKind, node: string, data: unknown): string | undefined {
    const d = data as unknown[];
    if (kind === 'send') return this.onSend(node, d[1] as string, d[2] as number, d[3]);
    if (kind === 'deliver') return this.onDeliver(d[2] as number);
    this.inFlight.delete(d[2] as number);
    return undefined;
  }

  private onSend(from: string, to: string, msgId: number, payload: unknown): string | undefined {
    const info = messageInfo(payload);
    if (info === undefined) return undefined;
    this.seq++;
    if (this.before.includes(info.type)) this.noteBefore(info.type, info.zxid);
    const c = this.c;
    if (info.type !== c.sent) return undefined;
    if (c.from !== undefined && !matchesTarget(from, c.from, this.w)) return undefined;
    if (c.to !== undefined && !matchesTarget(to, c.to, this.w)) return undefined;
    const g = this.group(info.zxid, from);
    if (g.done) return undefined;
    const blocker = this.blocker(g);
    if (blocker !== undefined) {
      g.done = true;
      return undefined;
    }
    const pair = `${from}>${to}`;
    g.sent.add(pair);
    if (c.deliveredTo === undefined) {
      g.done = true;
      return `sent ${g.label} ${from}→${to}${this.beforeNote()}`;
    }
    if (this.inFlight.size >= MAX_IN_FLIGHT) this.inFlight.delete(this.inFlight.keys().next().value!);
    this.inFlight.set(msgId, { group: g, pair });
    return undefined;
  }

  private onDeliver(msgId: number): string | undefined {
    const f = this.inFlight.get(msgId);
    if (f === undefined) return undefined;
    this.inFlight.delete(msgId);
    const g = f.group;
    if (g.done) return undefined;
    if (this.blocker(g) !== undefined) {
      g.done = true;
      return undefined;
    }
    g.delivered.add(f.pair);
    if (!reached(this.c.deliveredTo!, g)) return undefined;
    g.done = true;
    const [from, to] = f.pair.split('>');
    return `delivered ${g.label} ${from}→${to} (${g.delivered.size} of ${g.sent.size} sent)${this.beforeNote()}`;
  }

  private group(zxid: number | undefined, from: string): Group {
    const key = zxid !== undefined ? `z${zxid}` : `from:${from}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      if (this.groups.size >= MAX_GROUPS) this.groups.delete(this.groups.keys().next().value!);
      const label = zxid !== undefined ? `${this.c.sent} ${hexZxid(zxid)}` : this.c.sent;
      g = { label, zxid, firstSeq: this.seq, sent: new Set(), delivered: new Set(), done: false };
      this.groups.set(key, g);
    }
    return g;
  }

  private noteBefore(type: string, zxid: number | undefined): void {
    this.beforeSeq.set(type, this.seq);
    if (zxid === undefined) return;
    this.beforeHasZxid.add(type);
    let set = this.beforeZxids.get(type);
    if (set === undefined) this.beforeZxids.set(type, (set = new Set()));
    set.add(zxid);
  }

  /** The first `before` type already sent for this group, if any. */
  private blocker(g: Group): string | undefined {
    for (const t of this.before) {
      if (g.zxid !== undefined && this.beforeHasZxid.has(t)) {
        if (this.beforeZxids.get(t)!.has(g.zxid)) return t;
      } else if ((this.beforeSeq.get(t) ?? -1) > g.firstSeq) {
        return t;
      }
    }
    return undefined;
  }

  private beforeNote(): string {
    return this.before.length === 0 ? '' : `, no ${this.before.join('/')} yet`;
  }
}

function reached(count: DeliveryCount, g: Group): boolean {
  return count === 'all' ? g.delivered.size >= g.sent.size : g.delivered.size >= count.atLeast;
}
