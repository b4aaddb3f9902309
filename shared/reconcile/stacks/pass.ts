import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { RetryableError } from '../../errors.js';
import type { Ingress, IngressClass, Service } from '../../k8s/objects.js';
import { buildIngressGroupStack } from '../../model/ingress/build.js';
import { type IngressGroupId, loadIngressGroup } from '../../model/ingress/group.js';
import type { DiscoveredSubnet, ModelEnvironment } from '../../model/inputs.js';
import { buildServiceStack } from '../../model/service/build.js';
import type { Action, MemberError, MemberRef, StackBuild } from '../../model/stack.js';
import { RESOURCE_IDS, RESOURCE_TYPES } from '../../model/stack.js';
import { TAG_KEYS } from '../../model/tags.js';
import { planStack } from '../../plan/stack.js';
import type { ActualStack } from '../../plan/stack-actual.js';
import { type StackPlan, summarize } from '../../plan/stack-changes.js';
import type { Cause } from '../../state/index.js';
import { parseStackKey, type StackKey } from '../../state/keys.js';
import { applyPlan } from './apply.js';
import { recordErrors, writeBindings, writeStatus } from './outputs.js';
import { STACKS_METRICS, type StacksDeps } from './ports.js';

/**
 * One reconcile pass for one stack key (an Ingress group or a Service):
 *
 *   mirror → discover (VPC, subnets) → actual (by tags) → model → plan → apply
 *          → bindings + Target Group Bound events → status → member errors
 *
 * Member errors are recorded against their Ingress and cleared once fixed; the rest of the group
 * is applied. A failed AWS call throws (the key stays dirty); the next pass re-plans from AWS.
 */
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
