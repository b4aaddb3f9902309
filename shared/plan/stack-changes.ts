import type {
  Action,
  Attribute,
  HealthCheckConfig,
  IpAddressType,
  IpPermission,
  ListenerRuleSpec,
  ListenerSpec,
  LoadBalancerSpec,
  MemberRef,
  Ref,
  RuleCondition,
  SecurityGroupSpec,
  TargetGroupSpec,
} from '../model/stack.js';
import { isRef } from '../model/stack.js';

/**
 * One step of a stack plan. Plain data: the same list is applied, printed by a dry run, logged and
 * written to history. A value the plan cannot know yet (the ARN of something created earlier in
 * the same plan) is a `Ref`, resolved by the apply as it goes; everything that already exists is
 * referenced by its ARN or ID.
 */
export type Change =
  | { op: 'createSecurityGroup'; id: string; vpcId: string; spec: SecurityGroupSpec }
  | { op: 'authorizeSecurityGroupIngress'; groupId: string; permissions: IpPermission[] }
  | { op: 'revokeSecurityGroupIngress'; groupId: string; permissions: IpPermission[] }
  | { op: 'createTargetGroup'; id: string; vpcId: string; spec: TargetGroupSpec; replaces?: string }
  | { op: 'modifyTargetGroup'; id: string; arn: string; healthCheck: HealthCheckConfig }
  | { op: 'modifyTargetGroupAttributes'; id: string; arn: string; attributes: Attribute[] }
  | { op: 'createLoadBalancer'; id: string; spec: LoadBalancerSpec }
  | { op: 'modifyLoadBalancerAttributes'; arn: string; attributes: Attribute[] }
  | { op: 'setSecurityGroups'; arn: string; securityGroups: (string | Ref)[] }
  | { op: 'setSubnets'; arn: string; subnetIds: string[] }
  | { op: 'setIpAddressType'; arn: string; ipAddressType: IpAddressType }
  | { op: 'createListener'; id: string; spec: ListenerSpec }
  | { op: 'modifyListener'; id: string; arn: string; spec: ListenerSpec }
  | { op: 'modifyListenerAttributes'; arn: string; attributes: Attribute[] }
  | { op: 'associateWebAcl'; loadBalancerArn: string | Ref; webAclArn: string }
  | { op: 'disassociateWebAcl'; loadBalancerArn: string; webAclArn: string }
  | { op: 'createShieldProtection'; loadBalancerArn: string | Ref; name: string }
  | { op: 'deleteShieldProtection'; loadBalancerArn: string; protectionId: string }
  | { op: 'setRulePriorities'; listenerArn: string; priorities: { ruleArn: string; priority: number }[] }
  | {
      op: 'modifyRule';
      id: string;
      arn: string;
      actions: Action[];
      conditions: RuleCondition[];
      source?: MemberRef;
    }
  | { op: 'createRule'; id: string; listenerArn: string | Ref; spec: ListenerRuleSpec; source?: MemberRef }
  | { op: 'deleteRule'; arn: string; priority: number }
  | { op: 'deleteListener'; arn: string; port: number }
  | { op: 'deleteTargetGroup'; arn: string; name: string }
  | { op: 'deleteLoadBalancer'; arn: string; name: string }
  | { op: 'deleteSecurityGroup'; groupId: string; groupName: string }
  | { op: 'addTags'; arn: string; tags: Record<string, string> };

export type ChangeOp = Change['op'];

/** Something the plan refuses to do, recorded against the stack (not thrown). */
export interface PlanError {
  field: string;
  message: string;
}

export interface StackPlan {
  stackId: string;
  kind: 'ingress' | 'service';
  changes: Change[];
  errors: PlanError[];
  /** actual rules kept because their member is in error (ARNs) */
  keptRules: string[];
  /** target groups the stack ends with: model id -> ARN or the Ref of one created by this plan */
  targetGroups: Record<string, string | Ref>;
  /** target group replacements whose rules wait for the new group's healthy targets: re-plan later */
  waiting: { targetGroup: string; message: string }[];
  /** the load balancer the stack ends with, if any */
  loadBalancer?: { arn: string | Ref; dnsName?: string };
}

/** The Ref path a created resource's field is known by. */
export function refPath(type: string, id: string, field: string): string {
  return `#/resources/${type}/${id}/status/${field}`;
}

/**
 * Replaces every Ref with a known value, deeply; unknown Refs stay (the apply resolves them).
 * What holds no resolvable Ref comes back as the same object, not a copy: the plan resolves every
 * rule of a group on each pass, and copying their conditions and tags was most of its time.
 */
export function resolveRefs<T>(value: T, known: ReadonlyMap<string, string>): T {
  if (typeof value !== 'object' || value === null) return value;
  if (isRef(value)) return (known.get(value.$ref) ?? value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      const resolved = resolveRefs(item, known);
      if (resolved !== item) {
        out ??= [...value];
        out[index] = resolved;
      }
    }
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    const resolved = resolveRefs(item, known);
    if (resolved !== item) {
      out ??= { ...record };
      out[key] = resolved;
    }
  }
  return (out ?? value) as T;
}

/** Refs still present in a value (after resolveRefs: what the apply must know before the call). */
export function unresolvedRefs(value: unknown, found: string[] = []): string[] {
  if (isRef(value)) found.push(value.$ref);
  else if (Array.isArray(value)) for (const item of value) unresolvedRefs(item, found);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) unresolvedRefs(item, found);
  return found;
}

/** Changes that call AWS to write (every change does; kept as a function for counting in reports). */
export function summarize(changes: readonly Change[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const change of changes) counts[change.op] = (counts[change.op] ?? 0) + 1;
  return counts;
}
