import type { Ec2Stacks } from '../../aws/ec2-stacks.js';
import type { ClientCredentials, Elbv2Stacks } from '../../aws/elbv2-stacks.js';
import type { LoadBalancerAddons } from '../../aws/lb-addons.js';
import { configForCluster } from '../../config.js';
import type { Ingress, IngressClass, Kind, ObjectsByKind, Service } from '../../k8s/objects.js';
import { buildIngressGroupStack } from '../../model/ingress/build.js';
import { type IngressGroupId, loadIngressGroup } from '../../model/ingress/group.js';
import type { DiscoveredSubnet, ModelEnvironment } from '../../model/inputs.js';
import { buildServiceStack } from '../../model/service/build.js';
import type { Action, MemberRef, StackBuild } from '../../model/stack.js';
import { RESOURCE_IDS, RESOURCE_TYPES } from '../../model/stack.js';
import { TAG_KEYS } from '../../model/tags.js';
import { planStack } from '../../plan/stack.js';
import type { ActualStack } from '../../plan/stack-actual.js';
import type { StackPlan } from '../../plan/stack-changes.js';
import type { StackKey } from '../../state/keys.js';
import { readAddonState } from './addons-read.js';
import { type ClassParamsSource, readClassParams } from './class-params-source.js';
import { resolveOidcSecrets, type SecretSource } from './oidc-secrets.js';
import type { StacksDeps } from './ports.js';

/**
 * Build the desired stack and plan it against AWS, reading only: the one code path behind the
 * stacks function's pass, its dry run, the local convergence check and `slbc plan`. The objects
 * come from a narrow source (the DynamoDB mirror in the function, the Kubernetes API or manifest
 * files in the CLI); ELBv2 and EC2 are reached through their read calls only.
 */
export interface StackObjects {
  listObjects<K extends Kind>(cluster: string, kind: K, namespace?: string): Promise<ObjectsByKind[K][]>;
  getObject<K extends Kind>(
    cluster: string,
    kind: K,
    namespace: string | undefined,
    name: string,
  ): Promise<ObjectsByKind[K] | undefined>;
}

export interface StackReadPorts {
  objects: StackObjects;
  elbv2: Pick<Elbv2Stacks, 'findStack' | 'targetGroupArnByName'> &
    Partial<Pick<Elbv2Stacks, 'listenerAttributes'>>;
  /** WAFv2 and Shield reads, when the model asks for them (addons-read.ts) */
  addons?: LoadBalancerAddons;
  /** OIDC client credentials Secrets through the Kubernetes API (oidc-secrets.ts) */
  secrets?: SecretSource;
  /** IngressClassParams and namespace labels through the Kubernetes API (class-params-source.ts) */
  classParams?: ClassParamsSource;
  ec2: Pick<Ec2Stacks, 'subnets' | 'findSecurityGroups' | 'securityGroupsOfVpc'>;
  clusterVpc(cluster: string): Promise<string>;
  config: StacksDeps['config'];
}

/** Caches for one invocation: subnets do not change between the keys of one event. */
export interface PassContext {
  subnets: Map<string, Promise<DiscoveredSubnet[]>>;
  /** a pass that applies re-sends OIDC client secrets, as the LBC does; dry runs do not */
  resendClientSecrets?: boolean;
}

export function newPassContext(): PassContext {
  return { subnets: new Map() };
}

export interface PlannedStack {
  build: StackBuild;
  actual: ActualStack;
  plan: StackPlan;
  /** OIDC client credentials for the apply only: never logged, never in the plan */
  credentials: ClientCredentials;
}

function groupIdOf(group: string): IngressGroupId {
  const slash = group.indexOf('/');
  return slash < 0
    ? { namespace: '', name: group }
    : { namespace: group.slice(0, slash), name: group.slice(slash + 1) };
}

/** The tags that say a load balancer, target group or security group belongs to this stack. */
export function stackTagsOf(parsed: StackKey): Record<string, string> {
  return parsed.kind === 'ingress'
    ? { [TAG_KEYS.cluster]: parsed.cluster, [TAG_KEYS.ingressStack]: parsed.group }
    : { [TAG_KEYS.cluster]: parsed.cluster, [TAG_KEYS.serviceStack]: `${parsed.namespace}/${parsed.name}` };
}

/** Reads the model inputs and AWS, builds and plans; changes nothing. */
export async function planStackKey(
  ports: StackReadPorts,
  parsed: StackKey,
  context: PassContext = newPassContext(),
): Promise<PlannedStack> {
  const { cluster } = parsed;
  const config = configForCluster(ports.config, cluster);
  const vpcId = await ports.clusterVpc(cluster);
  const stackTags = stackTagsOf(parsed);
  let subnets = context.subnets.get(vpcId);
  if (!subnets) {
    subnets = ports.ec2.subnets(vpcId);
    context.subnets.set(vpcId, subnets);
  }
  const [found, securityGroups, subnetList] = await Promise.all([
    ports.elbv2.findStack(stackTags),
    ports.ec2.findSecurityGroups(stackTags),
    subnets,
  ]);
  const actual: ActualStack = { ...found, securityGroups };
  const resourceTag = parsed.kind === 'ingress' ? TAG_KEYS.ingressResource : TAG_KEYS.serviceResource;
  const existing = actual.loadBalancers.find((lb) => lb.tags[resourceTag] === RESOURCE_IDS.loadBalancer);
  const env: ModelEnvironment = {
    clusterName: cluster,
    vpcId,
    subnets: subnetList,
    config,
    groupNamespaces: config.groupNamespaces,
    defaultTags: config.defaultTags,
    ...(ports.config.ruleQuota === undefined ? {} : { ruleQuota: ports.config.ruleQuota }),
    ...(existing
      ? {
          existingLoadBalancer: {
            scheme: existing.scheme,
            subnetIds: existing.subnetIds,
            securityGroups: existing.securityGroups,
          },
        }
      : {}),
  };
  let build: StackBuild;
  if (parsed.kind === 'ingress') {
    const { objects } = ports;
    const [ingresses, classes] = await Promise.all([
      objects.listObjects(cluster, 'Ingress') as Promise<Ingress[]>,
      objects.listObjects(cluster, 'IngressClass') as Promise<IngressClass[]>,
    ]);
    const id = groupIdOf(parsed.group);
    const paramsContext = await readClassParams(ports.classParams, cluster, id, ingresses, classes);
    const group = loadIngressGroup(id, ingresses, classes, config, paramsContext);
    const namespaces = [...new Set(group.members.map((member) => member.metadata.namespace ?? ''))];
    const services = (
      await Promise.all(
        namespaces.map((ns) => objects.listObjects(cluster, 'Service', ns) as Promise<Service[]>),
      )
    ).flat();
    if (
      group.members.some(
        (member) => member.metadata.annotations?.['alb.ingress.kubernetes.io/security-groups'],
      )
    )
      env.securityGroups = await ports.ec2.securityGroupsOfVpc(vpcId);
    build = buildIngressGroupStack({ env, group, services });
  } else {
    const service = (await ports.objects.getObject(cluster, 'Service', parsed.namespace, parsed.name)) as
      | Service
      | undefined;
    build = buildServiceStack({
      env,
      id: { namespace: parsed.namespace, name: parsed.name },
      ...(service ? { service } : {}),
    });
  }
  await resolveTargetGroupNames(ports, build);
  const credentials = await resolveOidcSecrets(ports.secrets, cluster, build);
  const addons = await readAddonState(ports, build, actual, resourceTag);
  const membersInError: MemberRef[] = build.memberErrors
    .filter((error) => error.kind === 'Ingress')
    .map((error) => ({ kind: 'Ingress', namespace: error.namespace, name: error.name }));
  const plan = planStack(build, actual, {
    vpcId,
    membersInError,
    ...(ports.config.ruleQuota === undefined ? {} : { ruleQuota: ports.config.ruleQuota }),
    ...addons,
    ...(context.resendClientSecrets ? { resendClientSecrets: true } : {}),
  });
  return { build, actual, plan, credentials };
}

/** actions.* annotations may name a target group: the plan needs its ARN. */
async function resolveTargetGroupNames(ports: StackReadPorts, build: StackBuild): Promise<void> {
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
        tuple.targetGroupARN = await ports.elbv2.targetGroupArnByName(tuple.targetGroupName);
    }
  }
}
