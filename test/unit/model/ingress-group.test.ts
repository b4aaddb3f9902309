import { describe, expect, it } from 'vitest';
import type { Ingress } from '../../../shared/k8s/objects.js';
import { buildIngressGroupStack } from '../../../shared/model/ingress/build.js';
import type { ModelEnvironment } from '../../../shared/model/inputs.js';
import type { StackBuild } from '../../../shared/model/stack.js';
import { environment, ingress, pathsIngress, SUBNETS, service } from './helpers.js';

const A = 'alb.ingress.kubernetes.io';
const BOTH_PORTS = {
  [`${A}/listen-ports`]: '[{"HTTP":80},{"HTTPS":443}]',
  [`${A}/certificate-arn`]: 'arn:aws:acm:us-east-1:123456789012:certificate/cert',
};

function buildGroup(members: Ingress[], env: Partial<ModelEnvironment> = {}, explicit = true): StackBuild {
  const first = members[0];
  const id = explicit
    ? { namespace: '', name: 'awesome-group' }
    : { namespace: first?.metadata.namespace ?? 'ns-1', name: first?.metadata.name ?? 'gone' };
  return buildIngressGroupStack({
    env: environment(env),
    group: { id, members, memberErrors: [] },
    services: [service('svc-1'), service('svc-2')],
  });
}
const listeners = (build: StackBuild) => build.stack.resources['AWS::ElasticLoadBalancingV2::Listener'];
const rules = (build: StackBuild) => build.stack.resources['AWS::ElasticLoadBalancingV2::ListenerRule'];
const loadBalancer = (build: StackBuild) =>
  build.stack.resources['AWS::ElasticLoadBalancingV2::LoadBalancer']['LoadBalancer'];
const refused = (build: StackBuild) => build.memberErrors.map((error) => `${error.namespace}/${error.name}`);

describe('ssl-redirect across a group', () => {
  const redirect = {
    type: 'redirect',
    redirectConfig: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' },
  };
  it.each([
    { name: 'none', members: [pathsIngress('ing-1', ['/a'], BOTH_PORTS)], redirect: false, errors: [] },
    {
      name: 'annotation 443',
      members: [pathsIngress('ing-1', ['/a'], { ...BOTH_PORTS, [`${A}/ssl-redirect`]: '443' })],
      redirect: true,
      errors: [],
    },
    {
      name: 'port without a listener',
      members: [pathsIngress('ing-1', ['/a'], { ...BOTH_PORTS, [`${A}/ssl-redirect`]: '8443' })],
      redirect: false,
      errors: ['listener does not exist for SSLRedirect port: 8443'],
    },
    {
      name: 'port not HTTPS',
      members: [pathsIngress('ing-1', ['/a'], { ...BOTH_PORTS, [`${A}/ssl-redirect`]: '80' })],
      redirect: false,
      errors: ['listener protocol non-SSL for SSLRedirect port: 80'],
    },
    {
      name: 'one member sets it for the group',
      members: [
        pathsIngress('ing-1', ['/a'], { ...BOTH_PORTS, [`${A}/ssl-redirect`]: '443' }),
        pathsIngress('ing-2', ['/b'], BOTH_PORTS),
      ],
      redirect: true,
      errors: [],
    },
    {
      name: 'same value twice',
      members: [
        pathsIngress('ing-1', ['/a'], { ...BOTH_PORTS, [`${A}/ssl-redirect`]: '443' }),
        pathsIngress('ing-2', ['/b'], { ...BOTH_PORTS, [`${A}/ssl-redirect`]: '443' }),
      ],
      redirect: true,
      errors: [],
    },
    {
      name: 'conflict: the later member is refused',
      members: [
        pathsIngress('ing-1', ['/a'], { ...BOTH_PORTS, [`${A}/ssl-redirect`]: '443' }),
        pathsIngress('ing-2', ['/b'], { ...BOTH_PORTS, [`${A}/ssl-redirect`]: '8443' }),
      ],
      redirect: true,
      errors: ['conflicting sslRedirect port: [443 8443]'],
    },
  ])('$name', ({ members, redirect: redirects, errors }) => {
    const build = buildGroup(members);
    expect(build.memberErrors.map((error) => error.message.split(': ').slice(1).join(': '))).toEqual(errors);
    if (redirects) {
      expect(listeners(build)['80']?.spec.defaultActions).toEqual([redirect]);
      expect(Object.keys(rules(build)).filter((id) => id.startsWith('80:'))).toEqual([]);
    } else if (errors.length === 0) {
      expect(listeners(build)['80']?.spec.defaultActions[0]?.type).toBe('fixed-response');
    }
  });
});

describe('one bad Ingress never blocks its group', () => {
  const members = [
    pathsIngress('ing-1', ['/one']),
    pathsIngress('ing-2', ['/two'], { [`${A}/scheme`]: 'public' }),
    pathsIngress('ing-3', ['/three']),
  ];
  const build = buildGroup(members);

  it('reports the bad member with its field and the LBC text', () => {
    expect(build.memberErrors).toEqual([
      {
        kind: 'Ingress',
        namespace: 'ns-1',
        name: 'ing-2',
        field: `metadata.annotations["${A}/scheme"]`,
        message: `Ingress ns-1/ing-2 metadata.annotations["${A}/scheme"]: unknown scheme: public`,
      },
    ]);
    expect(build.stackErrors).toEqual([]);
  });

  it('builds the others, rules in member order with their provenance', () => {
    expect(build.stack.members.map((m) => m.name)).toEqual(['ing-1', 'ing-3']);
    expect(Object.entries(rules(build)).map(([id, rule]) => [id, rule.source.name])).toEqual([
      ['80:1', 'ing-1'],
      ['80:2', 'ing-3'],
    ]);
  });

  it.each([
    {
      name: 'bad listen-ports',
      annotations: { [`${A}/listen-ports`]: '[]' },
      message: 'empty listen-ports configuration',
    },
    {
      name: 'bad listen port',
      annotations: { [`${A}/listen-ports`]: '[{"HTTP":0}]' },
      message: 'listen port must be within [1, 65535]: 0',
    },
    {
      name: 'bad listen protocol',
      annotations: { [`${A}/listen-ports`]: '[{"TCP":80}]' },
      message: 'listen protocol must be within [HTTP, HTTPS]: TCP',
    },
    {
      name: 'unparsable listen-ports',
      annotations: { [`${A}/listen-ports`]: '80' },
      message: 'failed to parse listen-ports configuration: `80`',
    },
    {
      name: 'bad inbound cidr',
      annotations: { [`${A}/inbound-cidrs`]: '10.0.0.0/33' },
      message: 'invalid inbound-cidrs settings on Ingress: ns-1/ing-2: invalid CIDR address: 10.0.0.0/33',
    },
    {
      name: 'bad target type',
      annotations: { [`${A}/target-type`]: 'pod' },
      message: 'unknown targetType: pod',
    },
    {
      name: 'bad backend protocol',
      annotations: { [`${A}/backend-protocol`]: 'GRPC' },
      message: 'backend protocol must be within [HTTP, HTTPS]: GRPC',
    },
    {
      name: 'bad interval',
      annotations: { [`${A}/healthcheck-interval-seconds`]: 'ten' },
      message: 'failed to parse int32 annotation',
    },
    {
      name: 'long name',
      annotations: { [`${A}/load-balancer-name`]: 'x'.repeat(33) },
      message: 'load balancer name cannot be longer than 32 characters',
    },
    {
      name: 'bad tags',
      annotations: { [`${A}/tags`]: 'novalue' },
      message: 'failed to parse stringMap annotation',
    },
    {
      name: 'bad regex flag',
      annotations: { [`${A}/use-regex-path-match`]: 'foo' },
      message: 'failed to parse bool annotation',
    },
    {
      name: 'conflicting scheme',
      annotations: { [`${A}/scheme`]: 'internet-facing' },
      message: 'conflicting scheme: ns-1/ing-1: internal | internet-facing',
    },
    {
      name: 'conflicting attribute',
      annotations: { [`${A}/load-balancer-attributes`]: 'idle_timeout.timeout_seconds=60' },
      message: 'conflicting load balancer attributes idle_timeout.timeout_seconds: ns-1/ing-1: 600 | 60',
    },
    {
      name: 'conflicting protocol',
      annotations: {
        [`${A}/listen-ports`]: '[{"HTTPS":80}]',
        [`${A}/certificate-arn`]: 'arn:aws:acm:us-east-1:123456789012:certificate/c',
      },
      message: 'conflicting protocol, ns-1/ing-1: HTTP | ns-1/ing-2: HTTPS',
    },
    {
      name: 'HTTPS without a certificate',
      annotations: { [`${A}/listen-ports`]: '[{"HTTPS":443}]' },
      message: 'no certificate for HTTPS listener port 443',
    },
    {
      name: 'unknown service port',
      annotations: {},
      message: 'unable to find port nope on service ns-1/svc-1',
      port: 'nope',
    },
  ])('$name refuses only that member', ({ annotations, message, port }) => {
    const first = pathsIngress('ing-1', ['/one'], {
      [`${A}/scheme`]: 'internal',
      [`${A}/load-balancer-attributes`]: 'idle_timeout.timeout_seconds=600',
    });
    const bad = pathsIngress('ing-2', ['/two'], annotations);
    if (port) bad.spec!.rules![0]!.http!.paths[0]!.backend.service!.port = { name: port };
    const result = buildGroup([first, bad, pathsIngress('ing-3', ['/three'])]);
    expect(refused(result)).toEqual(['ns-1/ing-2']);
    expect(result.memberErrors[0]?.message).toContain(message);
    expect(result.memberErrors[0]?.message).toContain('Ingress ns-1/ing-2');
    expect(result.stack.members.map((m) => m.name)).toEqual(['ing-1', 'ing-3']);
  });

  it('a group whose every member fails is blocked, not emptied', () => {
    const result = buildGroup([pathsIngress('ing-1', ['/one'], { [`${A}/scheme`]: 'public' })]);
    expect(result.stackErrors).toHaveLength(1);
  });

  it('a group without members is an empty stack (delete), without errors', () => {
    const result = buildGroup([]);
    expect(result.stackErrors).toEqual([]);
    expect(result.stack.resources['AWS::ElasticLoadBalancingV2::LoadBalancer']).toEqual({});
    expect(result.stack.stackTags).toEqual({
      'elbv2.k8s.aws/cluster': 'cluster-dummy',
      'ingress.k8s.aws/stack': 'awesome-group',
    });
  });
});

describe('the rule quota', () => {
  // distinct paths per member: two members claiming the same path is refused on its own
  const fourPaths = (name: string) =>
    pathsIngress(
      name,
      ['/a', '/b', '/c', '/d'].map((path) => `/${name}${path}`),
    );
  it.each([
    { name: 'all fit', quota: 12, refused: [], ruleCount: 12 },
    {
      name: 'the member that overflows is refused, later ones that fit are kept',
      quota: 10,
      refused: ['ns-1/ing-3'],
      ruleCount: 8,
    },
    {
      name: 'a member too large for an empty ALB',
      quota: 3,
      refused: ['ns-1/ing-1', 'ns-1/ing-2', 'ns-1/ing-3'],
      ruleCount: 0,
    },
  ])('$name', ({ quota, refused: expected, ruleCount }) => {
    const result = buildGroup([fourPaths('ing-1'), fourPaths('ing-2'), fourPaths('ing-3')], {
      ruleQuota: quota,
    });
    expect(refused(result)).toEqual(expected);
    expect(Object.keys(rules(result))).toHaveLength(ruleCount);
  });

  it('keeps a later small member after refusing a large one', () => {
    const result = buildGroup([fourPaths('ing-1'), fourPaths('ing-2'), pathsIngress('ing-3', ['/x'])], {
      ruleQuota: 5,
    });
    expect(refused(result)).toEqual(['ns-1/ing-2']);
    expect(result.stack.members.map((m) => m.name)).toEqual(['ing-1', 'ing-3']);
  });
});

describe('load balancer, listeners and target groups', () => {
  it.each([
    {
      name: 'implicit internal',
      members: () => [pathsIngress('ing-1', ['/'])],
      explicit: false,
      expected: 'k8s-ns1-ing1-b7e914000d',
    },
    {
      name: 'implicit internet-facing',
      members: () => [pathsIngress('ing-1', ['/'], { [`${A}/scheme`]: 'internet-facing' })],
      explicit: false,
      expected: 'k8s-ns1-ing1-159dd7a143',
    },
    {
      name: 'explicit name annotation',
      members: () => [pathsIngress('ing-1', ['/'], { [`${A}/load-balancer-name`]: 'my-alb' })],
      explicit: false,
      expected: 'my-alb',
    },
  ])('ALB name: $name', ({ members, explicit, expected }) => {
    expect(loadBalancer(buildGroup(members(), {}, explicit))?.spec.name).toBe(expected);
  });

  it('an explicit group name keeps 17 characters', () => {
    const result = buildIngressGroupStack({
      env: environment(),
      group: {
        id: { namespace: '', name: 'a-very-long-group-name-indeed' },
        members: [pathsIngress('ing-1', ['/'])],
        memberErrors: [],
      },
      services: [service('svc-1')],
    });
    expect(loadBalancer(result)?.spec.name).toMatch(/^k8s-averylonggroupnam-[0-9a-f]{10}$/);
  });

  it('uses the default backend of the one member that names it', () => {
    const withDefault = ingress(
      'ing-1',
      {},
      { defaultBackend: { service: { name: 'svc-2', port: { name: 'http' } } } },
    );
    const result = buildGroup([withDefault, pathsIngress('ing-2', ['/two'])]);
    expect(listeners(result)['80']?.spec.defaultActions[0]).toMatchObject({
      type: 'forward',
      forwardConfig: {
        targetGroups: [{ targetGroupARN: { $ref: expect.stringContaining('ns-1/ing-1-svc-2:http') } }],
      },
    });
  });

  it('refuses a second default backend on the same port', () => {
    const backend = { defaultBackend: { service: { name: 'svc-2', port: { name: 'http' } } } };
    const result = buildGroup([ingress('ing-1', {}, backend), ingress('ing-2', {}, backend)]);
    expect(result.memberErrors[0]?.message).toContain(
      'multiple ingress defined default backend: [ns-1/ing-1 ns-1/ing-2]',
    );
  });

  it('HTTPS listeners carry certificates (union, first is default) and the default policy', () => {
    const result = buildGroup([
      pathsIngress('ing-1', ['/a'], {
        ...BOTH_PORTS,
        [`${A}/certificate-arn`]:
          'arn:aws:acm:us-east-1:123456789012:certificate/1, arn:aws:acm:us-east-1:123456789012:certificate/2',
      }),
      pathsIngress('ing-2', ['/b'], {
        ...BOTH_PORTS,
        [`${A}/certificate-arn`]:
          'arn:aws:acm:us-east-1:123456789012:certificate/2,arn:aws:acm:us-east-1:123456789012:certificate/3',
      }),
    ]);
    expect(listeners(result)['443']?.spec).toMatchObject({
      protocol: 'HTTPS',
      certificates: ['1', '2', '3'].map((id) => ({
        certificateARN: `arn:aws:acm:us-east-1:123456789012:certificate/${id}`,
      })),
      sslPolicy: 'ELBSecurityPolicy-2016-08',
    });
    // an Ingress on both ports puts the same rules on both listeners
    expect(Object.keys(rules(result)).sort()).toEqual(['443:1', '443:2', '80:1', '80:2']);
  });

  it('the managed security group opens each port to the inbound CIDRs', () => {
    const result = buildGroup([
      pathsIngress('ing-1', ['/a'], { [`${A}/inbound-cidrs`]: '10.0.0.0/8, 192.168.0.0/16' }),
    ]);
    expect(result.stack.resources['AWS::EC2::SecurityGroup']['ManagedLBSecurityGroup']?.spec.ingress).toEqual(
      [
        { ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIP: '10.0.0.0/8' }] },
        { ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIP: '192.168.0.0/16' }] },
      ],
    );
  });

  it('named security groups replace the managed one and bindings carry no networking', () => {
    const result = buildGroup([pathsIngress('ing-1', ['/a'], { [`${A}/security-groups`]: 'sg-123, web' })], {
      securityGroups: [{ groupId: 'sg-456', tags: { Name: 'web' } }],
    });
    expect(loadBalancer(result)?.spec.securityGroups).toEqual(['sg-123', 'sg-456']);
    expect(result.stack.resources['AWS::EC2::SecurityGroup']).toEqual({});
    const [targetGroup] = Object.values(result.stack.resources['AWS::ElasticLoadBalancingV2::TargetGroup']);
    expect(targetGroup?.binding.networking).toBeUndefined();
  });

  it.each([
    { name: 'discovered for internal', annotations: {}, env: {}, subnets: ['subnet-a', 'subnet-b'] },
    {
      name: 'discovered for internet-facing',
      annotations: { [`${A}/scheme`]: 'internet-facing' },
      env: {},
      subnets: ['subnet-c', 'subnet-d'],
    },
    {
      name: 'named by Name tag',
      annotations: { [`${A}/subnets`]: 'public-b, public-a' },
      env: {},
      subnets: ['subnet-c', 'subnet-d'],
    },
    {
      name: 'reused from the existing ALB',
      annotations: {},
      env: { existingLoadBalancer: { scheme: 'internal' as const, subnetIds: ['subnet-x', 'subnet-y'] } },
      subnets: ['subnet-x', 'subnet-y'],
    },
  ])('subnets $name', ({ annotations, env, subnets }) => {
    const result = buildGroup([pathsIngress('ing-1', ['/a'], annotations)], env);
    expect(loadBalancer(result)?.spec.subnetMapping.map((s) => s.subnetID)).toEqual(subnets);
  });

  it('no discoverable subnets blocks the stack', () => {
    const result = buildGroup([pathsIngress('ing-1', ['/a'])], { subnets: SUBNETS.slice(0, 1) });
    expect(result.stackErrors[0]?.message).toContain('unable to resolve at least 2 subnet(s)');
  });

  it('drops the legacy ssl-redirect rule where it would loop, and what it shadows on HTTP', () => {
    const legacy = ingress(
      'ing-1',
      {
        ...BOTH_PORTS,
        [`${A}/actions.ssl-redirect`]:
          '{"Type":"redirect","RedirectConfig":{"Protocol":"HTTPS","Port":"443","StatusCode":"HTTP_301"}}',
      },
      {
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/*',
                  backend: { service: { name: 'ssl-redirect', port: { name: 'use-annotation' } } },
                },
                { path: '/app', backend: { service: { name: 'svc-1', port: { name: 'http' } } } },
              ],
            },
          },
        ],
      },
    );
    const result = buildGroup([legacy]);
    expect(result.memberErrors).toEqual([]);
    expect(rules(result)['80:1']?.spec.actions[0]?.type).toBe('redirect');
    expect(rules(result)['80:2']).toBeUndefined();
    expect(rules(result)['443:1']?.spec.actions[0]?.type).toBe('forward');
    expect(rules(result)['443:2']).toBeUndefined();
  });

  it('rules and target groups name the member they came from; the same service twice is two target groups', () => {
    const result = buildGroup([pathsIngress('ing-1', ['/a']), pathsIngress('ing-2', ['/b'])]);
    const targetGroups = result.stack.resources['AWS::ElasticLoadBalancingV2::TargetGroup'];
    expect(Object.keys(targetGroups)).toEqual(['ns-1/ing-1-svc-1:http', 'ns-1/ing-2-svc-1:http']);
    expect(targetGroups['ns-1/ing-2-svc-1:http']?.source).toEqual({
      kind: 'Ingress',
      namespace: 'ns-1',
      name: 'ing-2',
    });
  });
});

describe('target group quota and address types', () => {
  it('refuses the member whose target groups do not fit, keeps later ones that do', () => {
    const two = (name: string) => {
      const member = pathsIngress(name, [`/${name}/a`, `/${name}/b`]);
      member.spec!.rules![0]!.http!.paths[1]!.backend.service!.name = 'svc-2';
      return member;
    };
    const result = buildGroup([two('ing-1'), two('ing-2'), pathsIngress('ing-3', ['/c'])], {
      targetGroupQuota: 3,
    });
    expect(refused(result)).toEqual(['ns-1/ing-2']);
    expect(result.memberErrors[0]?.message).toContain(
      "needs 2 target group(s) but only 1 of the load balancer's 3 remain",
    );
    expect(Object.keys(result.stack.resources['AWS::ElasticLoadBalancingV2::TargetGroup'])).toHaveLength(3);
  });

  it('an IPv6 Service behind an IPv4 ALB refuses that member', () => {
    const ipv6 = service('svc-6');
    ipv6.spec.ipFamilies = ['IPv6'];
    const result = buildIngressGroupStack({
      env: environment(),
      group: {
        id: { namespace: '', name: 'g' },
        members: [pathsIngress('ing-1', ['/a']), pathsIngress('ing-2', ['/b'], {}, 'svc-6')],
        memberErrors: [],
      },
      services: [service('svc-1'), ipv6],
    });
    expect(refused(result)).toEqual(['ns-1/ing-2']);
    expect(result.memberErrors[0]?.message).toContain('unsupported IPv6 configuration, lb not dual-stack');
  });
});

describe('leaving a group', () => {
  it('an Ingress that moves to another group stops contributing to the old one', () => {
    const before = buildGroup([pathsIngress('ing-1', ['/a']), pathsIngress('ing-2', ['/b'])]);
    const after = buildGroup([pathsIngress('ing-1', ['/a'])]);
    expect(Object.keys(before.stack.resources['AWS::ElasticLoadBalancingV2::TargetGroup'])).toHaveLength(2);
    expect(Object.keys(after.stack.resources['AWS::ElasticLoadBalancingV2::TargetGroup'])).toEqual([
      'ns-1/ing-1-svc-1:http',
    ]);
    expect(loadBalancer(after)?.spec.name).toBe(loadBalancer(before)?.spec.name);
  });
});

describe('ALB rule limits', () => {
  it.each([
    { name: 'host + Prefix path = 3 values', extra: undefined, refused: [] },
    { name: 'host + Prefix + 2 annotation hosts = 5 values', extra: ['b.com', 'c.com'], refused: [] },
    {
      name: 'host + Prefix + 3 annotation hosts = 6 values',
      extra: ['b.com', 'c.com', 'd.com'],
      refused: ['ns-1/ing-2'],
    },
  ])('$name', ({ extra, refused: expected }) => {
    const annotations = extra
      ? {
          [`${A}/conditions.svc-1`]: JSON.stringify([
            { field: 'host-header', hostHeaderConfig: { values: extra } },
          ]),
        }
      : {};
    const member = pathsIngress('ing-2', ['/x'], annotations);
    member.spec!.rules![0]!.host = 'a.com';
    const result = buildGroup([pathsIngress('ing-1', ['/a']), member]);
    expect(refused(result)).toEqual(expected);
    if (expected.length > 0)
      expect(result.memberErrors[0]?.message).toContain(
        'needs 6 condition values; an ALB rule allows at most 5',
      );
  });
});
