import type { MemberRef, Stack, StackError } from '../model/stack.js';
import { RESOURCE_TYPES } from '../model/stack.js';
import { planGarbage } from './stack/garbage.js';
import { keptRuleResources } from './stack/kept-rules.js';
import { memberKey, planListenerRules } from './stack/listener-rules.js';
import { listenerChangesInOrder, planListeners } from './stack/listeners.js';
import { planLoadBalancer } from './stack/load-balancer.js';
import { stackScope } from './stack/scope.js';
import { planSecurityGroups } from './stack/security-groups.js';
import { planTargetGroups } from './stack/target-groups.js';
import type { ActualStack } from './stack-actual.js';
import type { StackPlan } from './stack-changes.js';

export { DELETION_PROTECTION } from './stack/garbage.js';
export { memberKey } from './stack/listener-rules.js';
export { expandPermissions } from './stack/security-groups.js';
export { healthCheckKey } from './stack/target-groups.js';

/**
 * The stack plan: desired (the model) against actual (found by tags) to an ordered list of changes.
 * Pure. One synthesizer per resource type (shared/plan/stack/), run in the LBC's order: security
 * groups, target groups, load balancer, listeners, rules (create-before-delete, rules.ts), then
 * garbage collection in reverse dependency order: stale listeners, security group revocations,
 * target groups, load balancers, security groups. Each step gets what the earlier ones found
 * (the ARNs and IDs that resolve its Refs) and returns its own changes.
 *
 * Only resources carrying this stack's cluster and stack tags are touched. Rules of a member in
 * error keep their place (the slbc `member` tag says whose a rule is), so one bad Ingress never
 * costs the others their update, nor itself its last applied rules.
 */
const DEFAULT_RULE_QUOTA = 100;

export interface PlanOptions {
  vpcId: string;
  /** group members whose last applied rules must stay (their model failed) */
  membersInError?: readonly MemberRef[];
  ruleQuota?: number;
  /** Shield Advanced's GetSubscriptionState is ACTIVE (read only when the model asks for protection) */
  shieldSubscribed?: boolean;
  /** re-send OIDC client secrets of unchanged rules and listeners, as the LBC does (not in dry runs) */
  resendClientSecrets?: boolean;
}

export function planStack(
  build: { stack: Stack; stackErrors?: readonly StackError[] },
  actual: ActualStack,
  options: PlanOptions,
): StackPlan {
  const { stack } = build;
  if ((build.stackErrors ?? []).length > 0) {
    // an incomplete model would delete what it lacks: act on nothing
    return {
      stackId: stack.id,
      kind: stack.kind,
      changes: [],
      errors: [...(build.stackErrors ?? [])],
      keptRules: [],
      targetGroups: {},
      waiting: [],
    };
  }
  const scope = stackScope(stack, options.vpcId);
  const res = stack.resources;

  const securityGroups = planSecurityGroups(res[RESOURCE_TYPES.securityGroup], actual.securityGroups, scope);
  const targetGroups = planTargetGroups(res[RESOURCE_TYPES.targetGroup], actual.targetGroups, scope);
  const knownBeforeLb = new Map([...securityGroups.known, ...targetGroups.known]);
  const loadBalancer = planLoadBalancer(
    res[RESOURCE_TYPES.loadBalancer],
    actual.loadBalancers,
    knownBeforeLb,
    scope,
    options.shieldSubscribed,
  );
  const lb = loadBalancer.kept;
  const lbListeners = lb ? actual.listeners.filter((listener) => listener.loadBalancerArn === lb.arn) : [];
  const knownBeforeListeners = new Map([...knownBeforeLb, ...loadBalancer.known]);
  const listeners = planListeners(
    res[RESOURCE_TYPES.listener],
    lbListeners,
    knownBeforeListeners,
    targetGroups.holds,
    options.resendClientSecrets === true,
  );
  const rules = planListenerRules({
    desired: res[RESOURCE_TYPES.listenerRule],
    listeners: listeners.listeners,
    actualListeners: lbListeners,
    actualRules: actual.rules,
    known: new Map([...knownBeforeListeners, ...listeners.known]),
    holds: targetGroups.holds,
    errorMembers: new Set((options.membersInError ?? []).map(memberKey)),
    ruleQuota: options.ruleQuota ?? DEFAULT_RULE_QUOTA,
    ...(options.resendClientSecrets ? { resendClientSecrets: true } : {}),
  });

  // rules kept for members in error keep their listener and target groups
  const keptByRules = keptRuleResources(actual.rules, rules.keptRules);
  const garbage = planGarbage({
    ...(lb ? { keptLoadBalancer: lb } : {}),
    staleLoadBalancers: loadBalancer.stale,
    listeners: actual.listeners,
    keptListeners: new Set([...listeners.kept, ...keptByRules.listeners]),
    revokes: securityGroups.revokes,
    targetGroups: targetGroups.owned,
    keptTargetGroups: new Set([...targetGroups.kept, ...keptByRules.targetGroups]),
    staleSecurityGroups: securityGroups.stale,
  });

  return {
    stackId: stack.id,
    kind: stack.kind,
    changes: [
      ...securityGroups.changes,
      ...targetGroups.changes,
      ...loadBalancer.changes,
      ...listenerChangesInOrder(listeners.listeners),
      ...rules.changes.flat(),
      ...garbage.changes,
    ],
    errors: [...loadBalancer.errors, ...garbage.errors],
    keptRules: rules.keptRules,
    targetGroups: targetGroups.targetGroups,
    waiting: targetGroups.waiting,
    ...(loadBalancer.output ? { loadBalancer: loadBalancer.output } : {}),
  };
}
