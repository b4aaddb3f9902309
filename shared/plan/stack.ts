import type {
  Action,
  Attribute,
  HealthCheckConfig,
  IpPermission,
  ListenerSpec,
  MemberRef,
  Ref,
  Stack,
  StackError,
} from '../model/stack.js';
import { isRef, RESOURCE_IDS, RESOURCE_TYPES, ref } from '../model/stack.js';
import { TAG_KEYS } from '../model/tags.js';
import { type DesiredRule, matchRules, planRules } from './rules.js';
import { canonicalActions } from './rules-equality.js';
import type { ActualListener, ActualRule, ActualStack, ActualTargetGroup, TagMap } from './stack-actual.js';
import { type Change, refPath, resolveRefs, type StackPlan } from './stack-changes.js';

/**
 * The stack plan: desired (the model) against actual (found by tags) to an ordered list of changes.
 * Pure. Order, as the LBC's synthesizers: security groups, target groups, load balancer, listeners,
 * rules (create-before-delete, rules.ts), then garbage collection in reverse dependency order:
 * stale rules, listeners, target groups, load balancers, security groups.
 *
 * Only resources carrying this stack's cluster and stack tags are touched. Rules of a member in
 * error keep their place (the slbc `member` tag says whose a rule is), so one bad Ingress never
 * costs the others their update, nor itself its last applied rules.
 */
export const DELETION_PROTECTION = 'deletion_protection.enabled';
const DEFAULT_RULE_QUOTA = 100;

export interface PlanOptions {
  vpcId: string;
  /** group members whose last applied rules must stay (their model failed) */
  membersInError?: readonly MemberRef[];
  ruleQuota?: number;
}

export const memberKey = (member: Pick<MemberRef, 'namespace' | 'name'>) =>
  `${member.namespace}/${member.name}`;

export function planStack(
  build: { stack: Stack; stackErrors?: readonly StackError[] },
  actual: ActualStack,
  options: PlanOptions,
): StackPlan {
  const { stack } = build;
  const plan: StackPlan = {
    stackId: stack.id,
    kind: stack.kind,
    changes: [],
    errors: [],
    keptRules: [],
    targetGroups: {},
    waiting: [],
  };
  if ((build.stackErrors ?? []).length > 0) {
    // an incomplete model would delete what it lacks: act on nothing
    plan.errors.push(...(build.stackErrors ?? []));
    return plan;
  }
  const resourceTag = stack.kind === 'ingress' ? TAG_KEYS.ingressResource : TAG_KEYS.serviceResource;
  const stackTag = stack.kind === 'ingress' ? TAG_KEYS.ingressStack : TAG_KEYS.serviceStack;
  const owned = (tags: TagMap) =>
    tags[TAG_KEYS.cluster] === stack.stackTags[TAG_KEYS.cluster] && tags[stackTag] === stack.id;
  const known = new Map<string, string>();
  const changes = plan.changes;
  const res = stack.resources;

  // ---- security groups
  const actualGroups = actual.securityGroups.filter((group) => owned(group.tags));
  const keptGroups = new Set<string>();
  const revokes: Change[] = [];
  for (const [id, { spec }] of Object.entries(res[RESOURCE_TYPES.securityGroup])) {
    const found = actualGroups.find((group) => group.tags[resourceTag] === id);
    if (!found) {
      changes.push({ op: 'createSecurityGroup', id, vpcId: options.vpcId, spec });
      continue;
    }
    keptGroups.add(found.groupId);
    known.set(refPath(RESOURCE_TYPES.securityGroup, id, 'groupID'), found.groupId);
    const want = expandPermissions(spec.ingress);
    const have = expandPermissions(found.ingress);
    const add = [...want].filter(([key]) => !have.has(key)).map(([, p]) => p);
    const remove = [...have].filter(([key]) => !want.has(key)).map(([, p]) => p);
    if (add.length > 0)
      changes.push({ op: 'authorizeSecurityGroupIngress', groupId: found.groupId, permissions: add });
    if (remove.length > 0)
      revokes.push({ op: 'revokeSecurityGroupIngress', groupId: found.groupId, permissions: remove });
  }

  // ---- target groups: in place when compatible, else a new one (the old is collected at the end)
  const actualTargetGroups = actual.targetGroups.filter((group) => owned(group.tags));
  const keptTargetGroups = new Set<string>();
  const holds = new Map<string, Hold>();
  for (const [id, { spec }] of Object.entries(res[RESOURCE_TYPES.targetGroup])) {
    const candidates = actualTargetGroups.filter((group) => group.tags[resourceTag] === id);
    const found = candidates.find(
      (group) =>
        group.targetType === spec.targetType &&
        group.protocol === spec.protocol &&
        group.port === spec.port &&
        group.vpcId === options.vpcId &&
        group.ipAddressType === spec.ipAddressType &&
        (spec.protocolVersion === undefined || group.protocolVersion === spec.protocolVersion),
    );
    const path = refPath(RESOURCE_TYPES.targetGroup, id, 'targetGroupARN');
    // a replacement serves from the old group until the new one has healthy targets (see holdFor)
    // NLB listeners forward to one target group: there the group is swapped at once, as the LBC does
    const serving = stack.kind === 'ingress' ? holdFor(found, candidates) : undefined;
    if (serving) {
      keptTargetGroups.add(serving.arn);
      holds.set(path, {
        serving: serving.arn,
        filling: found?.arn ?? ref(RESOURCE_TYPES.targetGroup, id, 'targetGroupARN'),
      });
      plan.waiting.push({
        targetGroup: id,
        message: `target group ${spec.name} replaces ${serving.name}: rules keep forwarding to ${serving.name} until the new group has healthy targets`,
      });
    }
    if (!found) {
      changes.push({
        op: 'createTargetGroup',
        id,
        vpcId: options.vpcId,
        spec,
        ...(candidates[0] ? { replaces: candidates[0].arn } : {}),
      });
      plan.targetGroups[id] = ref(RESOURCE_TYPES.targetGroup, id, 'targetGroupARN');
      continue;
    }
    keptTargetGroups.add(found.arn);
    known.set(path, found.arn);
    plan.targetGroups[id] = found.arn;
    if (healthCheckKey(spec.healthCheckConfig) !== healthCheckKey(found.healthCheck))
      changes.push({ op: 'modifyTargetGroup', id, arn: found.arn, healthCheck: spec.healthCheckConfig });
    const attributes = changedAttributes(spec.targetGroupAttributes, found.attributes);
    if (attributes.length > 0)
      changes.push({ op: 'modifyTargetGroupAttributes', id, arn: found.arn, attributes });
    const tags = missingTags(spec.tags, found.tags);
    if (tags) changes.push({ op: 'addTags', arn: found.arn, tags });
  }

  // ---- load balancer: type or scheme changed means a new one
  const actualBalancers = actual.loadBalancers.filter((lb) => owned(lb.tags));
  const desiredLb = res[RESOURCE_TYPES.loadBalancer][RESOURCE_IDS.loadBalancer];
  const lb = desiredLb
    ? actualBalancers.find(
        (candidate) =>
          candidate.tags[resourceTag] === RESOURCE_IDS.loadBalancer &&
          candidate.type === desiredLb.spec.type &&
          candidate.scheme === desiredLb.spec.scheme,
      )
    : undefined;
  if (desiredLb && !lb) {
    changes.push({
      op: 'createLoadBalancer',
      id: RESOURCE_IDS.loadBalancer,
      spec: resolveRefs(desiredLb.spec, known),
    });
    plan.loadBalancer = {
      arn: ref(RESOURCE_TYPES.loadBalancer, RESOURCE_IDS.loadBalancer, 'loadBalancerARN'),
    };
  } else if (desiredLb && lb) {
    known.set(refPath(RESOURCE_TYPES.loadBalancer, RESOURCE_IDS.loadBalancer, 'loadBalancerARN'), lb.arn);
    plan.loadBalancer = { arn: lb.arn, dnsName: lb.dnsName };
    const spec = resolveRefs(desiredLb.spec, known);
    const groups = spec.securityGroups;
    if (!sameSet(groups.map(String), lb.securityGroups) || groups.some((g) => typeof g !== 'string'))
      changes.push({ op: 'setSecurityGroups', arn: lb.arn, securityGroups: groups });
    const subnets = spec.subnetMapping.map((mapping) => mapping.subnetID);
    if (subnets.length > 0 && !sameSet(subnets, lb.subnetIds))
      changes.push({ op: 'setSubnets', arn: lb.arn, subnetIds: subnets });
    if (spec.ipAddressType !== lb.ipAddressType)
      changes.push({ op: 'setIpAddressType', arn: lb.arn, ipAddressType: spec.ipAddressType });
    const attributes = changedAttributes(spec.loadBalancerAttributes, lb.attributes);
    if (attributes.length > 0) changes.push({ op: 'modifyLoadBalancerAttributes', arn: lb.arn, attributes });
    const tags = missingTags(spec.tags, lb.tags);
    if (tags) changes.push({ op: 'addTags', arn: lb.arn, tags });
  }

  // ---- listeners (by port) and their rules
  const errorMembers = new Set((options.membersInError ?? []).map(memberKey));
  const lbListeners = lb ? actual.listeners.filter((listener) => listener.loadBalancerArn === lb.arn) : [];
  const lbRules = (listener: ActualListener) =>
    actual.rules.filter((rule) => rule.listenerArn === listener.arn);
  const room = {
    left:
      (options.ruleQuota ?? DEFAULT_RULE_QUOTA) - lbListeners.reduce((sum, l) => sum + lbRules(l).length, 0),
  };
  const ruleChanges: Change[] = [];
  const keptListeners = new Set<string>();
  const listeners = Object.entries(res[RESOURCE_TYPES.listener]).sort(
    (a, b) => a[1].spec.port - b[1].spec.port,
  );
  for (const [id, { spec: rawSpec }] of listeners) {
    const existing = lbListeners.find((listener) => listener.port === rawSpec.port);
    const spec = resolveRefs(
      { ...rawSpec, defaultActions: withFillingGroups(rawSpec.defaultActions, holds) },
      known,
    );
    const listenerRef = refPath(RESOURCE_TYPES.listener, id, 'listenerARN');
    if (existing) {
      keptListeners.add(existing.arn);
      known.set(listenerRef, existing.arn);
      if (listenerDiffers(spec, existing))
        changes.push({ op: 'modifyListener', id, arn: existing.arn, spec });
    } else {
      changes.push({ op: 'createListener', id, spec });
    }
    const modelRules: DesiredRule[] = Object.entries(res[RESOURCE_TYPES.listenerRule])
      .filter(([ruleId]) => ruleId.split(':')[0] === id)
      .map(([ruleId, rule]) => ({
        id: ruleId,
        spec: resolveRefs(
          {
            ...rule.spec,
            actions: withFillingGroups(rule.spec.actions, holds),
            tags: { ...rule.spec.tags, [TAG_KEYS.member]: memberKey(rule.source) },
          },
          known,
        ),
        source: rule.source,
      }))
      .sort((a, b) => a.spec.priority - b.spec.priority);
    const actualRules = existing ? lbRules(existing) : [];
    const listenerRefValue = ref(RESOURCE_TYPES.listener, id, 'listenerARN');
    const desired = withKeptRules(modelRules, actualRules, errorMembers, plan.keptRules, listenerRefValue);
    ruleChanges.push(
      ...planRules({
        listenerArn: existing?.arn ?? ref(RESOURCE_TYPES.listener, id, 'listenerARN'),
        desired,
        actual: actualRules,
        room,
      }),
    );
  }
  changes.push(...ruleChanges);

  // rules kept for members in error keep their listener and target groups
  const keptArns = new Set(plan.keptRules);
  for (const rule of actual.rules) {
    if (!keptArns.has(rule.arn)) continue;
    keptListeners.add(rule.listenerArn);
    for (const arn of forwardedArns(rule)) keptTargetGroups.add(arn);
  }

  // ---- garbage collection: listeners, target groups, load balancers, security groups
  const staleBalancers = actualBalancers.filter((candidate) => candidate.arn !== lb?.arn);
  const protectedBalancers = staleBalancers.filter(
    (candidate) => candidate.attributes[DELETION_PROTECTION] === 'true',
  );
  for (const candidate of protectedBalancers) {
    plan.errors.push({
      field: 'loadBalancer',
      message: `load balancer ${candidate.name} (${candidate.arn}) has deletion protection on: kept with its listeners and target groups; turn ${DELETION_PROTECTION} off to let slbc delete it`,
    });
  }
  const deletable = staleBalancers.filter((candidate) => !protectedBalancers.includes(candidate));
  for (const listener of actual.listeners) {
    const onKept =
      lb !== undefined && listener.loadBalancerArn === lb.arn && !keptListeners.has(listener.arn);
    const onStale = deletable.some((candidate) => candidate.arn === listener.loadBalancerArn);
    if (onKept || onStale) changes.push({ op: 'deleteListener', arn: listener.arn, port: listener.port });
  }
  changes.push(...revokes);
  if (protectedBalancers.length === 0) {
    for (const group of actualTargetGroups) {
      if (!keptTargetGroups.has(group.arn))
        changes.push({ op: 'deleteTargetGroup', arn: group.arn, name: group.name });
    }
  }
  for (const candidate of deletable)
    changes.push({ op: 'deleteLoadBalancer', arn: candidate.arn, name: candidate.name });
  if (protectedBalancers.length === 0) {
    for (const group of actualGroups) {
      if (!keptGroups.has(group.groupId))
        changes.push({ op: 'deleteSecurityGroup', groupId: group.groupId, groupName: group.groupName });
    }
  }
  return plan;
}

/**
 * The model's rules plus the actual rules of members in error, each kept after the model rule
 * it followed before (the last content-matched rule above it), so the group order holds.
 * Rules slbc never tagged with a member (adopted from the LBC) are kept too while any member
 * is in error: their owner cannot be told, and deleting a working route is the worse mistake.
 */
function withKeptRules(
  modelRules: DesiredRule[],
  actualRules: readonly ActualRule[],
  errorMembers: ReadonlySet<string>,
  keptOut: string[],
  listenerRef: Ref,
): DesiredRule[] {
  if (errorMembers.size === 0 || actualRules.length === 0) return modelRules;
  const untaggedCandidates = actualRules.filter((rule) => rule.tags[TAG_KEYS.member] === undefined);
  const tagged = actualRules.filter((rule) => errorMembers.has(rule.tags[TAG_KEYS.member] ?? ''));
  const others = actualRules.filter((rule) => !tagged.includes(rule));
  const match = matchRules(modelRules, others);
  const matchedArns = new Map([...match.byContent].map(([index, rule]) => [rule.arn, index]));
  const keep = new Set([
    ...tagged.map((rule) => rule.arn),
    ...untaggedCandidates.filter((rule) => !matchedArns.has(rule.arn)).map((rule) => rule.arn),
  ]);
  if (keep.size === 0) return modelRules;
  const attached = new Map<number, ActualRule[]>();
  let anchor = -1;
  for (const rule of [...actualRules].sort((a, b) => a.priority - b.priority)) {
    const index = matchedArns.get(rule.arn);
    if (index !== undefined) anchor = Math.max(anchor, index);
    else if (keep.has(rule.arn)) attached.set(anchor, [...(attached.get(anchor) ?? []), rule]);
  }
  const ordered: DesiredRule[] = [];
  const keptRule = (rule: ActualRule): DesiredRule => {
    keptOut.push(rule.arn);
    const [namespace = '', name = ''] = (rule.tags[TAG_KEYS.member] ?? '/').split('/');
    return {
      id: `kept:${rule.arn}`,
      spec: {
        listenerARN: listenerRef,
        priority: 0,
        actions: rule.actions,
        conditions: rule.conditions,
        tags: rule.tags,
      },
      ...(rule.tags[TAG_KEYS.member] ? { source: { kind: 'Ingress' as const, namespace, name } } : {}),
    };
  };
  for (const rule of attached.get(-1) ?? []) ordered.push(keptRule(rule));
  modelRules.forEach((rule, index) => {
    ordered.push(rule);
    for (const kept of attached.get(index) ?? []) ordered.push(keptRule(kept));
  });
  return ordered.map((rule, index) => ({ ...rule, spec: { ...rule.spec, priority: index + 1 } }));
}

/** A replacement under way: the old group still takes the traffic, the new one is health-checked. */
interface Hold {
  serving: string;
  filling: string | Ref;
}

/**
 * Forwards to a replaced group go to the old group (its weight) and to the new one at weight 0:
 * the load balancer then health-checks the new group's targets (a group no rule uses reports
 * them `unused`, never healthy) while none of the traffic reaches it yet.
 */
function withFillingGroups(actions: Action[], holds: ReadonlyMap<string, Hold>): Action[] {
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
function holdFor(
  found: ActualTargetGroup | undefined,
  candidates: readonly ActualTargetGroup[],
): ActualTargetGroup | undefined {
  if (found && (found.healthyTargets === undefined || found.healthyTargets > 0)) return undefined;
  return candidates.find(
    (group) => group !== found && (group.healthyTargets === undefined || group.healthyTargets > 0),
  );
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

function listenerDiffers(spec: ListenerSpec, existing: ActualListener): boolean {
  if (spec.protocol !== existing.protocol) return true;
  if (canonicalActions(spec.defaultActions) !== canonicalActions(existing.defaultActions)) return true;
  const defaultCertificate = spec.certificates?.[0]?.certificateARN;
  if (defaultCertificate !== undefined && defaultCertificate !== existing.certificates[0]) return true;
  if (spec.sslPolicy !== undefined && spec.sslPolicy !== existing.sslPolicy) return true;
  return false;
}

export function healthCheckKey(check: HealthCheckConfig): string {
  const http = check.protocol === 'HTTP' || check.protocol === 'HTTPS';
  return JSON.stringify([
    String(check.port),
    check.protocol,
    http ? (check.path ?? '/') : null,
    http ? JSON.stringify(check.matcher ?? { httpCode: '200' }) : null,
    check.intervalSeconds,
    check.timeoutSeconds,
    check.healthyThresholdCount,
    check.unhealthyThresholdCount,
  ]);
}

function changedAttributes(want: readonly Attribute[], have: Record<string, string>): Attribute[] {
  return want.filter((attribute) => have[attribute.key] !== attribute.value);
}

function missingTags(want: TagMap, have: TagMap): TagMap | undefined {
  const entries = Object.entries(want).filter(([key, value]) => have[key] !== value);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((item) => left.has(item));
}

/** One entry per protocol, port range and CIDR: what EC2 authorizes and revokes one by one. */
export function expandPermissions(permissions: readonly IpPermission[]): Map<string, IpPermission> {
  const out = new Map<string, IpPermission>();
  for (const p of permissions) {
    for (const range of p.ipRanges ?? []) {
      out.set(`${p.ipProtocol}:${p.fromPort}-${p.toPort}:${range.cidrIP}`, {
        ipProtocol: p.ipProtocol,
        fromPort: p.fromPort,
        toPort: p.toPort,
        ipRanges: [{ cidrIP: range.cidrIP }],
      });
    }
    for (const range of p.ipv6Ranges ?? []) {
      out.set(`${p.ipProtocol}:${p.fromPort}-${p.toPort}:${range.cidrIPv6}`, {
        ipProtocol: p.ipProtocol,
        fromPort: p.fromPort,
        toPort: p.toPort,
        ipv6Ranges: [{ cidrIPv6: range.cidrIPv6 }],
      });
    }
  }
  return out;
}
