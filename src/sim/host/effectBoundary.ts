/**
 * "Right after the current effect": a fault triggered by an event a process causes (the send of
 * a PROPOSAL, a protocol phase it reports) must act after that effect has taken place — the
 * message is on the wire, the phase entered — and before the process's next effect. So while a
 * host applies an effect, actions are queued and run when it is done; anywhere else they run at
 * once. This is what lets "crash the leader as its first PROPOSAL copy leaves" hit the window in
 * which exactly one follower can receive it.
 */
export class EffectBoundary {
  private depth = 0;
  private readonly queue: (() => void)[] = [];

  /** Runs `action` now, or right after the effect being applied. */
  run(action: () => void): void {
    if (this.depth === 0) action();
    else this.queue.push(action);
  }

  /**
   * Applying one effect inside the boundary takes three calls, `enter(); try { apply } finally
   * { leave(); } flush();`, rather than one method taking a function: the host's per-effect loop
   * (every effect of every step) then calls its own apply directly, with no function in between.
   */
  enter(): void {
    this.depth++;
  }

  leave(): void {
    this.depth--;
  }

  /** Outside every effect, runs what was queued. */
  flush(): void {
    if (this.depth === 0) while (this.queue.length > 0) this.queue.shift()!();
  }
}
