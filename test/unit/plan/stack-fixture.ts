import type { Stack } from '../../../shared/model/stack.js';
import { emptyResources, RESOURCE_TYPES, ref } from '../../../shared/model/stack.js';
import { TAG_KEYS } from '../../../shared/model/tags.js';
import { memberKey } from '../../../shared/plan/stack.js';
import { type ActualStack, emptyActual } from '../../../shared/plan/stack-actual.js';
import { refPath, resolveRefs } from '../../../shared/plan/stack-changes.js';

/**
 * A small but complete ALB stack (managed security group, one target group, load balancer,
 * HTTP listener, one rule) and the account a deploy of it leaves behind, for diff tests:
 * a test changes one side and reads the plan.
 */
export const VPC = 'vpc-1';
export const STACK_TAGS = { [TAG_KEYS.cluster]: 'demo', [TAG_KEYS.ingressStack]: 'shop' };
const resourceTags = (id: string) => ({ ...STACK_TAGS, [TAG_KEYS.ingressResource]: id });
export const TG_ID = 'shop/front-web:80';

export function desiredStack(): Stack {
  const resources = emptyResources();
  resources[RESOURCE_TYPES.securityGroup]['ManagedLBSecurityGroup'] = {
    spec: {
      groupName: 'k8s-shop-sg',
      description: 'managed',
      tags: resourceTags('ManagedLBSecurityGroup'),
      ingress: [{ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIP: '10.0.0.0/8' }] }],
    },
  };
  resources[RESOURCE_TYPES.targetGroup][TG_ID] = {
    spec: {
      name: 'k8s-shop-web',
      targetType: 'ip',
      ipAddressType: 'ipv4',
      port: 8080,
      protocol: 'HTTP',
      protocolVersion: 'HTTP1',
      healthCheckConfig: {
        port: 'traffic-port',
        protocol: 'HTTP',
        path: '/',
        matcher: { httpCode: '200' },
        intervalSeconds: 15,
        timeoutSeconds: 5,
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
      },
      targetGroupAttributes: [{ key: 'deregistration_delay.timeout_seconds', value: '30' }],
      tags: resourceTags(TG_ID),
    },
    binding: {
      name: 'k8s-shop-web',
      namespace: 'shop',
      serviceRef: { name: 'web', port: 80 },
      targetType: 'ip',
      targetGroupProtocol: 'HTTP',
      ipAddressType: 'ipv4',
      vpcID: VPC,
    },
    source: { kind: 'Ingress', namespace: 'shop', name: 'front' },
  };
  resources[RESOURCE_TYPES.loadBalancer]['LoadBalancer'] = {
    spec: {
      name: 'k8s-shop',
      type: 'application',
      scheme: 'internal',
      ipAddressType: 'ipv4',
      subnetMapping: [{ subnetID: 's-1' }, { subnetID: 's-2' }],
      securityGroups: [ref(RESOURCE_TYPES.securityGroup, 'ManagedLBSecurityGroup', 'groupID')],
      loadBalancerAttributes: [{ key: 'idle_timeout.timeout_seconds', value: '60' }],
      tags: resourceTags('LoadBalancer'),
    },
  };
  resources[RESOURCE_TYPES.listener]['80'] = {
    spec: {
      loadBalancerARN: ref(RESOURCE_TYPES.loadBalancer, 'LoadBalancer', 'loadBalancerARN'),
      port: 80,
      protocol: 'HTTP',
      defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }],
      tags: resourceTags('80'),
    },
  };
  resources[RESOURCE_TYPES.listenerRule]['80:1'] = {
    spec: {
      listenerARN: ref(RESOURCE_TYPES.listener, '80', 'listenerARN'),
      priority: 1,
      actions: [
        {
          type: 'forward',
          forwardConfig: {
            targetGroups: [{ targetGroupARN: ref(RESOURCE_TYPES.targetGroup, TG_ID, 'targetGroupARN') }],
          },
        },
      ],
      conditions: [{ field: 'path-pattern', pathPatternConfig: { values: ['/web'] } }],
      tags: resourceTags('80:1'),
    },
    source: { kind: 'Ingress', namespace: 'shop', name: 'front' },
  };
  return { id: 'shop', kind: 'ingress', stackTags: STACK_TAGS, members: [], resources };
}

/** The account after a deploy of `stack`: made-up ARNs, every Ref resolved, AWS's own attributes too. */
export function deployedActual(stack: Stack): ActualStack {
  const actual = emptyActual();
  const known = new Map<string, string>();
  const res = stack.resources;
  for (const [id, { spec }] of Object.entries(res[RESOURCE_TYPES.securityGroup])) {
    const groupId = `sg-${id}`;
    known.set(refPath(RESOURCE_TYPES.securityGroup, id, 'groupID'), groupId);
    actual.securityGroups.push({
      groupId,
      groupName: spec.groupName,
      tags: { ...spec.tags },
      ingress: structuredClone(spec.ingress),
    });
  }
  for (const [id, { spec }] of Object.entries(res[RESOURCE_TYPES.targetGroup])) {
    const arn = `arn:tg/${spec.name}`;
    known.set(refPath(RESOURCE_TYPES.targetGroup, id, 'targetGroupARN'), arn);
    actual.targetGroups.push({
      arn,
      name: spec.name,
      targetType: spec.targetType,
      protocol: spec.protocol,
      ...(spec.protocolVersion ? { protocolVersion: spec.protocolVersion } : {}),
      port: spec.port,
      vpcId: VPC,
      ipAddressType: spec.ipAddressType,
      healthCheck: structuredClone(spec.healthCheckConfig),
      // AWS reports every attribute, defaults included
      attributes: {
        'stickiness.enabled': 'false',
        ...Object.fromEntries(spec.targetGroupAttributes.map((a) => [a.key, a.value])),
      },
      tags: { ...spec.tags },
    });
  }
  for (const [id, resource] of Object.entries(res[RESOURCE_TYPES.loadBalancer])) {
    const arn = `arn:lb/${resource.spec.name}`;
    known.set(refPath(RESOURCE_TYPES.loadBalancer, id, 'loadBalancerARN'), arn);
    const spec = resolveRefs(resource.spec, known);
    actual.loadBalancers.push({
      arn,
      name: spec.name,
      type: spec.type,
      scheme: spec.scheme,
      ipAddressType: spec.ipAddressType,
      dnsName: `${spec.name}.local`,
      subnetIds: spec.subnetMapping.map((mapping) => mapping.subnetID),
      securityGroups: spec.securityGroups.map(String),
      attributes: {
        'deletion_protection.enabled': 'false',
        'routing.http2.enabled': 'true',
        ...Object.fromEntries(spec.loadBalancerAttributes.map((a) => [a.key, a.value])),
      },
      tags: { ...spec.tags },
    });
  }
  for (const [id, resource] of Object.entries(res[RESOURCE_TYPES.listener])) {
    const spec = resolveRefs(resource.spec, known);
    const arn = `arn:listener/${id}`;
    known.set(refPath(RESOURCE_TYPES.listener, id, 'listenerARN'), arn);
    actual.listeners.push({
      arn,
      loadBalancerArn: String(spec.loadBalancerARN),
      port: spec.port,
      protocol: spec.protocol,
      defaultActions: structuredClone(spec.defaultActions),
      certificates: (spec.certificates ?? []).map((certificate) => certificate.certificateARN),
      ...(spec.sslPolicy ? { sslPolicy: spec.sslPolicy } : {}),
    });
  }
  for (const [id, resource] of Object.entries(res[RESOURCE_TYPES.listenerRule])) {
    const spec = resolveRefs(resource.spec, known);
    actual.rules.push({
      arn: `arn:rule/${id}`,
      listenerArn: String(spec.listenerARN),
      priority: spec.priority,
      actions: structuredClone(spec.actions),
      conditions: structuredClone(spec.conditions),
      tags: { ...spec.tags, [TAG_KEYS.member]: memberKey(resource.source) },
    });
  }
  return actual;
}
