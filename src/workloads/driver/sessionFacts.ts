/**
 * What the clients' own outputs say about each ZooKeeper session: when it connected, when its
 * client lost or regained the connection, whether it ended (expired or closed), and when its
 * successful writes were invoked. Recipe checks lean on these facts to decide what ZooKeeper's
 * session semantics allow, so they are plain data (JSON) that a test can also write by hand.
 *
 * The one fact that carries weight is a **sign of life**: a write (create, delete, setData,
 * multi) of session s that was *invoked* at or after time t and completed `ok`. Writes go
 * through the leader, which refuses a session it has expired, and a write is applied after it
 * is invoked; so such a write proves s was not expired at t — and, since an expired session
 * never comes back, that nothing of s (its ephemerals) was removed by expiry before t. Reads do
 * not count: a lagging follower may still serve a session the leader has already expired.
 */
import type { ClientState } from '../../client/clientOutput.ts';

/** One session, as its client reported it. */
export interface SessionRecord {
  session: string;
  client: string;
  /** Connection state changes of this session, in time order (`connected` first). */
  states: { t: number; state: ClientState }[];
  /** When the client reported the session ended, and how. */
  endUs?: number;
  endKind?: 'expired' | 'closed';
  /** Invoke times (µs) of this session's writes that completed ok, ascending. */
  writeOkInvokeUs: number[];
}

/** Every session seen in a run, by session id. */
export type SessionFacts = Record<string, SessionRecord>;

const WRITES: ReadonlySet<string> = new Set(['create', 'delete', 'setData', 'multi']);

/** Whether an operation name changes server state (and so proves its session alive when ok). */
export function isSessionWrite(f: string): boolean {
  return WRITES.has(f);
}

/** The first ok write of `s` invoked at or after `t`, if any: proof that `s` was alive at `t`. */
export function signOfLife(rec: SessionRecord | undefined, t: number): number | undefined {
  if (rec === undefined) return undefined;
  return rec.writeOkInvokeUs.find((x) => x >= t);
}

/** The session's connection state at time `t` (after every change at or before `t`). */
export function stateAt(rec: SessionRecord, t: number): ClientState | undefined {
  let state: ClientState | undefined;
  for (const s of rec.states) {
    if (s.t > t) break;
    state = s.state;
  }
  return state;
}

/** Whether the session was connected over the whole of [fromUs, toUs] (no change inside). */
export function connectedThroughout(rec: SessionRecord, fromUs: number, toUs: number): boolean {
  if (stateAt(rec, fromUs) !== 'connected') return false;
  return !rec.states.some((s) => s.t > fromUs && s.t <= toUs);
}

/** Builds {@link SessionFacts} from client outputs as they happen. */
export class SessionFactsRecorder {
  readonly facts: SessionFacts = {};

  private record(session: string, client: string): SessionRecord {
    let rec = this.facts[session];
    if (rec === undefined) {
      rec = { session, client, states: [], writeOkInvokeUs: [] };
      this.facts[session] = rec;
    }
    return rec;
  }

  /** A state change reported by `client` for `session`. */
  onState(client: string, session: string | null, state: ClientState, t: number): void {
    if (session === null) return;
    const rec = this.record(session, client);
    rec.states.push({ t, state });
    if ((state === 'expired' || state === 'closed') && rec.endUs === undefined) {
      rec.endUs = t;
      rec.endKind = state;
    }
  }

  /** An operation of `session` named `f`, invoked at `invokeUs`, completed ok. */
  onOk(client: string, session: string | null, f: string, invokeUs: number): void {
    if (session === null || !isSessionWrite(f)) return;
    this.record(session, client).writeOkInvokeUs.push(invokeUs);
  }
}
