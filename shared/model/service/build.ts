import type { Service } from '../../k8s/objects.js';
import { parseString } from '../annotations/parse.js';
import { unsupportedServiceAnnotation } from '../annotations/supported.js';
import { attributesOf } from '../attributes.js';
import { serviceDeletionProtected } from '../deletion-protection.js';
import { isCidr } from '../ingress/listen-ports.js';
import type { ModelEnvironment } from '../inputs.js';
import { DEFAULT_SSL_POLICY } from '../inputs.js';
import { namespacedName, nlbTargetGroupName } from '../names.js';
import { resolveSecurityGroups } from '../security-groups.js';
import type { MemberError, Ref, Stack, StackBuild } from '../stack.js';
import { emptyResources, RESOURCE_IDS, RESOURCE_TYPES, ref } from '../stack.js';
import { discoverSubnets, resolveSubnetAnnotation } from '../subnets.js';
import { TAG_KEYS } from '../tags.js';
import { certificateArnProblem } from '../validate/arn.js';
import { targetGroupAttributeProblem } from '../validate/attributes.js';
import { isClaimedService, serviceKey } from './claim.js';
import { managedIngress, planPorts } from './ports.js';
import {
  type Read,
  readHealthCheck,
  readIpAddressType,
  readList,
  readMap,
  readScheme,
  readTargetType,
} from './settings.js';

/**
 * A LoadBalancer Service to its NLB stack (pkg/service/model_builder.go): one listener and one target
 * group per Service port, TLS where ssl-cert/ssl-ports say, a managed security group open to the
 * source ranges. A Service that is not claimed (or is gone) gives an empty stack: delete. A claimed
 * Service with bad input gives its error and a stack error, so the plan leaves the NLB alone.
 */

export interface ServiceInput {
  env: ModelEnvironment;
  /** namespace/name of the stack, so a deleted Service still names the stack to empty */
  id: { namespace: string; name: string };
  /** absent when the Service was deleted */
  service?: Service;
}

const MANAGED_SG_DESCRIPTION = '[k8s] Managed SecurityGroup for LoadBalancer';

export function buildServiceStack(input: ServiceInput): StackBuild {
  const { env, service } = input;
  const id = `${input.id.namespace}/${input.id.name}`;
  const stackTags = { [TAG_KEYS.cluster]: env.clusterName, [TAG_KEYS.serviceStack]: id };
  const stack: Stack = { id, kind: 'service', stackTags, members: [], resources: emptyResources() };
  const protectedDeletion = service ? serviceDeletionProtected(service) : undefined;
  if (protectedDeletion) {
    return {
      stack,
      memberErrors: [protectedDeletion],
      stackErrors: [{ field: protectedDeletion.field, message: protectedDeletion.message }],
    };
  }
  if (!service || !isClaimedService(service, env.config)) return { stack, memberErrors: [], stackErrors: [] };
  const built = fill(stack, service, env);
  if ('error' in built) {
    const error: MemberError = {
      kind: 'Service',
      namespace: input.id.namespace,
      name: input.id.name,
      field: built.field,
      message: `Service ${id} ${built.field}: ${built.error}`,
    };
    const blocked: Stack = { ...stack, resources: emptyResources() };
    return {
      stack: blocked,
      memberErrors: [error],
      stackErrors: [{ field: built.field, message: error.message }],
    };
  }
  stack.members = [{ kind: 'Service', namespace: input.id.namespace, name: input.id.name }];
  return { stack, memberErrors: [], stackErrors: [] };
}

function fill(stack: Stack, service: Service, env: ModelEnvironment): Read<true> {
  const annotations = service.metadata.annotations ?? {};
  const namespace = service.metadata.namespace ?? '';
  const uid = service.metadata.uid ?? '';
  const unsupported = unsupportedServiceAnnotation(annotations);
  if (unsupported) return { error: unsupported.message, field: unsupported.field };
  const targetType = readTargetType(service, env);
  if ('error' in targetType) return targetType;
  const scheme = readScheme(service, env);
  if ('error' in scheme) return scheme;
  const ipAddressType = readIpAddressType(annotations);
  if ('error' in ipAddressType) return ipAddressType;
  const userTags = readMap(annotations, 'aws-load-balancer-additional-resource-tags');
  if ('error' in userTags) return userTags;
  const lbAttributes = readMap(annotations, 'aws-load-balancer-attributes');
  if ('error' in lbAttributes) return lbAttributes;
  const tgAttributes = readMap(annotations, 'aws-load-balancer-target-group-attributes');
  if ('error' in tgAttributes) return tgAttributes;
  const attributeProblem = targetGroupAttributeProblem(tgAttributes.value, 'network');
  if (attributeProblem) {
    return {
      error: attributeProblem,
      field: `metadata.annotations["${serviceKey('aws-load-balancer-target-group-attributes')}"]`,
    };
  }
  const healthCheck = readHealthCheck(service, targetType.value);
  if ('error' in healthCheck) return healthCheck;
  const ports = planPorts(service);
  if ('error' in ports) return ports;
  const name = parseString(annotations, serviceKey('aws-load-balancer-name'));
  if (name !== undefined && name.length > 32) {
    return {
      error: 'load balancer name cannot be longer than 32 characters',
      field: `metadata.annotations["${serviceKey('aws-load-balancer-name')}"]`,
    };
  }
  const subnetIds = chooseSubnets(service, env, scheme.value);
  if ('error' in subnetIds) return subnetIds;
  const sourceRanges =
    service.spec.loadBalancerSourceRanges ?? readList(annotations, 'load-balancer-source-ranges') ?? [];
  const badRange = sourceRanges.find((cidr) => !isCidr(cidr));
  if (badRange !== undefined)
    return { error: `invalid CIDR address: ${badRange}`, field: 'spec.loadBalancerSourceRanges' };

  const tagsFor = (resourceId: string) => ({
    ...userTags.value,
    ...env.defaultTags,
    ...stack.stackTags,
    [TAG_KEYS.serviceResource]: resourceId,
  });
  const resources = stack.resources;
  const explicitGroups = readList(annotations, 'aws-load-balancer-security-groups');
  const securityGroups: (string | Ref)[] = [];
  let trafficSource: string | Ref | undefined;
  // an NLB created without security groups can never get one (SetSecurityGroups refuses): the LBC
  // keeps it without (model_build_load_balancer.go); asking for groups on it is refused, not ignored
  const createdWithoutGroups = env.existingLoadBalancer?.securityGroups?.length === 0;
  if (explicitGroups && createdWithoutGroups) {
    return {
      error:
        'the NLB was created without security groups and AWS cannot add any to it (SetSecurityGroups); remove the annotation, or delete and re-create the Service to get a new NLB with them',
      field: `metadata.annotations["${serviceKey('aws-load-balancer-security-groups')}"]`,
    };
  }
  // adopted as it is (createdWithoutGroups): no managed group and no backend rules from one; the
  // rules the LBC put on the nodes for the NLB's subnets stay as they are
  if (explicitGroups) {
    const resolved = resolveSecurityGroups(explicitGroups, env.securityGroups);
    if ('error' in resolved) {
      return {
        error: resolved.error,
        field: `metadata.annotations["${serviceKey('aws-load-balancer-security-groups')}"]`,
      };
    }
    securityGroups.push(...resolved.ids);
  } else if (!createdWithoutGroups) {
    const managed = ref(RESOURCE_TYPES.securityGroup, RESOURCE_IDS.managedSecurityGroup, 'groupID');
    resources[RESOURCE_TYPES.securityGroup][RESOURCE_IDS.managedSecurityGroup] = {
      spec: {
        groupName: namespacedName(namespace, service.metadata.name, [
          env.clusterName,
          service.metadata.name,
          namespace,
          uid,
        ]),
        description: MANAGED_SG_DESCRIPTION,
        tags: tagsFor(RESOURCE_IDS.managedSecurityGroup),
        ingress: managedIngress(ports.value, sourceRanges, ipAddressType.value === 'dualstack'),
      },
    };
    securityGroups.push(managed);
    if (env.backendSecurityGroupId) securityGroups.push(env.backendSecurityGroupId);
    trafficSource = env.backendSecurityGroupId ?? managed;
  }
  resources[RESOURCE_TYPES.loadBalancer][RESOURCE_IDS.loadBalancer] = {
    spec: {
      name: name ?? namespacedName(namespace, service.metadata.name, [env.clusterName, uid, scheme.value]),
      type: 'network',
      scheme: scheme.value,
      ipAddressType: ipAddressType.value,
      subnetMapping: subnetIds.value.map((subnetID) => ({ subnetID })),
      securityGroups,
      loadBalancerAttributes: attributesOf(lbAttributes.value),
      tags: tagsFor(RESOURCE_IDS.loadBalancer),
    },
  };

  const proxyProtocol = parseString(annotations, serviceKey('aws-load-balancer-proxy-protocol')) === '*';
  const certificates = readList(annotations, 'aws-load-balancer-ssl-cert') ?? [];
  for (const arn of certificates) {
    const problem = certificateArnProblem(arn);
    if (problem) {
      return { error: problem, field: `metadata.annotations["${serviceKey('aws-load-balancer-ssl-cert')}"]` };
    }
  }
  const sslPolicy = parseString(annotations, serviceKey('aws-load-balancer-ssl-negotiation-policy'));
  const alpnPolicy = readList(annotations, 'aws-load-balancer-alpn-policy');
  const lbArn = ref(RESOURCE_TYPES.loadBalancer, RESOURCE_IDS.loadBalancer, 'loadBalancerARN');
  for (const plan of ports.value) {
    const tgPort =
      targetType.value === 'instance' ? plan.port.nodePort : (plan.port.targetPort ?? plan.port.port);
    if (targetType.value === 'instance' && !tgPort) {
      return {
        error: 'unable to support instance target type with an unallocated NodePort',
        field: 'spec.ports',
      };
    }
    const numericPort = typeof tgPort === 'number' ? tgPort : 1;
    const targetGroupId = `${stack.id}:${plan.port.port}`;
    const tgName = nlbTargetGroupName({
      clusterName: env.clusterName,
      serviceNamespace: namespace,
      serviceName: service.metadata.name,
      serviceUid: uid,
      servicePort: plan.port.port,
      targetGroupPort: numericPort,
      targetType: targetType.value,
      protocol: plan.targetProtocol,
      healthCheckProtocol: healthCheck.value.protocol,
      healthCheckInterval: healthCheck.value.intervalSeconds,
    });
    const attributes = { 'proxy_protocol_v2.enabled': String(proxyProtocol), ...tgAttributes.value };
    const trafficPort = tgPort ?? plan.port.port;
    const hcPort = healthCheck.value.port;
    const networkingPorts = [
      { port: trafficPort, protocol: plan.targetProtocol === 'UDP' ? 'UDP' : 'TCP' } as const,
    ];
    const allPorts: { port: number | string; protocol: 'TCP' | 'UDP' }[] = [...networkingPorts];
    if (hcPort !== 'traffic-port' && hcPort !== trafficPort) allPorts.push({ port: hcPort, protocol: 'TCP' });
    resources[RESOURCE_TYPES.targetGroup][targetGroupId] = {
      spec: {
        name: tgName,
        targetType: targetType.value,
        ipAddressType: service.spec.ipFamilies?.[0] === 'IPv6' ? 'ipv6' : 'ipv4',
        port: numericPort,
        protocol: plan.targetProtocol,
        healthCheckConfig: healthCheck.value,
        targetGroupAttributes: attributesOf(attributes),
        tags: tagsFor(targetGroupId),
      },
      binding: {
        name: tgName,
        namespace,
        serviceRef: { name: service.metadata.name, port: plan.port.port },
        targetType: targetType.value,
        targetGroupProtocol: plan.targetProtocol,
        ipAddressType: service.spec.ipFamilies?.[0] === 'IPv6' ? 'ipv6' : 'ipv4',
        vpcID: env.vpcId,
        ...(trafficSource === undefined
          ? {}
          : {
              networking: {
                ingress: allPorts.map((entry) => ({
                  from: [{ securityGroup: { groupID: trafficSource } }],
                  ports: [entry],
                })),
              },
            }),
      },
      source: { kind: 'Service', namespace, name: service.metadata.name },
    };
    const listenerId = String(plan.port.port);
    resources[RESOURCE_TYPES.listener][listenerId] = {
      spec: {
        loadBalancerARN: lbArn,
        port: plan.port.port,
        protocol: plan.listenerProtocol,
        defaultActions: [
          {
            type: 'forward',
            forwardConfig: {
              targetGroups: [
                { targetGroupARN: ref(RESOURCE_TYPES.targetGroup, targetGroupId, 'targetGroupARN') },
              ],
            },
          },
        ],
        ...(plan.listenerProtocol === 'TLS'
          ? {
              certificates: certificates.map((certificateARN) => ({ certificateARN })),
              sslPolicy: sslPolicy ?? env.defaultSslPolicy ?? DEFAULT_SSL_POLICY,
              ...(alpnPolicy ? { alpnPolicy } : {}),
            }
          : {}),
        tags: tagsFor(listenerId),
      },
    };
  }
  return { value: true };
}

function chooseSubnets(
  service: Service,
  env: ModelEnvironment,
  scheme: 'internal' | 'internet-facing',
): Read<string[]> {
  const field = `metadata.annotations["${serviceKey('aws-load-balancer-subnets')}"]`;
  const named = readList(service.metadata.annotations ?? {}, 'aws-load-balancer-subnets');
  const choice = named
    ? resolveSubnetAnnotation(named, env.subnets, 1)
    : env.existingLoadBalancer?.scheme === scheme
      ? { subnetIds: env.existingLoadBalancer.subnetIds }
      : discoverSubnets(env.subnets, scheme, env.clusterName, 1);
  if ('error' in choice) return { error: choice.error, field: named ? field : 'subnets' };
  return { value: choice.subnetIds };
}
