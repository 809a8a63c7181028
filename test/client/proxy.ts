/**
 * A TCP proxy process for client tests: every connection it accepts is forwarded to one target
 * server over a connection of its own. Several proxies in front of one standalone server look,
 * to a client, like several servers sharing sessions — enough to test moving between servers
 * with session re-attach. Crashing a proxy resets its clients' connections.
 */
import { CLIENT_CONN_TAG } from '../../src/engine/server/clientWire.ts';
import type { Effect, ProcessInput, SimProcess } from '../../src/sim/host/process.ts';

export class TcpProxy implements SimProcess {
  private readonly partner = new Map<number, number>();
  private readonly buffered = new Map<number, unknown[]>();

  constructor(private readonly target: string) {}

  step(input: ProcessInput): readonly Effect[] {
    switch (input.kind) {
      case 'accepted':
        this.buffered.set(input.conn, []);
        return [{ kind: 'connect', to: this.target, tag: `${CLIENT_CONN_TAG}:${input.conn}` }];
      case 'connected': {
        const down = Number(input.tag.slice(CLIENT_CONN_TAG.length + 1));
        const queue = this.buffered.get(down);
        if (queue === undefined) return [{ kind: 'close', conn: input.conn }];
        this.buffered.delete(down);
        this.partner.set(down, input.conn).set(input.conn, down);
        return queue.map((msg) => ({ kind: 'send', conn: input.conn, msg }));
      }
      case 'connectFailed': {
        const down = Number(input.tag.slice(CLIENT_CONN_TAG.length + 1));
        this.buffered.delete(down);
        return [{ kind: 'close', conn: down }];
      }
      case 'message': {
        const other = this.partner.get(input.conn);
        if (other !== undefined) return [{ kind: 'send', conn: other, msg: input.msg }];
        this.buffered.get(input.conn)?.push(input.msg);
        return [];
      }
      case 'disconnected': {
        this.buffered.delete(input.conn);
        const other = this.partner.get(input.conn);
        if (other === undefined) return [];
        this.partner.delete(input.conn);
        this.partner.delete(other);
        return [{ kind: 'close', conn: other }];
      }
      default:
        return [];
    }
  }
}
