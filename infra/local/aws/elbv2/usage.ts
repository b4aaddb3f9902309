/**
 * Which load balancers use which target group. Derived from the rules (a listener's default
 * actions live on its default rule) after every change to listeners or rules, because both
 * DescribeTargetGroups (`LoadBalancerArns`), DeleteTargetGroup (`ResourceInUse`) and target
 * health (`unused`) depend on it.
 */
import type { ActionRecord, Elbv2State, TargetGroupRecord } from './state.js';

export function forwardedTargetGroups(action: ActionRecord): string[] {
  if (action.Type !== 'forward') return [];
  const config = action.ForwardConfig as { TargetGroups?: { TargetGroupArn: string }[] } | undefined;
  if (config?.TargetGroups) return config.TargetGroups.map((group) => group.TargetGroupArn);
  return typeof action.TargetGroupArn === 'string' ? [action.TargetGroupArn] : [];
}

export function refreshUsage(state: Elbv2State): void {
  const users = new Map<string, Set<string>>();
  for (const rule of state.rules.values()) {
    const listener = state.listeners.get(rule.listenerArn);
    if (!listener) continue;
    for (const action of rule.actions)
      for (const groupArn of forwardedTargetGroups(action)) {
        const set = users.get(groupArn) ?? new Set<string>();
        set.add(listener.loadBalancerArn);
        users.set(groupArn, set);
      }
  }
  const now = state.ctx.clock.now();
  for (const group of state.targetGroups.values()) {
    const arns = [...(users.get(group.arn) ?? [])];
    const wasInUse = group.loadBalancerArns.length > 0;
    group.loadBalancerArns = arns;
    if (wasInUse === arns.length > 0) continue;
    group.usageEpoch++;
    group.inUseSince = arns.length > 0 ? now : undefined;
  }
}

/** true when some listener or rule forwards to the target group */
export function isReferenced(state: Elbv2State, targetGroupArn: string): boolean {
  for (const rule of state.rules.values())
    for (const action of rule.actions)
      if (forwardedTargetGroups(action).includes(targetGroupArn)) return true;
  return false;
}

/**
 * After DeleteLoadBalancer, AWS frees the target groups its listeners used asynchronously: a
 * DeleteTargetGroup right away still answers ResourceInUse for a while (the LBC polls it for up
 * to 20 s, `target_group_manager.go`). Groups still used by another load balancer stay in use.
 */
export function releaseLater(state: Elbv2State, groups: TargetGroupRecord[]): void {
  if (state.resourceInUseLingerMs <= 0) return;
  const until = state.ctx.clock.now() + state.resourceInUseLingerMs;
  for (const group of groups) if (group.loadBalancerArns.length === 0) state.releasedAt.set(group.arn, until);
}

/** true while a deleted load balancer's hold on the group has not been released yet */
export function isLingering(state: Elbv2State, targetGroupArn: string): boolean {
  const until = state.releasedAt.get(targetGroupArn);
  if (until === undefined) return false;
  if (state.ctx.clock.now() < until) return true;
  state.releasedAt.delete(targetGroupArn);
  return false;
}
