import type { Ref } from '../../model/stack.js';
import { TAG_KEYS } from '../../model/tags.js';
import { type DesiredRule, matchRules } from '../rules.js';
import type { ActualRule } from '../stack-actual.js';

/**
 * Rules of members in error keep their place: a member whose model failed must not lose the
 * routes it had, nor the listener and target groups they use.
 */
export interface WithKeptRules {
  /** the model's rules with the kept ones in place, priorities dense from 1 */
  rules: DesiredRule[];
  /** ARNs of the actual rules kept */
  kept: string[];
}

/**
 * The model's rules plus the actual rules of members in error, each kept after the model rule
 * it followed before (the last content-matched rule above it), so the group order holds.
 * Rules slbc never tagged with a member (adopted from the LBC) are kept too while any member
 * is in error: their owner cannot be told, and deleting a working route is the worse mistake.
 */
export function withKeptRules(
  modelRules: DesiredRule[],
  actualRules: readonly ActualRule[],
  errorMembers: ReadonlySet<string>,
  listenerRef: Ref,
): WithKeptRules {
  if (errorMembers.size === 0 || actualRules.length === 0) return { rules: modelRules, kept: [] };
  const untaggedCandidates = actualRules.filter((rule) => rule.tags[TAG_KEYS.member] === undefined);
  const tagged = actualRules.filter((rule) => errorMembers.has(rule.tags[TAG_KEYS.member] ?? ''));
  const others = actualRules.filter((rule) => !tagged.includes(rule));
  const match = matchRules(modelRules, others);
  const matchedArns = new Map([...match.byContent].map(([index, rule]) => [rule.arn, index]));
  const keep = new Set([
    ...tagged.map((rule) => rule.arn),
    ...untaggedCandidates.filter((rule) => !matchedArns.has(rule.arn)).map((rule) => rule.arn),
  ]);
  if (keep.size === 0) return { rules: modelRules, kept: [] };
  // model index -> the kept rules that followed it (-1: above every model rule)
  const attached = new Map<number, ActualRule[]>();
  let anchor = -1;
  for (const rule of [...actualRules].sort((a, b) => a.priority - b.priority)) {
    const index = matchedArns.get(rule.arn);
    if (index !== undefined) anchor = Math.max(anchor, index);
    else if (keep.has(rule.arn)) attached.set(anchor, [...(attached.get(anchor) ?? []), rule]);
  }
  const kept: string[] = [];
  const keptRule = (rule: ActualRule): DesiredRule => {
    kept.push(rule.arn);
    return desiredFromActual(rule, listenerRef);
  };
  const ordered: DesiredRule[] = [];
  for (const rule of attached.get(-1) ?? []) ordered.push(keptRule(rule));
  modelRules.forEach((rule, index) => {
    ordered.push(rule);
    for (const rule of attached.get(index) ?? []) ordered.push(keptRule(rule));
  });
  return {
    rules: ordered.map((rule, index) => ({ ...rule, spec: { ...rule.spec, priority: index + 1 } })),
    kept,
  };
}

/** An actual rule as a desired one: same content, its member (if tagged) as the source. */
function desiredFromActual(rule: ActualRule, listenerRef: Ref): DesiredRule {
  const member = rule.tags[TAG_KEYS.member];
  const [namespace = '', name = ''] = (member ?? '/').split('/');
  return {
    id: `kept:${rule.arn}`,
    spec: {
      listenerARN: listenerRef,
      priority: 0,
      actions: rule.actions,
      conditions: rule.conditions,
      tags: rule.tags,
    },
    ...(member ? { source: { kind: 'Ingress' as const, namespace, name } } : {}),
  };
}

/** The listeners and target groups kept rules still use: the garbage must leave them. */
export function keptRuleResources(
  actualRules: readonly ActualRule[],
  keptArns: readonly string[],
): { listeners: string[]; targetGroups: string[] } {
  const kept = new Set(keptArns);
  const listeners: string[] = [];
  const targetGroups: string[] = [];
  for (const rule of actualRules) {
    if (!kept.has(rule.arn)) continue;
    listeners.push(rule.listenerArn);
    targetGroups.push(...forwardedArns(rule));
  }
  return { listeners, targetGroups };
}

function forwardedArns(rule: ActualRule): string[] {
  return rule.actions.flatMap((action) =>
    action.type === 'forward'
      ? action.forwardConfig.targetGroups.flatMap((tuple) =>
          typeof tuple.targetGroupARN === 'string' ? [tuple.targetGroupARN] : [],
        )
      : [],
  );
}
