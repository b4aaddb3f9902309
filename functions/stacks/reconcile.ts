import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { RetryableError } from '../../shared/errors.js';
import {
  CONTRACT_VERSION,
  DETAIL_TYPES,
  INTERNAL_SOURCE,
  type TargetGroupBoundDetail,
} from '../../shared/events/contract.js';
import type { Ingress, IngressClass, Service } from '../../shared/k8s/objects.js';
import { buildIngressGroupStack } from '../../shared/model/ingress/build.js';
import { type IngressGroupId, loadIngressGroup } from '../../shared/model/ingress/group.js';
import type { DiscoveredSubnet, ModelEnvironment } from '../../shared/model/inputs.js';
import { buildServiceStack } from '../../shared/model/service/build.js';
import type { Action, MemberError, MemberRef, StackBuild } from '../../shared/model/stack.js';
import { isRef, RESOURCE_IDS, RESOURCE_TYPES } from '../../shared/model/stack.js';
import { TAG_KEYS } from '../../shared/model/tags.js';
import { planStack } from '../../shared/plan/stack.js';
import type { ActualStack } from '../../shared/plan/stack-actual.js';
import { resolveRefs, type StackPlan, summarize } from '../../shared/plan/stack-changes.js';
import type { Binding, Cause, RecordedError } from '../../shared/state/index.js';
import { type Applied, applyPlan } from './apply.js';
import { STACKS_METRICS, type StacksDeps } from './deps.js';

/**
 * One reconcile pass for one stack key (an Ingress group or a Service):
 *
 *   mirror → discover (VPC, subnets) → actual (by tags) → model → plan → apply
 *          → bindings + Target Group Bound events → status → member errors
 *
 * Member errors are recorded against their Ingress and cleared once fixed; the rest of the group
 * is applied. A failed AWS call throws (the key stays dirty); the next pass re-plans from AWS.
 */
export type StackKey =
  | { cluster: string; kind: 'ingress'; group: string; stackKey: string }
  | { cluster: string; kind: 'service'; namespace: string; name: string; stackKey: string };

export function parseStackKey(key: string): StackKey | undefined {
  const match = /^stack#([^#]+)#(ingress|service)\/(.+)$/.exec(key);
  if (!match) return undefined;
  const [, cluster = '', kind, rest = ''] = match;
  if (kind === 'ingress') return { cluster, kind, group: rest, stackKey: `ingress/${rest}` };
  const [namespace = '', name = ''] = rest.split('/');
  return { cluster, kind: 'service', namespace, name, stackKey: `service/${rest}` };
}

export interface StackPass {
  outcome: 'applied' | 'no-change' | 'planned' | 'blocked';
  plan: StackPlan;
  memberErrors: MemberError[];
}

/** Caches for one invocation: subnets do not change between the keys of one event. */
export interface PassContext {
  subnets: Map<string, Promise<DiscoveredSubnet[]>>;
}

export function newPassContext(): PassContext {
  return { subnets: new Map() };
}

function groupIdOf(group: string): IngressGroupId {
  const slash = group.indexOf('/');
  return slash < 0
    ? { namespace: '', name: group }
    : { namespace: group.slice(0, slash), name: group.slice(slash + 1) };
}

/** Reads the model inputs and AWS, builds and plans; changes nothing (the dry run stops here). */
export async function planKey(
  deps: StacksDeps,
  parsed: StackKey,
  context: PassContext = newPassContext(),
): Promise<{ build: StackBuild; actual: ActualStack; plan: StackPlan }> {
  const { cluster } = parsed;
  const vpcId = await deps.clusterVpc(cluster);
  const stackTags: Record<string, string> =
    parsed.kind === 'ingress'
      ? { [TAG_KEYS.cluster]: cluster, [TAG_KEYS.ingressStack]: parsed.group }
      : { [TAG_KEYS.cluster]: cluster, [TAG_KEYS.serviceStack]: `${parsed.namespace}/${parsed.name}` };
  let subnets = context.subnets.get(vpcId);
  if (!subnets) {
    subnets = deps.ec2.subnets(vpcId);
    context.subnets.set(vpcId, subnets);
  }
  const [found, securityGroups, subnetList] = await Promise.all([
    deps.elbv2.findStack(stackTags),
    deps.ec2.findSecurityGroups(stackTags),
    subnets,
  ]);
  const actual: ActualStack = { ...found, securityGroups };
  const resourceTag = parsed.kind === 'ingress' ? TAG_KEYS.ingressResource : TAG_KEYS.serviceResource;
  const existing = actual.loadBalancers.find((lb) => lb.tags[resourceTag] === RESOURCE_IDS.loadBalancer);
  const env: ModelEnvironment = {
    clusterName: cluster,
    vpcId,
    subnets: subnetList,
    config: deps.config,
    ...(deps.config.ruleQuota === undefined ? {} : { ruleQuota: deps.config.ruleQuota }),
    ...(existing ? { existingLoadBalancer: { scheme: existing.scheme, subnetIds: existing.subnetIds } } : {}),
  };
  let build: StackBuild;
  if (parsed.kind === 'ingress') {
    const { mirror } = deps.state;
    const [ingresses, classes] = await Promise.all([
      mirror.listObjects(cluster, 'Ingress') as Promise<Ingress[]>,
      mirror.listObjects(cluster, 'IngressClass') as Promise<IngressClass[]>,
    ]);
    const group = loadIngressGroup(groupIdOf(parsed.group), ingresses, classes, deps.config);
    const namespaces = [...new Set(group.members.map((member) => member.metadata.namespace ?? ''))];
    const services = (
      await Promise.all(
        namespaces.map((ns) => mirror.listObjects(cluster, 'Service', ns) as Promise<Service[]>),
      )
    ).flat();
    if (
      group.members.some(
        (member) => member.metadata.annotations?.['alb.ingress.kubernetes.io/security-groups'],
      )
    )
      env.securityGroups = await deps.ec2.securityGroupsOfVpc(vpcId);
    build = buildIngressGroupStack({ env, group, services });
  } else {
    const service = (await deps.state.mirror.getObject(cluster, 'Service', parsed.namespace, parsed.name)) as
      | Service
      | undefined;
    build = buildServiceStack({
      env,
      id: { namespace: parsed.namespace, name: parsed.name },
      ...(service ? { service } : {}),
    });
  }
  await resolveTargetGroupNames(deps, build);
  const membersInError: MemberRef[] = build.memberErrors
    .filter((error) => error.kind === 'Ingress')
    .map((error) => ({ kind: 'Ingress', namespace: error.namespace, name: error.name }));
  const plan = planStack(build, actual, {
    vpcId,
    membersInError,
    ...(deps.config.ruleQuota === undefined ? {} : { ruleQuota: deps.config.ruleQuota }),
  });
  return { build, actual, plan };
}

/** actions.* annotations may name a target group: the plan needs its ARN. */
async function resolveTargetGroupNames(deps: StacksDeps, build: StackBuild): Promise<void> {
  const actions: Action[] = [
    ...Object.values(build.stack.resources[RESOURCE_TYPES.listenerRule]).flatMap((rule) => rule.spec.actions),
    ...Object.values(build.stack.resources[RESOURCE_TYPES.listener]).flatMap(
      (listener) => listener.spec.defaultActions,
    ),
  ];
  for (const action of actions) {
    if (action.type !== 'forward') continue;
    for (const tuple of action.forwardConfig.targetGroups) {
      if (tuple.targetGroupARN === undefined && tuple.targetGroupName !== undefined)
        tuple.targetGroupARN = await deps.elbv2.targetGroupArnByName(tuple.targetGroupName);
    }
  }
}

export async function reconcileStack(
  deps: StacksDeps,
  key: string,
  cause: Cause,
  context: PassContext = newPassContext(),
): Promise<StackPass> {
  const parsed = parseStackKey(key);
  if (!parsed) throw new Error(`not a stack key: ${key}`);
  deps.metrics.addMetric(STACKS_METRICS.reconciles, MetricUnit.Count, 1);
  const { build, plan } = await planKey(deps, parsed, context);
  deps.logger.info('stack plan', {
    key,
    changes: summarize(plan.changes),
    plan: deps.planOnly ? plan : undefined,
  });
  await recordErrors(deps, parsed, key, build.memberErrors, plan);
  if (deps.planOnly) return { outcome: 'planned', plan, memberErrors: build.memberErrors };
  if (build.stackErrors.length > 0) return { outcome: 'blocked', plan, memberErrors: build.memberErrors };
  const applied = await applyPlan(deps, plan, key, cause);
  deps.metrics.addMetric(STACKS_METRICS.changes, MetricUnit.Count, applied.calls);
  await writeBindings(deps, parsed, build, plan, applied);
  await writeStatus(deps, parsed, build, plan, applied);
  if (plan.waiting.length > 0) {
    // the new target groups are bound now; the key stays dirty so a later pass moves the rules
    throw new RetryableError(
      `stack ${parsed.stackKey}: ${plan.waiting.map((wait) => wait.message).join('; ')}`,
      {
        subject: { kind: 'Stack', name: parsed.stackKey },
      },
    );
  }
  return {
    outcome: plan.changes.length > 0 ? 'applied' : 'no-change',
    plan,
    memberErrors: build.memberErrors,
  };
}

async function writeBindings(
  deps: StacksDeps,
  parsed: StackKey,
  build: StackBuild,
  plan: StackPlan,
  applied: Applied,
): Promise<void> {
  const { bindings, ownership } = deps.state;
  const events: TargetGroupBoundDetail[] = [];
  const observedAt = new Date(deps.now()).toISOString();
  for (const [id, resource] of Object.entries(build.stack.resources[RESOURCE_TYPES.targetGroup])) {
    const planned = plan.targetGroups[id];
    if (planned === undefined) continue;
    const resolved = resolveRefs(planned, applied.created);
    if (isRef(resolved)) continue;
    const createdNow = [...applied.created.values()].includes(resolved);
    const previous = await bindings.get(resolved);
    const binding: Binding = {
      cluster: parsed.cluster,
      targetGroupArn: resolved,
      stackKey: parsed.stackKey,
      service: {
        namespace: resource.binding.namespace,
        name: resource.binding.serviceRef.name,
        port: resource.binding.serviceRef.port,
      },
      targetType: resource.binding.targetType,
      createdBySlbc: createdNow || (previous?.createdBySlbc ?? false),
      updatedAt: observedAt,
    };
    const same =
      previous !== undefined &&
      JSON.stringify([previous.stackKey, previous.service, previous.targetType, previous.createdBySlbc]) ===
        JSON.stringify([binding.stackKey, binding.service, binding.targetType, binding.createdBySlbc]);
    if (same) continue;
    await bindings.put(binding);
    events.push({
      version: CONTRACT_VERSION,
      cluster: binding.cluster,
      targetGroupArn: binding.targetGroupArn,
      stackKey: binding.stackKey,
      service: binding.service,
      targetType: binding.targetType,
      observedAt,
    });
  }
  for (const arn of applied.deletedTargetGroups) {
    await bindings.delete(arn);
    await ownership.clear(arn);
  }
  if (events.length > 0) {
    await deps.publisher.publish(
      events.map((detail) => ({
        source: INTERNAL_SOURCE,
        detailType: DETAIL_TYPES.TargetGroupBound,
        detail: JSON.stringify(detail),
        resources: [detail.targetGroupArn],
      })),
    );
  }
}

async function writeStatus(
  deps: StacksDeps,
  parsed: StackKey,
  build: StackBuild,
  plan: StackPlan,
  applied: Applied,
): Promise<void> {
  const { status } = deps.state;
  const lbArn = plan.loadBalancer ? resolveRefs(plan.loadBalancer.arn, applied.created) : undefined;
  const hostname = applied.dnsName ?? plan.loadBalancer?.dnsName;
  const members: MemberRef[] = [
    ...build.stack.members,
    // a member in error keeps its rules, so it is still served by this load balancer
    ...build.memberErrors
      .filter((error) => error.kind === 'Ingress')
      .map((error) => ({ kind: error.kind, namespace: error.namespace, name: error.name })),
  ];
  const current = new Set(members.map((member) => `${member.kind}/${member.namespace}/${member.name}`));
  const records = await status.list(parsed.cluster);
  const ours = new Set([...(typeof lbArn === 'string' ? [lbArn] : []), ...applied.deletedLoadBalancers]);
  for (const record of records) {
    if (!ours.has(record.loadBalancerArn) || current.has(`${record.kind}/${record.namespace}/${record.name}`))
      continue;
    await status.delete(parsed.cluster, record.kind, record.namespace, record.name);
    await deps.statusWriter?.setHostname(
      parsed.cluster,
      { kind: record.kind as MemberRef['kind'], namespace: record.namespace, name: record.name },
      undefined,
    );
  }
  if (typeof lbArn !== 'string' || !hostname) return;
  const known = new Map(
    records.map((record) => [`${record.kind}/${record.namespace}/${record.name}`, record]),
  );
  for (const member of build.stack.members) {
    const previous = known.get(`${member.kind}/${member.namespace}/${member.name}`);
    if (previous?.hostname === hostname && previous.loadBalancerArn === lbArn) continue;
    await status.put(parsed.cluster, member.kind, member.namespace, member.name, {
      hostname,
      loadBalancerArn: lbArn,
    });
    await deps.statusWriter?.setHostname(parsed.cluster, member, hostname);
  }
}

async function recordErrors(
  deps: StacksDeps,
  parsed: StackKey,
  key: string,
  memberErrors: readonly MemberError[],
  plan: StackPlan,
): Promise<void> {
  const { errors } = deps.state;
  const stackName = parsed.kind === 'ingress' ? parsed.group : `${parsed.namespace}/${parsed.name}`;
  const stackKind = parsed.kind === 'ingress' ? 'IngressGroup' : 'ServiceStack';
  const wanted: Omit<RecordedError, 'at'>[] = [
    ...memberErrors.map((error) => ({
      cluster: parsed.cluster,
      kind: error.kind,
      namespace: error.namespace,
      name: error.name,
      field: error.field,
      message: error.message,
      key,
    })),
    ...plan.errors.map((error) => ({
      cluster: parsed.cluster,
      kind: stackKind,
      name: stackName,
      field: error.field,
      message: error.message,
      key,
    })),
  ];
  const identity = (e: Pick<RecordedError, 'kind' | 'namespace' | 'name'>) =>
    `${e.kind}/${e.namespace ?? ''}/${e.name}`;
  const previous = await errors.listForKey(parsed.cluster, key);
  const before = new Map(previous.map((error) => [identity(error), error]));
  for (const error of wanted) {
    const old = before.get(identity(error));
    if (old?.message === error.message && old.field === error.field) continue;
    await errors.record(error);
  }
  if (memberErrors.length > 0)
    deps.metrics.addMetric(STACKS_METRICS.memberErrors, MetricUnit.Count, memberErrors.length);
  const now = new Set(wanted.map(identity));
  for (const error of previous) if (!now.has(identity(error))) await errors.clear(error);
}
