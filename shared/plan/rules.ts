import type { Action, ListenerRuleSpec, MemberRef, Ref, RuleCondition } from '../model/stack.js';
import { carriesClientSecret, ruleContent } from './rules-equality.js';
import type { ActualRule, TagMap } from './stack-actual.js';
import type { Change } from './stack-changes.js';

/**
 * Listener rules synced create-before-delete, as the LBC's synthesizer does since it stopped
 * causing 404s (lbc-rules-algorithm.md §8.5), for one listener:
 *
 *   1. match desired rules to existing ones by content (conditions + actions), in desired order;
 *   2. match what is left by priority: those are modified in place (one atomic ModifyRule);
 *   3. one SetRulePriorities call moves content-matched rules to their new priority and pushes
 *      the stale rules to the bottom (50000, 49999, ... keeping their order), so every priority a
 *      new rule needs is free and no PriorityInUse can happen;
 *   4. ModifyRule for the pairs of step 2; CreateRule for new rules; DeleteRule for stale ones
 *      last. A path served before and after is answered by some forward rule at every step.
 *
 * At the rule quota, a stale rule is deleted just before the create that would exceed it.
 */
export interface DesiredRule {
  id: string;
  spec: ListenerRuleSpec;
  source?: MemberRef;
}

export interface RuleSyncInput {
  /** the listener's ARN, or the Ref of one this plan creates (then there are no actual rules) */
  listenerArn: string | Ref;
  /** final order; spec.priority is the final priority (dense 1..N) */
  desired: readonly DesiredRule[];
  actual: readonly ActualRule[];
  /** rules the load balancer may still take before its quota (shared across its listeners) */
  room: { left: number };
  /**
   * Re-send the OIDC client secret of rules whose content is otherwise unchanged. ELBv2 never
   * returns the secret, so a rotated Secret cannot be seen; the LBC re-sends it on every
   * reconcile (its desired actions never equal what Describe returns). Off for dry runs.
   */
  resendClientSecrets?: boolean;
}

export const BOTTOM_PRIORITY = 50_000;

export interface RuleMatch {
  /** desired index -> actual rule matched by content */
  byContent: Map<number, ActualRule>;
  /** desired index -> actual rule at the same priority, content differs */
  byPriority: Map<number, ActualRule>;
  stale: ActualRule[];
}

export function matchRules(
  desired: readonly { spec: { priority: number; actions: Action[]; conditions: RuleCondition[] } }[],
  actual: readonly ActualRule[],
): RuleMatch {
  const byContent = new Map<number, ActualRule>();
  const pool = new Map<string, ActualRule[]>();
  for (const rule of [...actual].sort((a, b) => a.priority - b.priority)) {
    const key = ruleContent(rule);
    const list = pool.get(key);
    if (list) list.push(rule);
    else pool.set(key, [rule]);
  }
  desired.forEach((rule, index) => {
    const list = pool.get(ruleContent(rule.spec));
    const found = list?.shift();
    if (found) byContent.set(index, found);
  });
  const used = new Set([...byContent.values()].map((rule) => rule.arn));
  const freeByPriority = new Map(
    actual.filter((rule) => !used.has(rule.arn)).map((rule) => [rule.priority, rule]),
  );
  const byPriority = new Map<number, ActualRule>();
  desired.forEach((rule, index) => {
    if (byContent.has(index)) return;
    const found = freeByPriority.get(rule.spec.priority);
    if (found) {
      byPriority.set(index, found);
      freeByPriority.delete(rule.spec.priority);
    }
  });
  const matched = new Set([...used, ...[...byPriority.values()].map((rule) => rule.arn)]);
  const stale = actual.filter((rule) => !matched.has(rule.arn)).sort((a, b) => a.priority - b.priority);
  return { byContent, byPriority, stale };
}

function missingTags(want: TagMap, have: TagMap): TagMap | undefined {
  const out: TagMap = {};
  let any = false;
  for (const [key, value] of Object.entries(want)) {
    if (have[key] !== value) {
      out[key] = value;
      any = true;
    }
  }
  return any ? out : undefined;
}

export function planRules(input: RuleSyncInput): Change[] {
  const { desired, actual, listenerArn, room } = input;
  const match = matchRules(desired, actual);
  const changes: Change[] = [];

  const moves: { ruleArn: string; priority: number }[] = [];
  desired.forEach((rule, index) => {
    const found = match.byContent.get(index);
    if (found && found.priority !== rule.spec.priority)
      moves.push({ ruleArn: found.arn, priority: rule.spec.priority });
  });
  if (moves.length > 0) {
    // the stale rules go to the bottom in the same call, so no move lands on an occupied priority
    let bottom = BOTTOM_PRIORITY - match.stale.length + 1;
    const parked = match.stale
      .map((rule) => ({ ruleArn: rule.arn, priority: bottom++ }))
      .filter((move, index) => match.stale[index]?.priority !== move.priority);
    changes.push({
      op: 'setRulePriorities',
      listenerArn: String(listenerArn),
      priorities: [...moves, ...parked],
    });
  }

  desired.forEach((rule, index) => {
    const resend = input.resendClientSecrets === true && carriesClientSecret(rule.spec.actions);
    const found = match.byPriority.get(index) ?? (resend ? match.byContent.get(index) : undefined);
    if (!found) return;
    changes.push({
      op: 'modifyRule',
      id: rule.id,
      arn: found.arn,
      actions: rule.spec.actions,
      conditions: rule.spec.conditions,
      ...(rule.source ? { source: rule.source } : {}),
    });
  });

  desired.forEach((rule, index) => {
    const found = match.byContent.get(index) ?? match.byPriority.get(index);
    if (!found) return;
    const tags = missingTags(rule.spec.tags, found.tags);
    if (tags) changes.push({ op: 'addTags', arn: found.arn, tags });
  });

  const stale = [...match.stale];
  desired.forEach((rule, index) => {
    if (match.byContent.has(index) || match.byPriority.has(index)) return;
    if (room.left <= 0) {
      const freed = stale.shift();
      if (freed) {
        changes.push({ op: 'deleteRule', arn: freed.arn, priority: freed.priority });
        room.left += 1;
      }
    }
    changes.push({
      op: 'createRule',
      id: rule.id,
      listenerArn,
      spec: rule.spec,
      ...(rule.source ? { source: rule.source } : {}),
    });
    room.left -= 1;
  });
  for (const rule of stale) {
    changes.push({ op: 'deleteRule', arn: rule.arn, priority: rule.priority });
    room.left += 1;
  }
  return changes;
}
