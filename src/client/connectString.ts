/**
 * The connect string and the order in which a client tries servers, after ZooKeeper's
 * `StaticHostProvider`: the server list is shuffled once when the client starts (ZooKeeper
 * seeds that shuffle from the clock; we draw it from the client's seeded choice stream) and
 * then walked round-robin, one server per connection attempt. When the walk comes back to the
 * server of the last successful connection, the client has tried every server since, and the
 * caller waits `spinDelay` before trying again.
 */
import type { ChoiceStream } from '../sim/rng/choices.ts';

/** Parses `"n1,n2,n3"` (ZooKeeper's `host:port,...` with process ids as hosts) or a list. */
export function parseConnectString(servers: string | readonly string[]): string[] {
  const list = typeof servers === 'string' ? servers.split(',') : [...servers];
  const ids = list.map((s) => s.trim()).filter((s) => s.length > 0);
  if (ids.length === 0) throw new RangeError(`connect string names no server: ${JSON.stringify(servers)}`);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new RangeError(`connect string names ${dup} twice`);
  return ids;
}

/** The round-robin over a shuffled server list. */
export class HostProvider {
  private readonly order: string[];
  private current = -1;
  /** Index of the server of the last successful connection (−1 before the first attempt). */
  private lastConnected = -1;

  constructor(servers: readonly string[], rng: ChoiceStream) {
    this.order = rng.shuffle(servers);
  }

  /** How many servers the client knows. */
  get size(): number {
    return this.order.length;
  }

  /** The shuffled order (for tests and the client's state output). */
  get servers(): readonly string[] {
    return this.order;
  }

  /**
   * The next server to try, and whether the caller should first wait its spin delay: true
   * when this server is the one it last connected to, so every other server failed since.
   */
  next(): { server: string; spin: boolean } {
    this.current = (this.current + 1) % this.order.length;
    const spin = this.current === this.lastConnected;
    // As StaticHostProvider: the very first attempt counts as "last connected" to server 0, so
    // a client that never got in also pauses after each full round.
    if (this.lastConnected === -1) this.lastConnected = 0;
    return { server: this.order[this.current]!, spin };
  }

  /** Records that the current server accepted the session. */
  onConnected(): void {
    this.lastConnected = this.current;
  }
}
