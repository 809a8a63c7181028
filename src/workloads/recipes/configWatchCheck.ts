/**
 * The checks of the config-watch recipe (`configWatch.ts`).
 *
 * Writers only ever compare-and-set `/config` (expected version e → data `"<e+1>:…"`), and the
 * node is created once with `"0:init"` and never deleted, so a znode version names the write
 * that produced it, and the final config is a version:
 *
 * - **config-sequential**: within one session, the config versions a client observes (getData,
 *   exists, its own setData/create replies) never go backwards, and every (version, data) it
 *   reads was written by an `ok` or `info` write with that version.
 * - **config-final**: every reader that finished the audit holds the last written config. The
 *   final config is the highest version an `ok` write produced — or, if an `info` write aimed
 *   higher, possibly that one: then both are accepted. A reader is judged only from its own
 *   audit: it synced, probed the version with a watch-less `exists` (version P), and then had
 *   no re-read left. ZooKeeper delivers a watch event before any reply that reflects the
 *   change, so a reader whose watched view is older than P missed a notification (or never
 *   re-registered its watch); a view ≥ P yet older than an `ok` write acknowledged before the
 *   audit's sync began is a stale read after sync. Readers whose session ended are not judged;
 *   a live reader that did not finish its audit (disconnected until the end) makes the verdict
 *   unknown, with the reason.
 */
import type { HistoryOp } from '../../checker/history/op.ts';
import type { SessionFacts } from '../driver/sessionFacts.ts';
import { type Violation, checkResult, ms } from '../checks/result.ts';
import type { WorkloadCheck } from '../workload.ts';
import { type RecipeOp, recipeOps } from './recipeOps.ts';

export const CONFIG_PATH = '/config';
export const INITIAL_CONFIG = '0:init';

/** What a reader holds once its audit settled. */
export interface ConfigSettle {
  client: string;
  session: string;
  atUs: number;
  /** The version its watch-less `exists` probe returned (−1: no node). */
  probeVersion: number;
  /** Whether the sync before the probe succeeded, and when it was invoked. */
  syncOk: boolean;
  syncInvokeUs: number;
  /** The config of its last successful read (version −1: no node); null if it never read. */
  view: { version: number; data: string | null } | null;
}

/** The audit's result, as the workload recorded it. */
export interface ConfigAudit {
  /** Clients that read the config (the readers). */
  readers: string[];
  /** When the audit began (stop + settle); undefined if the run ended before. */
  startedUs?: number;
  settled: ConfigSettle[];
}

interface ConfigWrite {
  op: RecipeOp;
  target: number;
  data: string | null;
}

/** The writes to /config, each with the version it produces if it takes effect. */
function configWrites(ops: readonly RecipeOp[]): { writes: ConfigWrite[]; blind: RecipeOp | undefined } {
  const writes: ConfigWrite[] = [];
  let blind: RecipeOp | undefined;
  for (const op of ops) {
    const v = (op.input ?? {}) as { path?: string; data?: string | null; version?: number };
    if (v.path !== CONFIG_PATH) continue;
    if (op.f === 'create') writes.push({ op, target: 0, data: v.data ?? null });
    else if (op.f === 'setData' && typeof v.version === 'number' && v.version >= 0) writes.push({ op, target: v.version + 1, data: v.data ?? null });
    else if (op.f === 'setData' || op.f === 'delete' || op.f === 'multi') blind ??= op;
  }
  return { writes, blind };
}

/** The version a reply shows for /config, or undefined if the op observed nothing. */
function observedVersion(op: RecipeOp): number | undefined {
  const path = (op.input as { path?: string } | null)?.path;
  if (path !== CONFIG_PATH) return undefined;
  const out = op.output as { version?: number } | null;
  if (op.status === 'fail') return (op.f === 'getData' || op.f === 'exists') && op.error === 'NONODE' ? -1 : undefined;
  if (op.status !== 'ok') return undefined;
  if (op.f === 'exists') return out === null ? -1 : out?.version;
  if (op.f === 'getData' || op.f === 'setData') return out?.version;
  if (op.f === 'create') return 0;
  return undefined;
}

/** Both config checks. */
export function checkConfigWatch(history: readonly HistoryOp[], facts: SessionFacts, audit: ConfigAudit): WorkloadCheck[] {
  const ops = recipeOps(history);
  const { writes, blind } = configWrites(ops);
  if (blind !== undefined) {
    const why = `op #${blind.index} (${blind.f} ${CONFIG_PATH} without an expected version) breaks the rule that a version names its write`;
    return [checkResult('config-sequential', [], why), checkResult('config-final', [], why)];
  }
  return [sequential(ops, writes), final(writes, facts, audit)];
}

function sequential(ops: readonly RecipeOp[], writes: readonly ConfigWrite[]): WorkloadCheck {
  const violations: Violation[] = [];
  // Which data each version can hold: from every write that may have happened.
  const possible = new Map<number, Set<string | null>>();
  for (const w of writes) if (w.op.status !== 'fail') (possible.get(w.target) ?? possible.set(w.target, new Set()).get(w.target)!).add(w.data);
  const okByTarget = new Map<number, ConfigWrite>();
  for (const w of writes) {
    if (w.op.status !== 'ok' || w.op.f !== 'setData') continue;
    const other = okByTarget.get(w.target);
    if (other !== undefined) violations.push({ property: 'double-version', message: `two compare-and-sets from version ${w.target - 1} of ${CONFIG_PATH} both succeeded (ops #${other.op.index} and #${w.op.index})`, witness: [other.op, w.op] });
    okByTarget.set(w.target, w);
  }
  const highest = new Map<string, { version: number; op: RecipeOp }>();
  for (const op of ops) {
    const version = observedVersion(op);
    if (version === undefined || op.session === null) continue;
    if (op.f === 'getData' && op.status === 'ok') {
      const data = (op.output as { data?: string | null }).data ?? null;
      if (!(possible.get(version)?.has(data) ?? false)) {
        violations.push({ property: 'unwritten-value', message: `${op.client} read ${CONFIG_PATH} = ${JSON.stringify(data)} at version ${version} (op #${op.index}), which no write produced`, witness: op });
      }
    }
    const prev = highest.get(op.session);
    if (prev !== undefined && version < prev.version) {
      violations.push({
        property: 'config-backwards',
        message: `session ${op.session} (${op.client}) saw ${CONFIG_PATH} at version ${prev.version} (op #${prev.op.index}) and later at version ${version} (op #${op.index}, ${ms(op.ret ?? op.call)})`,
        witness: [prev.op, op],
      });
    }
    if (prev === undefined || version > prev.version) highest.set(op.session, { version, op });
  }
  return checkResult('config-sequential', violations);
}

function final(writes: readonly ConfigWrite[], facts: SessionFacts, audit: ConfigAudit): WorkloadCheck {
  if (audit.startedUs === undefined) return checkResult('config-final', [], 'the run ended before the final audit (workload stop + settle)');
  if (audit.readers.length === 0) return checkResult('config-final', [], 'no client read the config (every client was a writer)');
  // The final config: the highest ok write, or any info write aiming higher.
  let last: ConfigWrite | undefined;
  for (const w of writes) if (w.op.status === 'ok' && (last === undefined || w.target > last.target)) last = w;
  const maxOk = last?.target ?? -1;
  const accepted = new Map<number, Set<string | null>>([[maxOk, new Set([last?.data ?? null])]]);
  for (const w of writes) if (w.op.status === 'info' && w.target > maxOk) (accepted.get(w.target) ?? accepted.set(w.target, new Set()).get(w.target)!).add(w.data);
  const lastAckUs = Math.max(-1, ...writes.filter((w) => w.op.status === 'ok' && w.target === maxOk).map((w) => w.op.ret ?? Infinity));

  const violations: Violation[] = [];
  const undecided: string[] = [];
  const settledBySession = new Map(audit.settled.map((s) => [s.session, s]));
  for (const s of audit.settled) {
    const view = s.view ?? { version: -2, data: null };
    const shown = s.view === null ? 'nothing (never read)' : `version ${view.version} (${JSON.stringify(view.data)})`;
    if (accepted.get(view.version)?.has(view.data) ?? false) continue;
    if (view.version < s.probeVersion) {
      violations.push({ property: 'stale-config', message: `${s.client} (session ${s.session}) probed ${CONFIG_PATH} at version ${s.probeVersion} but its watched config is still ${shown} at ${ms(s.atUs)}: a change notification was lost or the watch was not re-registered`, witness: s });
    } else if (view.version < maxOk) {
      if (s.syncOk && s.syncInvokeUs > lastAckUs) violations.push({ property: 'final-config', message: `${s.client} (session ${s.session}) holds ${shown} after a sync begun at ${ms(s.syncInvokeUs)}, after the write of version ${maxOk} was acknowledged at ${ms(lastAckUs)}`, witness: s });
      else undecided.push(`${s.client}'s audit sync ${s.syncOk ? 'began before the last write was acknowledged' : 'failed'}, so its ${shown} may predate version ${maxOk}`);
    } else {
      violations.push({ property: 'final-config', message: `${s.client} (session ${s.session}) holds ${shown}, which no write of that version produced`, witness: s });
    }
  }
  // Live readers that did not settle: disconnected (or slow) until the end.
  for (const client of audit.readers) {
    const sessions = Object.values(facts).filter((r) => r.client === client);
    const current = sessions[sessions.length - 1];
    if (current === undefined || current.endUs !== undefined || settledBySession.has(current.session)) continue;
    undecided.push(`${client} (session ${current.session}) is alive but did not finish its audit before the run ended`);
  }
  const note = last === undefined ? '' : `; last acknowledged version ${maxOk}${accepted.size > 1 ? `, or one of the indeterminate writes aiming at ${[...accepted.keys()].filter((v) => v > maxOk).join(', ')}` : ''}`;
  return checkResult('config-final', violations, undecided.length > 0 ? undecided.join('; ') + note : undefined);
}
