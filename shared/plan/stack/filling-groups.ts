import type { Action, Ref } from '../../model/stack.js';
import { isRef } from '../../model/stack.js';
import type { ActualTargetGroup } from '../stack-actual.js';

/** A replacement under way: the old group still takes the traffic, the new one is health-checked. */
export interface Hold {
  serving: string;
  filling: string | Ref;
}

/** target group Ref path -> the hold on it */
export type Holds = ReadonlyMap<string, Hold>;

/**
 * Forwards to a replaced group go to the old group (its weight) and to the new one at weight 0:
 * the load balancer then health-checks the new group's targets (a group no rule uses reports
 * them `unused`, never healthy) while none of the traffic reaches it yet.
 */
export function withFillingGroups(actions: Action[], holds: Holds): Action[] {
  if (holds.size === 0) return actions;
  return actions.map((action) => {
    if (action.type !== 'forward') return action;
    const targetGroups = action.forwardConfig.targetGroups.flatMap((tuple) => {
      const hold = isRef(tuple.targetGroupARN) ? holds.get(tuple.targetGroupARN.$ref) : undefined;
      if (!hold) return [tuple];
      return [
        { ...tuple, targetGroupARN: hold.serving, weight: tuple.weight ?? 1 },
        { targetGroupARN: hold.filling, weight: 0 },
      ];
    });
    return { ...action, forwardConfig: { ...action.forwardConfig, targetGroups } };
  });
}

/**
 * The old target group that keeps serving while its replacement fills: the new group is created,
 * bound and health-checked at weight 0 in the pass that creates it, and the rules move in a later
 * pass, once it reports a healthy target. Moving at once would forward to a group whose targets
 * are not registered or not yet healthy (503).
 * Health is read only while two groups share a model ID, so an unknown count means: the new
 * group is ready (no replacement under way), the old one is serving (the pass creating its
 * replacement). No wait when the old group has no healthy target either: there is nothing to lose.
 */
export function holdFor(
  found: ActualTargetGroup | undefined,
  candidates: readonly ActualTargetGroup[],
): ActualTargetGroup | undefined {
  if (found && (found.healthyTargets === undefined || found.healthyTargets > 0)) return undefined;
  return candidates.find(
    (group) => group !== found && (group.healthyTargets === undefined || group.healthyTargets > 0),
  );
}
