/**
 * What a ZooKeeper scenario's fault plan must satisfy beyond its schema, checked against the
 * cluster it runs on: every target names a role, a server, a client or a group; event filters
 * use only names that need no random draw; `after:` points at an earlier-named fault; a trigger
 * waits for a message type or protocol event that exists; and explicit server lists ask for nothing the cluster
 * cannot give (a server named twice in a partition, more crashed servers than keepQuorum allows).
 */
import { ZAB_PROTO_EVENTS } from '../engine/zab/protoEvent.ts';
import { FILTER_TARGETS, ROLE_TARGETS, targetNames, type TargetSpec } from '../faults/spec.ts';
import { didYouMean } from './closestMatch.ts';
import type { FaultsInput, PlanProblem } from './faultSchema.ts';
import { faultName } from './faultSchema.ts';

/** Message types a `sent:` / `before:` condition can name: ZAB packets, election, client wire. */
export const MESSAGE_TYPES: readonly string[] = [
  'ACK', 'ACKEPOCH', 'COMMIT', 'DIFF', 'FOLLOWERINFO', 'INFORM', 'LEADERINFO', 'NEWLEADER', 'PING', 'PROPOSAL',
  'REQUEST', 'REVALIDATE', 'REVALIDATE_REPLY', 'SNAP', 'SYNC', 'TRUNC', 'UPTODATE',
  'notification', 'hello',
  'connect', 'connectResponse', 'request', 'reply', 'event', 'ping', 'pong', 'closing',
];

interface ScenarioView {
  groups: Record<string, string[]>;
  keepQuorum: boolean;
  cluster: { observers: string[] };
  faults: FaultsInput;
}

/** Problems with targets, names and message types, in plan order. */
export function targetProblems(s: ScenarioView, servers: readonly string[], clients: readonly string[]): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const groups = Object.keys(s.groups);
  const known = (n: string) => (ROLE_TARGETS as readonly string[]).includes(n) || servers.includes(n) || clients.includes(n) || groups.includes(n);
  const describe = () => `a role (${ROLE_TARGETS.join(', ')}), a server (n1..n${servers.length}), a client (c1..c${clients.length}) or a group${groups.length ? ` (${groups.join(', ')})` : ''}`;
  const checkTarget = (t: TargetSpec | undefined, path: (string | number)[], filter: boolean) => {
    if (t === undefined) return;
    for (const n of targetNames(t)) {
      if (!known(n)) problems.push({ path, message: `unknown target "${n}": expected ${describe()}${didYouMean(n, [...ROLE_TARGETS, ...servers, ...clients, ...groups])}` });
      else if (filter && (ROLE_TARGETS as readonly string[]).includes(n) && !FILTER_TARGETS.includes(n as never)) {
        problems.push({ path, message: `"${n}" is drawn at random, so it cannot filter events; use one of ${FILTER_TARGETS.join(', ')}, an id or a group` });
      }
    }
  };
  const checkType = (t: string, path: (string | number)[]) => {
    if (!MESSAGE_TYPES.includes(t)) problems.push({ path, message: `unknown message type "${t}": expected one of ${MESSAGE_TYPES.join(', ')}${didYouMean(t, MESSAGE_TYPES)}` });
  };

  const participants = servers.filter((id) => !s.cluster.observers.includes(id));
  const spare = participants.length - (Math.floor(participants.length / 2) + 1);
  const names = s.faults.map(faultName);
  s.faults.forEach((e, i) => {
    if (names.indexOf(names[i]!) !== i) problems.push({ path: [i, 'name'], message: `fault name "${names[i]}" is used twice` });
    if ('swarm' in e) return;
    if (e.after !== undefined && (!names.includes(e.after) || e.after === names[i])) {
      problems.push({ path: [i, 'after'], message: `"${e.after}" is not the name of another fault (names: ${names.join(', ')})` });
    }
    if (e.do === 'partition') {
      e.groups.forEach((g, k) => checkTarget(g, [i, 'groups', k], false));
      const ids = e.groups.flatMap((g) => targetNames(g)).filter((n) => servers.includes(n));
      const twice = ids.find((n, k) => ids.indexOf(n) !== k);
      if (twice !== undefined) problems.push({ path: [i, 'groups'], message: `server ${twice} is in two partition groups` });
    } else if ('from' in e) {
      checkTarget(e.from, [i, 'from'], false);
      checkTarget(e.to, [i, 'to'], false);
    }
    if ('target' in e) {
      checkTarget(e.target, [i, 'target'], false);
      const ids = targetNames(e.target).filter((n) => participants.includes(n));
      if (s.keepQuorum && (e.do === 'crash' || e.do === 'crash-restart' || e.do === 'pause' || e.do === 'disk-loss') && ids.length > spare) {
        problems.push({ path: [i, 'target'], message: `${e.do} of ${ids.length} participants leaves no quorum of ${participants.length} (keepQuorum allows at most ${spare})` });
      }
    }
    const c = e.when;
    if (c === undefined) return;
    const at = [i, 'when'];
    if ('sent' in c) {
      checkType(c.sent, [...at, 'sent']);
      for (const b of c.before === undefined ? [] : typeof c.before === 'string' ? [c.before] : c.before) checkType(b, [...at, 'before']);
      checkTarget(c.from, [...at, 'from'], true);
      checkTarget(c.to, [...at, 'to'], true);
    } else if ('phase' in c) {
      checkTarget(c.node, [...at, 'node'], true);
      checkTarget(c.peer, [...at, 'peer'], true);
    } else if ('op' in c || 'session' in c) {
      checkTarget(c.client, [...at, 'client'], true);
    } else {
      // A raw protocol trigger names one of the engine's events (its ZabProtoEvent union).
      if (!ZAB_PROTO_EVENTS.includes(c.proto as never)) {
        problems.push({ path: [...at, 'proto'], message: `unknown protocol event "${c.proto}": expected one of ${ZAB_PROTO_EVENTS.join(', ')}${didYouMean(c.proto, ZAB_PROTO_EVENTS)}` });
      }
      checkTarget(c.node, [...at, 'node'], true);
    }
  });
  return problems;
}
