import type {
  ActualListener,
  ActualLoadBalancer,
  ActualSecurityGroup,
  ActualTargetGroup,
} from '../stack-actual.js';
import type { Change, PlanError } from '../stack-changes.js';

export const DELETION_PROTECTION = 'deletion_protection.enabled';

/**
 * Garbage collection, in reverse dependency order: listeners (of the kept load balancer and of
 * stale ones), then the security group revocations, target groups, load balancers, security
 * groups. A stale load balancer with deletion protection on is kept, and with it every target
 * group and security group (it may still use them); a plan error says why.
 */
export interface GarbageInput {
  /** the load balancer the stack keeps, if any */
  keptLoadBalancer?: ActualLoadBalancer;
  staleLoadBalancers: readonly ActualLoadBalancer[];
  /** every actual listener of the stack's load balancers */
  listeners: readonly ActualListener[];
  /** ARNs of the kept load balancer's listeners that stay (in the model or used by a kept rule) */
  keptListeners: ReadonlySet<string>;
  /** revokeSecurityGroupIngress changes, applied once the listeners no longer need the ports */
  revokes: readonly Change[];
  targetGroups: readonly ActualTargetGroup[];
  keptTargetGroups: ReadonlySet<string>;
  staleSecurityGroups: readonly ActualSecurityGroup[];
}

export function planGarbage(input: GarbageInput): { changes: Change[]; errors: PlanError[] } {
  const isProtected = (lb: ActualLoadBalancer) => lb.attributes[DELETION_PROTECTION] === 'true';
  const protectedBalancers = input.staleLoadBalancers.filter(isProtected);
  const deletable = input.staleLoadBalancers.filter((lb) => !isProtected(lb));
  const errors = protectedBalancers.map((lb) => ({
    field: 'loadBalancer',
    message: `load balancer ${lb.name} (${lb.arn}) has deletion protection on: kept with its listeners and target groups; turn ${DELETION_PROTECTION} off to let slbc delete it`,
  }));
  const changes: Change[] = [];
  const kept = input.keptLoadBalancer;
  for (const listener of input.listeners) {
    const onKept =
      kept !== undefined && listener.loadBalancerArn === kept.arn && !input.keptListeners.has(listener.arn);
    const onStale = deletable.some((lb) => lb.arn === listener.loadBalancerArn);
    if (onKept || onStale) changes.push({ op: 'deleteListener', arn: listener.arn, port: listener.port });
  }
  changes.push(...input.revokes);
  const keepAll = protectedBalancers.length > 0;
  if (!keepAll) {
    for (const group of input.targetGroups) {
      if (!input.keptTargetGroups.has(group.arn))
        changes.push({ op: 'deleteTargetGroup', arn: group.arn, name: group.name });
    }
  }
  for (const lb of deletable) changes.push({ op: 'deleteLoadBalancer', arn: lb.arn, name: lb.name });
  if (!keepAll) {
    for (const group of input.staleSecurityGroups)
      changes.push({ op: 'deleteSecurityGroup', groupId: group.groupId, groupName: group.groupName });
  }
  return { changes, errors };
}
