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
   * Applies one effect inside the boundary, then runs what it queued. A host passes its (bound,
   * long-lived) apply function and the effect rather than a fresh closure per effect: this runs
   * for every effect of every step, and those closures were a steady source of garbage.
   */
  apply(applyEffect: () => void): void;
  apply<A>(applyEffect: (arg: A) => void, arg: A): void;
  apply<A>(applyEffect: (arg?: A) => void, arg?: A): void {
    this.depth++;
    try {
      applyEffect(arg);
    } finally {
      this.depth--;
    }
    if (this.depth === 0) while (this.queue.length > 0) this.queue.shift()!();
  }
}
