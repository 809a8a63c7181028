/**
 * Transcript runner, in etcd-raft's data-driven style: a text file of commands and
 * expectations drives a ZAB ensemble on the kernel, and under each command stands what it made
 * happen (elections, sync modes, truncations, crashes and restarts), one `> ` line each. Every
 * other line is `command args…` (`#` starts a comment). The runner re-renders the file with
 * the outputs it saw ({@link TranscriptRun.rendered}); the test compares that with the file, and
 * UPDATE_GOLDEN=1 rewrites the file for review.
 *
 *   start 3 [observers 4] [mutations commit-after-one-ack]   ensemble n1..nN, all started
 *   run 500                      advance virtual time (ms)
 *   crash n2 | crash leader      crash (unsynced writes lost)
 *   restart n2 / wipe n2         restart from disk / crash and lose the disk
 *   partition n1 | n2 n3 / heal  network partition into groups / heal all
 *   clog n3 n1 / unclog n3 n1    hold / release the directed link
 *   connect c1 n1                client c1 opens a session at n1
 *   create c1 /a x [ephemeral] / set c1 /a y / get c1 /a / sync c1 /a
 *   expect leader n3 epoch 2     the newest established leader and its epoch
 *   expect sync n1 DIFF          the newest sync the leader chose for n1
 *   expect data n1 /a x | expect data n1 /a absent
 *   expect reply c1 ok | expect reply c1 lost | expect reply c1 err -101
 *   expect logged n2 0x200000001 the node's last logged zxid
 *   expect agree                 every running replica has the same database digest
 *   expect zab ok | expect zab committed-survive   the ZAB checker's verdict on the trace so far
 */
import { readFileSync } from 'node:fs';
import { databaseDigest } from '../../../src/engine/db/zkDatabase.ts';
import { OPEN_ACL } from '../../../src/engine/tree/acl.ts';
import type { ZabNode } from '../../../src/engine/zab/node/zabNode.ts';
import { formatZxid } from '../../../src/engine/zxid.ts';
import { checkZab } from '../../../src/checker/zab/index.ts';
import type { EngineMutation } from '../../../src/engine/zab/config.ts';
import { ZabEventLog } from '../../../src/run/systems/zabEventLog.ts';
import { bytes, startEnsemble, text } from './ensembleHarness.ts';

type Ensemble = ReturnType<typeof startEnsemble>;

export class TranscriptError extends Error {}

interface ClientState {
  connected: boolean;
  xid: number;
  lastXid: number;
  seen: number;
  outcome: string;
}

/** What a transcript produced: the whole log, and the file re-rendered with each command's output. */
export interface TranscriptRun {
  log: string[];
  rendered: string;
}

/** Output lines in a transcript file start with this; the runner reads past them. */
const OUTPUT = '> ';

export function runTranscript(file: string, seed = 1): TranscriptRun {
  const lines = readFileSync(file, 'utf8').split('\n');
  const log: string[] = [];
  const rendered: string[] = [];
  let e: Ensemble | undefined;
  let zab: ZabEventLog | undefined;
  const clients = new Map<string, ClientState>();
  let logged = 0;
  const fail = (n: number, msg: string): never => {
    throw new TranscriptError(`${file}:${n}: ${msg}`);
  };
  const node = (name: string, n: number): ZabNode => {
    const inst = e!.sim.host(resolve(name, n)).instance as ZabNode | undefined;
    if (inst === undefined) fail(n, `${name} is not running`);
    return inst!;
  };
  const resolve = (name: string, n: number): string => {
    if (name !== 'leader') return name;
    const l = e!.leader();
    if (l === undefined) fail(n, 'no leader yet');
    return l!;
  };
  const drainEvents = () => {
    for (const x of e!.events.slice(logged)) {
      const ev = x.ev;
      if (ev.ev === 'established') log.push(`${x.atMs}ms ${x.node} leads epoch ${String(ev.epoch)}`);
      else if (ev.ev === 'sync') log.push(`${x.atMs}ms ${x.node} syncs n${String(ev.sid)} by ${String(ev.mode)} (${String(ev.txns)} txns)`);
      else if (ev.ev === 'truncate') log.push(`${x.atMs}ms ${x.node} truncates to ${formatZxid(ev.zxid as number)}`);
    }
    logged = e!.events.length;
  };
  const updateClient = (name: string) => {
    const st = clients.get(name)!;
    const outs = e!.client(Number(name.slice(1))).outputs();
    for (const o of outs.slice(st.seen)) {
      if (o.t === 'reply' && o.xid === st.lastXid) st.outcome = o.err === 0 ? 'ok' : `err ${o.err}`;
      else if (o.t === 'connectResponse') {
        st.outcome = o.sessionId === 0 ? 'expired' : 'ok';
        st.connected = o.sessionId !== 0;
      } else if (o.t === 'disconnected' || o.t === 'closing' || o.t === 'connectFailed') {
        st.connected = false;
        if (st.outcome === 'pending') st.outcome = 'lost';
      }
    }
    st.seen = outs.length;
  };
  const request = (c: string, n: number, req: Parameters<ReturnType<Ensemble['client']>['send']>[0] & { do: 'request' } extends infer R ? R extends { request: infer Q } ? Q : never : never) => {
    const st = clients.get(c) ?? fail(n, `unknown client ${c}`);
    updateClient(c);
    st.xid++;
    st.lastXid = st.xid;
    // A request on a dead connection is never sent: the client library would report CONNECTIONLOSS.
    st.outcome = st.connected ? 'pending' : 'lost';
    e!.client(Number(c.slice(1))).send({ do: 'request', xid: st.xid, request: req });
  };
  lines.forEach((raw, i) => {
    const n = i + 1;
    if (raw.startsWith(OUTPUT)) return;
    rendered.push(raw);
    const before = log.length;
    try {
      command(raw, n);
    } finally {
      for (const line of log.slice(before)) rendered.push(`${OUTPUT}${line}`);
    }
  });
  while (rendered.length > 0 && rendered.at(-1) === '') rendered.pop();
  return { log, rendered: `${rendered.join('\n')}\n` };

  function command(raw: string, n: number): void {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return;
    const [cmd, ...a] = words;
    if (cmd !== 'start' && e === undefined) fail(n, 'the first command must be start');
    switch (cmd) {
      case 'start': {
        // `observers 4 5` and `mutations a,b`: the words after a keyword, up to the next keyword.
        const opt = (name: string): string[] => {
          const words: string[] = [];
          for (let k = a.indexOf(name) + 1; k > 0 && k < a.length && a[k] !== 'observers' && a[k] !== 'mutations'; k++) words.push(a[k]!);
          return words;
        };
        const mutations = opt('mutations').flatMap((m) => m.split(',')) as EngineMutation[];
        e = startEnsemble(seed, {
          servers: Number(a[0]), observers: opt('observers').map(Number), clients: 3, cfg: { mutations },
          beforeStart: (sim) => {
            zab = new ZabEventLog(sim, (node) => /^n\d+$/.test(node));
            sim.onOutput((_node, v) => {
              const o = v as { t?: string; err?: number; zxid?: number; result?: { type?: string } | null };
              if (o.t === 'reply' && o.err === 0 && ['create', 'setData', 'delete', 'multi'].includes(o.result?.type ?? '')) zab!.clientAck(o.zxid!);
            });
          },
        });
        return;
      }
      case 'run':
        e!.runMs(Number(a[0]));
        drainEvents();
        for (const c of clients.keys()) updateClient(c);
        return;
      case 'crash': {
        const id = resolve(a[0]!, n);
        e!.sim.host(id).crash();
        log.push(`${e!.sim.nowUs / 1000}ms crash ${id}`);
        return;
      }
      case 'wipe': {
        const id = resolve(a[0]!, n);
        if (e!.sim.host(id).isUp()) e!.sim.host(id).crash();
        e!.sim.host(id).loseDisk();
        log.push(`${e!.sim.nowUs / 1000}ms wipe ${id}`);
        return;
      }
      case 'restart':
        e!.sim.host(a[0]!).start();
        log.push(`${e!.sim.nowUs / 1000}ms restart ${a[0]}`);
        return;
      case 'partition': {
        const groups: string[][] = [[]];
        for (const w of a) if (w === '|') groups.push([]); else groups.at(-1)!.push(w);
        const named = new Set(groups.flat());
        // Clients stay with the first group.
        for (const c of ['c1', 'c2', 'c3']) if (!named.has(c)) groups[0]!.push(c);
        e!.sim.net.partition(groups);
        return;
      }
      case 'heal':
        e!.sim.net.heal();
        return;
      case 'clog':
        e!.sim.net.clog(resolve(a[0]!, n), resolve(a[1]!, n));
        return;
      case 'unclog':
        e!.sim.net.unclog(resolve(a[0]!, n), resolve(a[1]!, n));
        return;
      case 'connect': {
        clients.set(a[0]!, { connected: false, xid: 0, lastXid: -1, seen: e!.client(Number(a[0]!.slice(1))).outputs().length, outcome: 'pending' });
        e!.client(Number(a[0]!.slice(1))).send({ do: 'connect', server: Number(resolve(a[1]!, n).slice(1)) });
        return;
      }
      case 'create':
        return request(a[0]!, n, { op: 'create', path: a[1]!, data: bytes(a[2] ?? ''), acl: [...OPEN_ACL], flags: a[3] === 'ephemeral' ? 1 : 0 });
      case 'set':
        return request(a[0]!, n, { op: 'setData', path: a[1]!, data: bytes(a[2] ?? ''), version: -1 });
      case 'get':
        return request(a[0]!, n, { op: 'getData', path: a[1]!, watch: false });
      case 'sync':
        return request(a[0]!, n, { op: 'sync', path: a[1]! });
      case 'expect':
        return expectLine(a, n);
      default:
        fail(n, `unknown command ${cmd}`);
    }
  }

  function expectLine(a: string[], n: number): void {
    const [what, ...rest] = a;
    switch (what) {
      case 'leader': {
        const est = e!.of('established').at(-1);
        const got = est === undefined ? 'none' : `${est.node} epoch ${String(est.ev.epoch)}`;
        if (got !== rest.join(' ')) fail(n, `expected leader ${rest.join(' ')}, got ${got}`);
        return;
      }
      case 'sync': {
        const sid = Number(rest[0]!.slice(1));
        const s = e!.of('sync').filter((x) => x.ev.sid === sid).at(-1);
        const got = s === undefined ? 'none' : String(s.ev.mode);
        if (got !== rest[1]) fail(n, `expected ${rest[0]} synced by ${rest[1]}, got ${got}`);
        return;
      }
      case 'data': {
        const nodeObj = node(rest[0]!, n).replica.db.tree.getNode(rest[1]!);
        const got = nodeObj === undefined ? 'absent' : text(nodeObj.data) ?? '';
        if (got !== rest[2]) fail(n, `expected ${rest[1]} on ${rest[0]} to be ${rest[2]}, got ${got}`);
        return;
      }
      case 'reply': {
        updateClient(rest[0]!);
        const got = clients.get(rest[0]!)!.outcome;
        if (got !== rest.slice(1).join(' ')) fail(n, `expected ${rest[0]}'s last request to be ${rest.slice(1).join(' ')}, got ${got}`);
        return;
      }
      case 'logged': {
        const got = formatZxid(node(rest[0]!, n).lastLoggedZxid());
        if (got !== rest[1]) fail(n, `expected ${rest[0]} to have logged up to ${rest[1]}, got ${got}`);
        return;
      }
      case 'zab': {
        const props = [...new Set(checkZab(zab!.events).violations.map((v) => v.property))].sort();
        const got = props.length === 0 ? 'ok' : props.join(' ');
        if (got !== rest.join(' ')) fail(n, `expected the ZAB checker to say ${rest.join(' ')}, got ${got}`);
        return;
      }
      case 'agree': {
        const ups = e!.sim.allHosts().filter((h) => h.id.startsWith('n') && h.isUp());
        const digests = ups.map((h) => `${h.id}:${databaseDigest((h.instance as ZabNode).replica.db)}`);
        if (new Set(digests.map((d) => d.split(':')[1])).size !== 1) fail(n, `replicas disagree: ${digests.join(' ')}`);
        return;
      }
      default:
        fail(n, `unknown expectation ${what}`);
    }
  }
}
