import { describe, expect, it } from 'vitest';
import type { Service } from '../../../shared/k8s/objects.js';
import { buildServiceStack } from '../../../shared/model/service/build.js';
import { isClaimedService } from '../../../shared/model/service/claim.js';
import { environment } from './helpers.js';

const NLB = 'service.beta.kubernetes.io';

function loadBalancerService(
  annotations: Record<string, string> = {},
  spec: Partial<Service['spec']> = {},
): Service {
  return {
    metadata: { namespace: 'default', name: 'web', uid: 'uid-1', annotations },
    spec: {
      type: 'LoadBalancer',
      ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 31000, protocol: 'TCP' }],
      ...spec,
    },
  };
}

const build = (service: Service | undefined, overrides = {}) =>
  buildServiceStack({ env: environment(overrides), id: { namespace: 'default', name: 'web' }, service });

describe('the mission example: a Service asking only for ip targets', () => {
  const { stack, memberErrors, stackErrors } = build(
    loadBalancerService({ [`${NLB}/aws-load-balancer-nlb-target-type`]: 'ip' }),
  );
  const listener = stack.resources['AWS::ElasticLoadBalancingV2::Listener']['80'];
  const targetGroup = stack.resources['AWS::ElasticLoadBalancingV2::TargetGroup']['default/web:80'];

  it('builds an NLB with a TCP:80 listener forwarding to an ip target group on port 8080', () => {
    expect(memberErrors).toEqual([]);
    expect(stackErrors).toEqual([]);
    expect(stack.resources['AWS::ElasticLoadBalancingV2::LoadBalancer']['LoadBalancer']?.spec.type).toBe(
      'network',
    );
    expect(listener?.spec.protocol).toBe('TCP');
    expect(listener?.spec.defaultActions).toEqual([
      {
        type: 'forward',
        forwardConfig: {
          targetGroups: [
            {
              targetGroupARN: {
                $ref: '#/resources/AWS::ElasticLoadBalancingV2::TargetGroup/default/web:80/status/targetGroupARN',
              },
            },
          ],
        },
      },
    ]);
    expect(targetGroup?.spec).toMatchObject({ targetType: 'ip', port: 8080, protocol: 'TCP' });
  });

  it('uses the NLB health-check defaults and always states proxy protocol', () => {
    expect(targetGroup?.spec.healthCheckConfig).toEqual({
      port: 'traffic-port',
      protocol: 'TCP',
      intervalSeconds: 10,
      timeoutSeconds: 10,
      healthyThresholdCount: 3,
      unhealthyThresholdCount: 3,
    });
    expect(targetGroup?.spec.targetGroupAttributes).toEqual([
      { key: 'proxy_protocol_v2.enabled', value: 'false' },
    ]);
  });

  it('carries the binding facts and the service tags', () => {
    expect(targetGroup?.binding).toMatchObject({
      namespace: 'default',
      serviceRef: { name: 'web', port: 80 },
      targetType: 'ip',
    });
    expect(targetGroup?.spec.tags).toEqual({
      'elbv2.k8s.aws/cluster': 'cluster-dummy',
      'service.k8s.aws/stack': 'default/web',
      'service.k8s.aws/resource': 'default/web:80',
    });
  });
});

describe('NLB names computed as the LBC does', () => {
  const service: Service = {
    metadata: {
      namespace: 'default',
      name: 'nlb-ip-svc-tls',
      uid: 'bdca2bd0-bfc6-449a-88a3-03451f05f18c',
      annotations: { [`${NLB}/aws-load-balancer-nlb-target-type`]: 'ip' },
    },
    spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] },
  };
  const { stack } = buildServiceStack({
    env: environment({ clusterName: 'my-cluster' }),
    id: { namespace: 'default', name: 'nlb-ip-svc-tls' },
    service,
  });
  it.each([
    {
      name: 'load balancer',
      actual: () => stack.resources['AWS::ElasticLoadBalancingV2::LoadBalancer']['LoadBalancer']?.spec.name,
      expected: 'k8s-default-nlbipsvc-6b0ba8ff70',
    },
    {
      name: 'target group',
      actual: () =>
        stack.resources['AWS::ElasticLoadBalancingV2::TargetGroup']['default/nlb-ip-svc-tls:80']?.spec.name,
      expected: 'k8s-default-nlbipsvc-d4818dcd51',
    },
  ])('$name', ({ actual, expected }) => expect(actual()).toBe(expected));
});

describe('which Services are claimed', () => {
  const cases = [
    { name: 'plain LoadBalancer, claim all', service: loadBalancerService(), claim: 'all', claimed: true },
    {
      name: 'plain LoadBalancer, claim annotated',
      service: loadBalancerService(),
      claim: 'annotated',
      claimed: false,
    },
    {
      name: 'type external, claim annotated',
      service: loadBalancerService({ [`${NLB}/aws-load-balancer-type`]: 'external' }),
      claim: 'annotated',
      claimed: true,
    },
    {
      name: 'type nlb, claim annotated',
      service: loadBalancerService({ [`${NLB}/aws-load-balancer-type`]: 'nlb' }),
      claim: 'annotated',
      claimed: true,
    },
    {
      name: 'our loadBalancerClass, claim annotated',
      service: loadBalancerService({}, { loadBalancerClass: 'service.k8s.aws/nlb' }),
      claim: 'annotated',
      claimed: true,
    },
    {
      name: 'a foreign loadBalancerClass',
      service: loadBalancerService({}, { loadBalancerClass: 'example.com/other' }),
      claim: 'all',
      claimed: false,
    },
    {
      name: 'a ClusterIP Service',
      service: loadBalancerService({}, { type: 'ClusterIP' }),
      claim: 'all',
      claimed: false,
    },
  ] as const;
  it.each(cases)('$name', ({ service, claim, claimed }) => {
    expect(isClaimedService(service, { serviceClaim: claim })).toBe(claimed);
  });
});

describe('NLB listeners and settings', () => {
  it('makes TLS listeners for ssl-ports with the certificate and default policy', () => {
    const service = loadBalancerService(
      {
        [`${NLB}/aws-load-balancer-ssl-cert`]: 'arn:aws:acm:us-east-1:123456789012:certificate/cert',
        [`${NLB}/aws-load-balancer-ssl-ports`]: 'https',
      },
      {
        ports: [
          { name: 'http', port: 80, targetPort: 8080, nodePort: 31000 },
          { name: 'https', port: 443, targetPort: 8443, nodePort: 31001 },
        ],
      },
    );
    const listeners = build(service).stack.resources['AWS::ElasticLoadBalancingV2::Listener'];
    expect(listeners['80']?.spec.protocol).toBe('TCP');
    expect(listeners['443']?.spec).toMatchObject({
      protocol: 'TLS',
      certificates: [{ certificateARN: 'arn:aws:acm:us-east-1:123456789012:certificate/cert' }],
      sslPolicy: 'ELBSecurityPolicy-2016-08',
    });
  });

  const errorCases: { name: string; annotations: Record<string, string>; message: string }[] = [
    {
      name: 'unused ssl port',
      annotations: {
        [`${NLB}/aws-load-balancer-ssl-cert`]: 'arn:aws:acm:us-east-1:123456789012:certificate/cert',
        [`${NLB}/aws-load-balancer-ssl-ports`]: '8443',
      },
      message: 'Unused port in ssl-ports annotation [8443]',
    },
    {
      name: 'unknown scheme',
      annotations: { [`${NLB}/aws-load-balancer-scheme`]: 'public' },
      message: 'unknown scheme: public',
    },
    {
      name: 'bad target type',
      annotations: { [`${NLB}/aws-load-balancer-nlb-target-type`]: 'pod' },
      message: 'unsupported target type "pod"',
    },
    {
      name: 'bad interval',
      annotations: { [`${NLB}/aws-load-balancer-healthcheck-interval`]: '1O' },
      message: 'failed to parse int32 annotation',
    },
    {
      name: 'bad attributes',
      annotations: { [`${NLB}/aws-load-balancer-attributes`]: 'novalue' },
      message: 'failed to parse stringMap annotation',
    },
  ];
  it.each(errorCases)(
    '$name is an error naming the Service and blocks the stack',
    ({ annotations, message }) => {
      const result = build(loadBalancerService(annotations));
      expect(result.memberErrors[0]?.message).toContain(message);
      expect(result.memberErrors[0]?.message).toContain('Service default/web');
      expect(result.stackErrors).toHaveLength(1);
      expect(result.stack.resources['AWS::ElasticLoadBalancingV2::LoadBalancer']).toEqual({});
    },
  );

  it('an unclaimed or deleted Service gives an empty stack without errors (delete)', () => {
    for (const service of [undefined, loadBalancerService({}, { type: 'ClusterIP' })]) {
      const result = build(service);
      expect(result.stackErrors).toEqual([]);
      expect(result.stack.resources['AWS::ElasticLoadBalancingV2::LoadBalancer']).toEqual({});
    }
  });

  it('keeps the scheme of the existing NLB when no annotation says', () => {
    const result = build(loadBalancerService(), {
      existingLoadBalancer: { scheme: 'internet-facing', subnetIds: ['subnet-c'] },
    });
    expect(
      result.stack.resources['AWS::ElasticLoadBalancingV2::LoadBalancer']['LoadBalancer']?.spec,
    ).toMatchObject({
      scheme: 'internet-facing',
      subnetMapping: [{ subnetID: 'subnet-c' }],
    });
  });

  it('opens the managed security group to the source ranges only', () => {
    const result = build(loadBalancerService({}, { loadBalancerSourceRanges: ['10.0.0.0/8'] }));
    expect(result.stack.resources['AWS::EC2::SecurityGroup']['ManagedLBSecurityGroup']?.spec.ingress).toEqual(
      [{ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIP: '10.0.0.0/8' }] }],
    );
  });
});

describe('NLB security groups named by the user', () => {
  const named = (value: string) =>
    loadBalancerService({ [`${NLB}/aws-load-balancer-security-groups`]: value });
  const env = { securityGroups: [{ groupId: 'sg-web', tags: { Name: 'web' } }] };
  it('resolves Name tags and replaces the managed group', () => {
    const result = build(named('sg-1, web'), env);
    expect(
      result.stack.resources['AWS::ElasticLoadBalancingV2::LoadBalancer']['LoadBalancer']?.spec
        .securityGroups,
    ).toEqual(['sg-1', 'sg-web']);
    expect(result.stack.resources['AWS::EC2::SecurityGroup']).toEqual({});
  });
  it('an unknown name is an error', () => {
    expect(build(named('nope'), env).memberErrors[0]?.message).toContain(
      "couldn't find exactly one security group named nope",
    );
  });
});
