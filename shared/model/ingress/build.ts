import type { Service } from '../../k8s/objects.js';
import { attributesOf } from '../attributes.js';
import { ingressDeletionProtected } from '../deletion-protection.js';
import type { ModelEnvironment } from '../inputs.js';
import { DEFAULT_RULE_QUOTA, DEFAULT_SSL_POLICY, DEFAULT_TARGET_GROUP_QUOTA } from '../inputs.js';
import { ingressGroupResourceName } from '../names.js';
import type {
  Action,
  IpPermission,
  ListenerResource,
  MemberError,
  Ref,
  Stack,
  StackBuild,
  StackError,
  TargetGroupResource,
} from '../stack.js';
import { emptyResources, RESOURCE_IDS, RESOURCE_TYPES, ref } from '../stack.js';
import { discoverSubnets } from '../subnets.js';
import { TAG_KEYS } from '../tags.js';
import type { MemberContext } from './backend.js';
import { groupChecks } from './checks.js';
import { groupIdString, type IngressGroup } from './group.js';
import { buildMemberContribution, type MemberContribution, type MemberRule } from './member.js';
import { type MergedGroup, mergeMembers } from './merge.js';
import { optimizeRules } from './rule-optimizer.js';
import { claimConflicts, namespaceTenancy } from './tenancy.js';

/**
 * An Ingress group to its ALB stack (pkg/ingress/model_builder.go). Members are built one by one;
 * a member with bad input, a conflicting group setting, or rules beyond the quota is reported and
 * left out, and the group is built from the rest. Never throws for bad input.
 */

export interface IngressGroupInput {
  env: ModelEnvironment;
  group: IngressGroup;
  /**
   * The Services the members may reference (looked up by namespace/name). Pass the Map from
   * `indexServices` when building many groups, so the index is built once.
   */
  services: readonly Service[] | ReadonlyMap<string, Service>;
}

export function indexServices(services: readonly Service[]): ReadonlyMap<string, Service> {
  return new Map(
    services.map((service) => [`${service.metadata.namespace ?? ''}/${service.metadata.name}`, service]),
  );
}

const MANAGED_SG_DESCRIPTION = '[k8s] Managed SecurityGroup for LoadBalancer';

export function buildIngressGroupStack(input: IngressGroupInput): StackBuild {
  const { env, group } = input;
  const id = groupIdString(group.id);
  const stackTags = { [TAG_KEYS.cluster]: env.clusterName, [TAG_KEYS.ingressStack]: id };
  const services =
    input.services instanceof Map ? input.services : indexServices(input.services as readonly Service[]);
  const memberErrors: MemberError[] = [...group.memberErrors];
  let contributions: MemberContribution[] = [];
  const tenants =
    group.id.namespace === ''
      ? namespaceTenancy(group.id.name, group.members, env.groupNamespaces ?? 'same')
      : { members: group.members, memberErrors: [] };
  memberErrors.push(...tenants.memberErrors);
  for (const ingress of tenants.members) {
    const context: MemberContext = {
      env,
      groupId: id,
      stackTags,
      ingress,
      services,
      builtTargetGroups: new Map(),
    };
    const built = buildMemberContribution(context);
    if ('error' in built) memberErrors.push(built.error);
    else contributions.push(built.value);
  }
  const claimed = claimConflicts(contributions);
  memberErrors.push(...claimed.memberErrors);
  contributions = claimed.kept;

  // merge, then refuse members that break a group-wide check; repeat on the rest until stable
  let merged: MergedGroup;
  for (;;) {
    const attempt = mergeMembers(contributions);
    const refused = groupChecks(attempt.group, {
      rules: env.ruleQuota ?? DEFAULT_RULE_QUOTA,
      targetGroups: env.targetGroupQuota ?? DEFAULT_TARGET_GROUP_QUOTA,
    });
    if (refused.length === 0) {
      memberErrors.push(...attempt.memberErrors);
      merged = attempt.group;
      break;
    }
    memberErrors.push(...refused);
    const refusedKeys = new Set(refused.map((error) => `${error.namespace}/${error.name}`));
    contributions = contributions.filter(
      (member) => !refusedKeys.has(`${member.ref.namespace}/${member.ref.name}`),
    );
  }

  const stack: Stack = { id, kind: 'ingress', stackTags, members: [], resources: emptyResources() };
  const stackErrors: StackError[] = [];
  if (merged.members.length === 0) {
    if (group.members.length > 0 || memberErrors.length > 0) {
      // every member failed (or its class is missing): an empty stack would delete the ALB, so block instead
      stackErrors.push({ field: 'members', message: `no member of Ingress group ${id} could be modelled` });
    } else {
      const protectedLeavers = ingressDeletionProtected(group.leaving ?? []);
      memberErrors.push(...protectedLeavers);
      if (protectedLeavers.length > 0) {
        stackErrors.push({
          field: 'members',
          message: protectedLeavers.map((error) => error.message).join('; '),
        });
      }
    }
    return { stack, memberErrors, stackErrors };
  }
  stack.members = merged.members.map((member) => member.ref);
  assemble(stack, merged, env, group.id, stackErrors);
  return { stack, memberErrors, stackErrors };
}

function assemble(
  stack: Stack,
  merged: MergedGroup,
  env: ModelEnvironment,
  idParts: IngressGroup['id'],
  stackErrors: StackError[],
): void {
  const groupId = stack.id;
  const scheme = merged.scalars.scheme?.value.value ?? env.config.defaultScheme;
  const ipAddressType = merged.scalars.ipAddressType?.value.value ?? 'ipv4';
  const tagsFor = (resourceId: string, user: Record<string, string>) => ({
    ...user,
    ...env.defaultTags,
    ...stack.stackTags,
    [TAG_KEYS.ingressResource]: resourceId,
  });
  const groupUserTags = Object.fromEntries([...merged.tags].map(([key, provided]) => [key, provided.value]));

  let subnetIds = merged.scalars.subnetIds?.value.value;
  if (!subnetIds && env.existingLoadBalancer?.scheme === scheme)
    subnetIds = env.existingLoadBalancer.subnetIds;
  if (!subnetIds) {
    const discovered = discoverSubnets(env.subnets, scheme, env.clusterName, 2);
    if ('error' in discovered) stackErrors.push({ field: 'subnets', message: discovered.error });
    else subnetIds = discovered.subnetIds;
  }

  const resources = stack.resources;
  const explicitGroups = merged.scalars.securityGroups?.value.value;
  const securityGroups: (string | Ref)[] = [];
  let trafficSource: string | Ref | undefined;
  if (explicitGroups) {
    securityGroups.push(...explicitGroups);
  } else {
    const managed = ref(RESOURCE_TYPES.securityGroup, RESOURCE_IDS.managedSecurityGroup, 'groupID');
    resources[RESOURCE_TYPES.securityGroup][RESOURCE_IDS.managedSecurityGroup] = {
      spec: {
        groupName: ingressGroupResourceName(idParts, [env.clusterName, groupId]),
        description: MANAGED_SG_DESCRIPTION,
        tags: tagsFor(RESOURCE_IDS.managedSecurityGroup, groupUserTags),
        ingress: managedIngress(merged, ipAddressType !== 'ipv4'),
      },
    };
    securityGroups.push(managed);
    if (env.backendSecurityGroupId) securityGroups.push(env.backendSecurityGroupId);
    trafficSource = env.backendSecurityGroupId ?? managed;
  }

  resources[RESOURCE_TYPES.loadBalancer][RESOURCE_IDS.loadBalancer] = {
    spec: {
      name:
        merged.scalars.loadBalancerName?.value.value ??
        ingressGroupResourceName(idParts, [env.clusterName, groupId, scheme]),
      type: 'application',
      scheme,
      ipAddressType,
      subnetMapping: (subnetIds ?? []).map((subnetID) => ({ subnetID })),
      securityGroups,
      loadBalancerAttributes: attributesOf(
        Object.fromEntries(
          [...merged.loadBalancerAttributes].map(([key, provided]) => [key, provided.value]),
        ),
      ),
      tags: tagsFor(RESOURCE_IDS.loadBalancer, groupUserTags),
      ...(merged.scalars.wafv2AclArn ? { wafv2AclArn: merged.scalars.wafv2AclArn.value.value } : {}),
      ...(merged.scalars.shieldAdvancedProtection
        ? { shieldAdvancedProtection: merged.scalars.shieldAdvancedProtection.value.value }
        : {}),
    },
  };

  const sslRedirectPort = merged.scalars.sslRedirectPort?.value.value;
  const targetGroups = resources[RESOURCE_TYPES.targetGroup];
  const addTargetGroups = (list: readonly { id: string; resource: TargetGroupResource }[]) => {
    for (const { id, resource } of list) {
      if (!targetGroups[id]) targetGroups[id] = withTrafficSource(resource, trafficSource);
    }
  };
  const lbArn = ref(RESOURCE_TYPES.loadBalancer, RESOURCE_IDS.loadBalancer, 'loadBalancerARN');
  for (const listener of [...merged.ports.values()].sort((a, b) => a.port - b.port)) {
    const listenerId = String(listener.port);
    const redirects = sslRedirectPort !== undefined && listener.protocol === 'HTTP';
    let defaultActions: Action[] = [
      { type: 'fixed-response', fixedResponseConfig: { contentType: 'text/plain', statusCode: '404' } },
    ];
    if (redirects) {
      defaultActions = [
        {
          type: 'redirect',
          redirectConfig: { port: String(sslRedirectPort), protocol: 'HTTPS', statusCode: 'HTTP_301' },
        },
      ];
    } else if (listener.defaultBackend) {
      const { action, auth } = listener.defaultBackend.value;
      defaultActions = auth && listener.protocol === 'HTTPS' ? [auth, action] : [action];
      addTargetGroups(listener.defaultBackend.value.targetGroups);
    }
    const spec: ListenerResource['spec'] = {
      loadBalancerARN: lbArn,
      port: listener.port,
      protocol: listener.protocol,
      defaultActions,
      tags: tagsFor(listenerId, groupUserTags),
    };
    if (listener.attributes.size > 0) {
      spec.listenerAttributes = attributesOf(
        Object.fromEntries([...listener.attributes].map(([key, provided]) => [key, provided.value])),
      );
    }
    if (listener.protocol === 'HTTPS') {
      spec.certificates = listener.certificateArns.map((certificateARN) => ({ certificateARN }));
      spec.sslPolicy = listener.sslPolicy?.value ?? env.defaultSslPolicy ?? DEFAULT_SSL_POLICY;
    }
    resources[RESOURCE_TYPES.listener][listenerId] = { spec };
    if (redirects) continue;

    const candidates: (MemberRule & { member: MemberContribution })[] = [];
    for (const member of listener.members) {
      for (const rule of member.rules) {
        const actions =
          rule.auth && listener.protocol === 'HTTPS' ? [rule.auth, ...rule.actions] : rule.actions;
        candidates.push({ ...rule, actions, member });
      }
    }
    const listenerArn = ref(RESOURCE_TYPES.listener, listenerId, 'listenerARN');
    for (const rule of candidates) addTargetGroups(rule.targetGroups);
    for (const [index, rule] of optimizeRules(candidates, listener.port, listener.protocol).entries()) {
      const priority = index + 1;
      const ruleId = `${listener.port}:${priority}`;
      resources[RESOURCE_TYPES.listenerRule][ruleId] = {
        spec: {
          listenerARN: listenerArn,
          priority,
          actions: rule.actions,
          conditions: rule.conditions,
          tags: tagsFor(ruleId, rule.member.tags),
        },
        source: rule.member.ref,
      };
    }
  }
}

function withTrafficSource(
  resource: TargetGroupResource,
  source: string | Ref | undefined,
): TargetGroupResource {
  const networking = resource.binding.networking;
  if (!networking) return resource;
  if (source === undefined) {
    // security groups named by the user: the LBC leaves node security group rules alone then
    const { networking: _dropped, ...binding } = resource.binding;
    return { ...resource, binding };
  }
  return {
    ...resource,
    binding: {
      ...resource.binding,
      networking: {
        ingress: networking.ingress.map((rule) => ({
          ...rule,
          from: [{ securityGroup: { groupID: source } }],
        })),
      },
    },
  };
}

/** One permission per listen port and CIDR; 0.0.0.0/0 (and ::/0 when dual-stack) when a port names none. */
function managedIngress(merged: MergedGroup, dualstack: boolean): IpPermission[] {
  const permissions: IpPermission[] = [];
  for (const listener of [...merged.ports.values()].sort((a, b) => a.port - b.port)) {
    const cidrs = listener.inboundCidrs?.value ?? (dualstack ? ['0.0.0.0/0', '::/0'] : ['0.0.0.0/0']);
    for (const cidr of cidrs) {
      const v6 = cidr.includes(':');
      if (v6 && !dualstack) continue;
      permissions.push({
        ipProtocol: 'tcp',
        fromPort: listener.port,
        toPort: listener.port,
        ...(v6 ? { ipv6Ranges: [{ cidrIPv6: cidr }] } : { ipRanges: [{ cidrIP: cidr }] }),
      });
    }
  }
  return permissions;
}
