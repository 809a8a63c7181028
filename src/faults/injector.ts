/**
 * The fault injector: installs a fault plan on a simulation and fires each fault when its
 * trigger says — at a virtual time, after another fault, periodically, or inside the protocol
 * event a `when` condition waits for. Targets are resolved at the moment of firing through a
 * role view read off the trace. Every firing, skip and undo is recorded in the trace (`fault`
 * events) and as a {@link FaultRecord}; a fault whose trigger never fired is reported as such.
 *
 * Listener order matters: the role view is attached before any matcher, so a condition such as
 * `from: leader` sees the roles as of the event it is looking at.
 */
import type { Simulation } from '../sim/simulation.ts';
import type { TraceKind } from '../sim/trace/traceEvent.ts';
import { AFTER_EVENT_KINDS, applyAction } from './actions/index.ts';
import { compileCondition, describeCondition, type EventMatcher } from './conditions/index.ts';
import type { FaultRecord } from './record.ts';
import { TraceRoleView } from './roleView.ts';
import { actionTargets, isSwarm, type FaultPlanEntry, type FaultSpec, type Trigger } from './spec.ts';
import { planSwarm } from './swarm.ts';
import type { TargetMemory } from './targets.ts';
import type { Applied, FaultWorld } from './world.ts';

export interface InjectorOptions {
  plan: readonly FaultPlanEntry[];
  /** Every server id, participants and observers. */
  servers: readonly string[];
  observers?: readonly string[];
  clients?: readonly string[];
  /** Named node groups from the scenario, usable as targets. */
  groups?: ReadonlyMap<string, readonly string[]>;
  /** Skip faults that would leave no quorum of participants running and connected. */
  keepQuorum?: boolean;
}

interface Armed {
  spec: FaultSpec;
  mem: TargetMemory;
  firings: number;
  /** Events the `when` condition matched (fired or not). */
  matches: number;
}

const usToMs = (us: number) => Math.round(us) / 1000;

export class FaultInjector {
  readonly roles: TraceRoleView;
  /** The concrete plan, swarms expanded (drawn once, at install). */
  readonly faults: readonly FaultSpec[];
  private readonly armed: Armed[];
  private readonly world: FaultWorld;
  private readonly log: FaultRecord[] = [];
  private readonly dependents = new Map<string, Armed[]>();

  constructor(
    private readonly sim: Simulation,
    opts: InjectorOptions,
  ) {
    this.roles = new TraceRoleView(opts.servers, opts.observers ?? []);
    this.roles.attach(sim.trace);
    const clients = opts.clients ?? [];
    this.world = {
      sim,
      roles: this.roles,
      stream: sim.choices.stream('faults'),
      groups: opts.groups ?? new Map(),
      clients: () => clients,
      isUp: (id) => sim.host(id).isUp(),
      isPaused: (id) => sim.host(id).paused,
      keepQuorum: opts.keepQuorum ?? false,
    };
    // Swarms draw their whole plan up front, on their own stream, so target draws never shift it.
    const swarmStream = sim.choices.stream('faults/swarm');
    this.faults = opts.plan.flatMap((e) => (isSwarm(e) ? planSwarm(e, swarmStream) : [e]));
    this.armed = this.faults.map((spec) => ({ spec, mem: { roundRobin: 0 }, firings: 0, matches: 0 }));
    for (const a of this.armed) this.install(a);
  }

  private install(a: Armed): void {
    const t = a.spec.trigger;
    switch (t.type) {
      case 'at':
        this.sim.at(t.atUs, () => this.fire(a, undefined));
        return;
      case 'after': {
        const list = this.dependents.get(t.fault) ?? [];
        list.push(a);
        this.dependents.set(t.fault, list);
        return;
      }
      case 'every': {
        const tick = (atUs: number) => {
          if (t.untilUs !== undefined && atUs >= t.untilUs) return;
          if (t.times !== undefined && a.firings >= t.times) return;
          this.fire(a, undefined);
          this.sim.at(atUs + t.periodUs, () => tick(atUs + t.periodUs));
        };
        this.sim.at(t.startUs, () => tick(t.startUs));
        return;
      }
      case 'when':
        this.listen(a, t, compileCondition(t.condition, this.world));
        return;
    }
  }

  private listen(a: Armed, t: Extract<Trigger, { type: 'when' }>, matcher: EventMatcher): void {
    const kinds = new Set<TraceKind>(matcher.kinds);
    this.sim.trace.listen((timeUs, kind, node, data) => {
      if (!kinds.has(kind)) return;
      // The matcher sees every event (it keeps per-message state), armed or not.
      const cause = matcher.observe(kind, node, data);
      if (cause === undefined || timeUs < t.startUs || (t.untilUs !== undefined && timeUs >= t.untilUs)) return;
      a.matches++;
      if (a.matches < t.nth || a.firings >= t.times) return;
      if (t.delayUs > 0) this.sim.at(timeUs + t.delayUs, () => this.fire(a, cause));
      else if (AFTER_EVENT_KINDS.has(a.spec.action.kind)) this.sim.at(timeUs, () => this.fire(a, cause));
      else this.sim.boundary.run(() => this.fire(a, cause));
    });
  }

  private fire(a: Armed, cause: string | undefined): void {
    const spec = a.spec;
    a.firings++;
    const phase = this.roles.phase();
    const applied: Applied = applyAction(this.world, spec.action, a.mem);
    const rec: FaultRecord = {
      name: spec.name,
      kind: spec.action.kind,
      ...targetOf(spec),
      fired: true,
      resolvedTo: applied.resolvedTo,
      atMs: usToMs(this.sim.nowUs),
      phase,
      ...(cause !== undefined ? { cause } : {}),
      ...(applied.skipped !== undefined ? { skipped: applied.skipped } : {}),
      ...(applied.detail !== undefined ? { detail: applied.detail } : {}),
    };
    this.log.push(rec);
    this.sim.trace.record('fault', '', [spec.action.kind, { name: spec.name, resolvedTo: applied.resolvedTo, phase, cause: cause ?? null, skipped: applied.skipped ?? null }]);
    if (applied.revert !== undefined && spec.durationUs !== undefined) {
      const revert = applied.revert;
      this.sim.at(this.sim.nowUs + spec.durationUs, () => {
        revert();
        rec.endMs = usToMs(this.sim.nowUs);
        this.sim.trace.record('fault', '', ['end', { name: spec.name, of: spec.action.kind }]);
      });
    }
    for (const dep of this.dependents.get(spec.name) ?? []) {
      const t = dep.spec.trigger as Extract<Trigger, { type: 'after' }>;
      this.sim.at(this.sim.nowUs + t.delayUs, () => this.fire(dep, `${t.delayUs / 1000} ms after ${spec.name}`));
    }
  }

  /** Every firing so far, then one record per fault that never fired, with the reason. */
  records(): FaultRecord[] {
    const never: FaultRecord[] = this.armed
      .filter((a) => a.firings === 0)
      .map((a) => ({ name: a.spec.name, kind: a.spec.action.kind, ...targetOf(a.spec), fired: false, resolvedTo: [], reason: neverReason(a) }));
    return [...this.log, ...never];
  }
}

function targetOf(spec: FaultSpec): Pick<FaultRecord, 'target'> {
  const targets = actionTargets(spec.action);
  if (targets.length === 0) return {};
  return { target: targets.length === 1 ? targets[0]! : targets.flatMap((t) => (typeof t === 'string' ? [t] : t)) };
}

function neverReason(a: Armed): string {
  const t = a.spec.trigger;
  switch (t.type) {
    case 'at':
      return `the run ended before ${usToMs(t.atUs)} ms`;
    case 'every':
      return `the run ended before ${usToMs(t.startUs)} ms`;
    case 'after':
      return `fault "${t.fault}" never fired`;
    case 'when':
      return a.matches === 0
        ? `no event matched ${describeCondition(t.condition)}`
        : `only ${a.matches} event(s) matched ${describeCondition(t.condition)}; it waits for the ${ordinal(t.nth)}`;
  }
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}
