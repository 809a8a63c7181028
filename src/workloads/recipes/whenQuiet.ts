/**
 * When to start a recipe's final audit. Ops the workload queued before its stop can still go
 * out later (held while their client reconnects), and an audit that reads before they land
 * can only say "unknown" about what they touched. So the audit waits until every client whose
 * session is alive has nothing queued or in flight — but not longer than `maxWaitUs`, since a
 * client cut off until the end would otherwise hold it back for good.
 */
import type { ClientDriver } from '../driver/clientDriver.ts';

const POLL_US = 50_000;

/** Runs `action` once every live client of `clients` is idle, or after `maxWaitUs`. */
export function whenQuiet(d: ClientDriver, clients: readonly string[], maxWaitUs: number, action: () => void): void {
  const deadline = d.nowUs() + maxWaitUs;
  const poll = () => {
    if (d.nowUs() >= deadline || clients.every((c) => d.ended(c) || d.idle(c))) return action();
    d.after(POLL_US, poll);
  };
  poll();
}
