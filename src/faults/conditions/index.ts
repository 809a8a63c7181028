/** Compiles a trigger condition into a matcher. */
import type { EventCondition } from '../spec.ts';
import type { TargetWorld } from '../targets.ts';
import { opMatcher, phaseMatcher, protoMatcher, sessionMatcher } from './eventConditions.ts';
import type { EventMatcher } from './matcher.ts';
import { MessageMatcher } from './messageCondition.ts';

export type { EventMatcher } from './matcher.ts';

export function compileCondition(c: EventCondition, w: TargetWorld): EventMatcher {
  if ('sent' in c) return new MessageMatcher(c, w);
  if ('phase' in c) return phaseMatcher(c, w);
  if ('op' in c) return opMatcher(c, w);
  if ('session' in c) return sessionMatcher(c, w);
  return protoMatcher(c, w);
}

/** A one-line description of a condition, for reports. */
export function describeCondition(c: EventCondition): string {
  return JSON.stringify(c);
}
