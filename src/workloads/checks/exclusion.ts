/**
 * Mutual exclusion over *holds* — intervals in which a client believed it owned something (a
 * lock, the leadership) because its ephemeral-sequential znode was the lowest — judged with
 * ZooKeeper's session semantics.
 *
 * Beliefs overlapping in time are not by themselves a violation: a client cut off from the
 * ensemble keeps believing while its session expires and its znode is deleted, and then another
 * client may rightly take over. So an overlap is reported only when it is *provable*: at the
 * overlap's start t both sessions were provably alive (a sign of life — an ok write invoked at
 * or after t, see sessionFacts.ts). Then neither holder's znode had been removed by expiry
 * before t, and a holder deletes its own znode only after it stops believing, so both znodes
 * existed at t. But a reader that saw its node lowest saw, at that moment, every older sibling
 * gone — and a deleted znode never returns — so whichever of the two nodes is younger could
 * not have been seen lowest while the older one still existed. Contradiction: a real violation.
 *
 * Every other overlap is explained by an expiry of one of the two sessions (each session's
 * possible expiry times form an up-set, so one early expiry per session explains all its
 * overlaps at once) and is not reported: the verdict is then `ok`, meaning "consistent with
 * ZooKeeper's semantics".
 */
import { type SessionFacts, signOfLife } from '../driver/sessionFacts.ts';
import type { WorkloadCheck } from '../workload.ts';
import { checkResult, ms, type Violation } from './result.ts';

/** One interval in which `client` believed it was the owner. */
export interface Hold {
  client: string;
  session: string;
  /** The znode that made it the owner. */
  node: string;
  fromUs: number;
  /** When it stopped believing; absent: still believing when the run ended. */
  toUs?: number;
  /** Why the belief ended. */
  end?: 'released' | 'expired' | 'closed' | 'restarted';
}

export interface ExclusionOptions {
  /** The property name violations carry (e.g. `mutual-exclusion`). */
  property: string;
  /** What a hold means, for messages (e.g. `held the lock`). */
  role: string;
  /** Report at most this many violations (the rest are counted in the last message). */
  maxViolations?: number;
}

const endOf = (h: Hold) => h.toUs ?? Number.POSITIVE_INFINITY;

/** Deterministic order whatever the input order: by start, then client, session, node and end. */
function byStart(a: Hold, b: Hold): number {
  return a.fromUs - b.fromUs || cmp(a.client, b.client) || cmp(a.session, b.session) || cmp(a.node, b.node) || cmp(endOf(a), endOf(b));
}
const cmp = <T extends string | number>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

function describe(h: Hold): string {
  const to = h.toUs === undefined ? 'the end of the run' : `${ms(h.toUs)}${h.end !== undefined ? ` (${h.end})` : ''}`;
  return `${h.client} (session ${h.session}, ${h.node}) from ${ms(h.fromUs)} to ${to}`;
}

/** The provable overlaps between holds of different clients. */
export function exclusionViolations(holds: readonly Hold[], facts: SessionFacts, opts: ExclusionOptions): Violation[] {
  const sorted = [...holds].sort(byStart);
  const limit = opts.maxViolations ?? 20;
  const out: Violation[] = [];
  let more = 0;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.fromUs >= endOf(a)) break; // sorted by start: no later hold overlaps a either
      if (b.client === a.client) continue;
      // The overlap starts when b starts; being alive is downward closed, so t = b.fromUs is the
      // instant at which proof is easiest to find.
      const t = b.fromUs;
      const lifeA = signOfLife(facts[a.session], t);
      const lifeB = signOfLife(facts[b.session], t);
      if (lifeA === undefined || lifeB === undefined) continue;
      if (out.length >= limit) {
        more++;
        continue;
      }
      const until = Math.min(endOf(a), endOf(b));
      out.push({
        property: opts.property,
        message:
          `${a.client} and ${b.client} both ${opts.role} from ${ms(t)}${Number.isFinite(until) ? ` to ${ms(until)}` : ' to the end of the run'}, ` +
          `and both sessions were provably alive then (writes invoked at ${ms(lifeA)} and ${ms(lifeB)} completed ok): ` +
          `${describe(a)}; ${describe(b)}`,
        witness: { holds: [a, b], overlapFromUs: t, overlapToUs: Number.isFinite(until) ? until : null, signOfLifeUs: { [a.session]: lifeA, [b.session]: lifeB } },
      });
    }
  }
  if (more > 0) out.push({ property: opts.property, message: `${more} more provable overlaps not listed` });
  return out;
}

/** The exclusion check as a {@link WorkloadCheck}. */
export function checkExclusion(name: string, holds: readonly Hold[], facts: SessionFacts, opts: ExclusionOptions): WorkloadCheck {
  return checkResult(name, exclusionViolations(holds, facts, opts));
}
