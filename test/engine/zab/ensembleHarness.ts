/**
 * A ZAB ensemble on the kernel plus raw scripted clients that speak the client wire protocol
 * directly (no retries, no reconnects), so tests see exactly what servers answer.
 */
import { Simulation } from '../../../src/sim/simulation.ts';
import type { Effect, ProcessInput, SimProcess } from '../../../src/sim/host/process.ts';
import { ZabNode } from '../../../src/engine/zab/node/zabNode.ts';
import { DEFAULT_ENSEMBLE, type EnsembleConfig } from '../../../src/engine/zab/config.ts';
import { CLIENT_CONN_TAG, type ClientToServer, type ServerToClient } from '../../../src/engine/server/clientWire.ts';
import type { ClientRequest } from '../../../src/engine/request/types.ts';

export type ClientCommand =
  | { do: 'connect'; server: number; timeoutMs?: number; sessionId?: number; passwd?: Uint8Array; lastZxidSeen?: number }
  | { do: 'request'; xid: number; request: ClientRequest }
  | { do: 'ping' }
  | { do: 'close' };

export type ClientOutput = ServerToClient | { t: 'disconnected' } | { t: 'connectFailed' };

/** A client that does only what it is told and reports everything it receives. */
class RawClient implements SimProcess {
  private conn: number | undefined;
  private hello: ClientToServer | undefined;
  step(input: ProcessInput): readonly Effect[] {
    const out: Effect[] = [];
    if (input.kind === 'command') {
      const c = input.command as ClientCommand;
      if (c.do === 'connect') {
        if (this.conn !== undefined) out.push({ kind: 'close', conn: this.conn });
        this.conn = undefined;
        this.hello = { t: 'connect', request: { timeoutMs: c.timeoutMs ?? 10_000, sessionId: c.sessionId, passwd: c.passwd, lastZxidSeen: c.lastZxidSeen } };
        out.push({ kind: 'connect', to: `n${c.server}`, tag: CLIENT_CONN_TAG });
      } else if (c.do === 'close') {
        if (this.conn !== undefined) out.push({ kind: 'close', conn: this.conn });
        this.conn = undefined;
      } else if (this.conn !== undefined) {
        const msg: ClientToServer = c.do === 'ping' ? { t: 'ping' } : { t: 'request', xid: c.xid, request: c.request };
        out.push({ kind: 'send', conn: this.conn, msg });
      }
    } else if (input.kind === 'connected') {
      this.conn = input.conn;
      out.push({ kind: 'send', conn: input.conn, msg: this.hello });
    } else if (input.kind === 'connectFailed') {
      out.push({ kind: 'output', value: { t: 'connectFailed' } });
    } else if (input.kind === 'message' && input.conn === this.conn) {
      out.push({ kind: 'output', value: input.msg });
    } else if (input.kind === 'disconnected' && input.conn === this.conn) {
      this.conn = undefined;
      out.push({ kind: 'output', value: { t: 'disconnected' } });
    }
    return out;
  }
}

export interface ProtoEvent {
  atMs: number;
  node: string;
  ev: Record<string, unknown>;
}

export function startEnsemble(seed: number, opts: { servers?: number; observers?: number[]; clients?: number; cfg?: Partial<EnsembleConfig>; beforeStart?: (sim: Simulation) => void } = {}) {
  const n = opts.servers ?? 3;
  const cfg: EnsembleConfig = {
    ...DEFAULT_ENSEMBLE,
    ...opts.cfg,
    servers: Array.from({ length: n }, (_, i) => ({ sid: i + 1, role: opts.observers?.includes(i + 1) ? 'observer' : 'participant' })),
  };
  const sim = new Simulation({ seed });
  const events: ProtoEvent[] = [];
  sim.trace.listen((t, kind, node, data) => {
    if (kind === 'proto') events.push({ atMs: t / 1000, node, ev: data as Record<string, unknown> });
  });
  const outputs = new Map<string, ClientOutput[]>();
  sim.onOutput((node, value) => {
    const list = outputs.get(node) ?? [];
    list.push(value as ClientOutput);
    outputs.set(node, list);
  });
  for (const s of cfg.servers) sim.addProcess(`n${s.sid}`, () => new ZabNode(s.sid, cfg));
  for (let c = 1; c <= (opts.clients ?? 1); c++) sim.addProcess(`c${c}`, () => new RawClient());
  opts.beforeStart?.(sim);
  for (const s of cfg.servers) sim.host(`n${s.sid}`).start();
  for (let c = 1; c <= (opts.clients ?? 1); c++) sim.host(`c${c}`).start();
  const of = (ev: string) => events.filter((e) => e.ev.ev === ev);
  const leader = (): string | undefined => {
    const est = of('established').at(-1);
    return est?.node;
  };
  const client = (id: number) => ({
    send: (cmd: ClientCommand) => sim.host(`c${id}`).command(cmd),
    outputs: () => outputs.get(`c${id}`) ?? [],
    replies: () => (outputs.get(`c${id}`) ?? []).filter((o): o is Extract<ClientOutput, { t: 'reply' }> => o.t === 'reply'),
    session: () => {
      const r = (outputs.get(`c${id}`) ?? []).filter((o): o is Extract<ClientOutput, { t: 'connectResponse' }> => o.t === 'connectResponse').at(-1);
      return r;
    },
  });
  const runMs = (ms: number) => sim.runFor(ms * 1000);
  return { sim, cfg, events, of, leader, client, runMs };
}

export const bytes = (s: string) => new TextEncoder().encode(s);
export const text = (b: Uint8Array | null | undefined) => (b == null ? null : new TextDecoder().decode(b));
