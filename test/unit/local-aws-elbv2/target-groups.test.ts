import { describe, expect, it } from 'vitest';
import { createAlb, createListener, createTargetGroup, forwardTo, VPC_ID, world } from './fixture.js';

type TargetGroups = { TargetGroups: Record<string, unknown>[]; NextMarker?: string };
type Attributes = { Attributes: { Key: string; Value: string }[] };

const HTTP_GROUP = { Name: 'pods', Protocol: 'HTTP', Port: '8080', VpcId: VPC_ID, TargetType: 'ip' };

describe('CreateTargetGroup', () => {
  it.each([
    [
      'an HTTP ip group',
      HTTP_GROUP,
      {
        Protocol: 'HTTP',
        ProtocolVersion: 'HTTP1',
        Port: 8080,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPort: 'traffic-port',
        HealthCheckEnabled: true,
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 6,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        HealthCheckPath: '/',
        Matcher: { HttpCode: '200' },
        TargetType: 'ip',
        IpAddressType: 'ipv4',
        LoadBalancerArns: [],
      },
    ],
    [
      'a TCP instance group',
      { Name: 'nodes', Protocol: 'TCP', Port: '30080', VpcId: VPC_ID },
      {
        Protocol: 'TCP',
        HealthCheckProtocol: 'TCP',
        HealthCheckTimeoutSeconds: 10,
        HealthCheckPath: undefined,
        Matcher: undefined,
        TargetType: 'instance',
      },
    ],
    [
      'a TCP group with an HTTP health check',
      { Name: 'nodes', Protocol: 'TCP', Port: '30080', VpcId: VPC_ID, HealthCheckProtocol: 'HTTP' },
      { HealthCheckProtocol: 'HTTP', HealthCheckPath: '/', Matcher: { HttpCode: '200-399' } },
    ],
    [
      'a lambda group',
      { Name: 'fn', TargetType: 'lambda' },
      {
        TargetType: 'lambda',
        HealthCheckEnabled: false,
        HealthCheckIntervalSeconds: 35,
        HealthCheckTimeoutSeconds: 30,
        UnhealthyThresholdCount: 5,
      },
    ],
    [
      'a GRPC group',
      { ...HTTP_GROUP, ProtocolVersion: 'GRPC' },
      { ProtocolVersion: 'GRPC', HealthCheckPath: '/AWS.ALB/healthcheck', Matcher: { GrpcCode: '12' } },
    ],
  ])('applies AWS defaults to %s', (_name, input, expected) => {
    const w = world();
    const [group] = w.call<TargetGroups>('CreateTargetGroup', input).TargetGroups;
    expect(group).toMatchObject(expected);
    expect(group!.TargetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/[a-z]+\/[0-9a-f]{16}$/,
    );
  });

  it('is idempotent for identical settings, and DuplicateTargetGroupName otherwise', () => {
    const w = world();
    const arn = createTargetGroup(w);
    expect(createTargetGroup(w)).toBe(arn);
    expect(w.errorOf('CreateTargetGroup', { ...HTTP_GROUP, Port: '9090' }).code).toBe(
      'DuplicateTargetGroupName',
    );
    expect(w.errorOf('CreateTargetGroup', { ...HTTP_GROUP, HealthCheckPath: '/healthz' }).code).toBe(
      'DuplicateTargetGroupName',
    );
  });

  it.each([
    ['a 33-character name', { Name: 'x'.repeat(33) }, 'ValidationError', '32'],
    ['a name ending in a hyphen', { Name: 'pods-' }, 'ValidationError', 'pods-'],
    ['a missing protocol', { Protocol: undefined }, 'ValidationError', 'Protocol'],
    ['a missing port', { Port: undefined }, 'ValidationError', 'Port'],
    ['a port of 0', { Port: '0' }, 'ValidationError', 'Port'],
    ['a non-numeric port', { Port: 'http' }, 'ValidationError', 'Port'],
    ['another VPC', { VpcId: 'vpc-other' }, 'ValidationError', 'vpc-other'],
    ['an unknown target type', { TargetType: 'pod' }, 'ValidationError', 'TargetType'],
    ['disabled health checks on an ip group', { HealthCheckEnabled: 'false' }, 'ValidationError', 'pods'],
    [
      'an interval of 4',
      { HealthCheckIntervalSeconds: '4' },
      'ValidationError',
      'HealthCheckIntervalSeconds',
    ],
    [
      'a timeout not below the interval',
      { HealthCheckIntervalSeconds: '10', HealthCheckTimeoutSeconds: '10' },
      'ValidationError',
      'timeout',
    ],
    [
      'a TCP timeout above the interval',
      { Protocol: 'TCP', HealthCheckIntervalSeconds: '10', HealthCheckTimeoutSeconds: '11' },
      'ValidationError',
      'at most',
    ],
    [
      'a healthy threshold of 11',
      { HealthyThresholdCount: '11' },
      'ValidationError',
      'HealthyThresholdCount',
    ],
    ['a matcher of 600', { Matcher: { HttpCode: '600' } }, 'ValidationError', '600'],
    [
      'a TCP health check on an HTTP group',
      { HealthCheckProtocol: 'TCP' },
      'ValidationError',
      'HealthCheckProtocol',
    ],
    ['a path not starting with /', { HealthCheckPath: 'health' }, 'ValidationError', 'health'],
    ['an alb target type over HTTP', { TargetType: 'alb' }, 'ValidationError', 'alb'],
    [
      'a lambda group with a port',
      { TargetType: 'lambda', Protocol: undefined, VpcId: undefined },
      'ValidationError',
      'lambda',
    ],
  ])('rejects %s', (_name, input, code, mention) => {
    const error = world().errorOf('CreateTargetGroup', { ...HTTP_GROUP, ...input });
    expect(error.code).toBe(code);
    expect(error.message).toContain(mention);
  });

  it('answers TooManyTargetGroups past the quota', () => {
    const w = world({ targetGroupsPerRegion: 1 });
    createTargetGroup(w);
    expect(w.errorOf('CreateTargetGroup', { ...HTTP_GROUP, Name: 'other' }).code).toBe('TooManyTargetGroups');
  });
});

describe('DescribeTargetGroups', () => {
  it('finds groups by ARN, name and load balancer, and pages', () => {
    const w = world();
    const arns = ['a', 'b', 'c'].map((name) => createTargetGroup(w, { Name: name }));
    const balancer = createAlb(w);
    createListener(w, balancer, { DefaultActions: forwardTo(arns[1]!) });

    expect(
      w.call<TargetGroups>('DescribeTargetGroups', { TargetGroupArns: [arns[0]] }).TargetGroups[0]!
        .TargetGroupName,
    ).toBe('a');
    expect(
      w.call<TargetGroups>('DescribeTargetGroups', { Names: ['c'] }).TargetGroups[0]!.TargetGroupArn,
    ).toBe(arns[2]);
    const byBalancer = w.call<TargetGroups>('DescribeTargetGroups', {
      LoadBalancerArn: balancer,
    }).TargetGroups;
    expect(byBalancer.map((group) => group.TargetGroupName)).toEqual(['b']);
    expect(byBalancer[0]!.LoadBalancerArns).toEqual([balancer]);

    const first = w.call<TargetGroups>('DescribeTargetGroups', { PageSize: '2' });
    expect(first.TargetGroups).toHaveLength(2);
    const second = w.call<TargetGroups>('DescribeTargetGroups', { PageSize: '2', Marker: first.NextMarker });
    expect(second.TargetGroups.map((group) => group.TargetGroupName)).toEqual(['c']);
    expect(second.NextMarker).toBeUndefined();
  });

  it.each([
    [
      'an unknown ARN',
      { TargetGroupArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/0'] },
      'TargetGroupNotFound',
    ],
    ['an unknown name', { Names: ['nope'] }, 'TargetGroupNotFound'],
    [
      'an unknown load balancer',
      { LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/0' },
      'LoadBalancerNotFound',
    ],
    ['names and ARNs together', { Names: ['a'], TargetGroupArns: ['b'] }, 'ValidationError'],
  ])('answers %s with the AWS error code', (_name, input, code) => {
    expect(world().errorOf('DescribeTargetGroups', input).code).toBe(code);
  });
});

describe('ModifyTargetGroup', () => {
  it('changes the health check and keeps fields it was not given', () => {
    const w = world();
    const arn = createTargetGroup(w);
    const [group] = w.call<TargetGroups>('ModifyTargetGroup', {
      TargetGroupArn: arn,
      HealthCheckPath: '/healthz',
      HealthCheckIntervalSeconds: '10',
      Matcher: { HttpCode: '200-299' },
    }).TargetGroups;
    expect(group).toMatchObject({
      HealthCheckPath: '/healthz',
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 5,
      Matcher: { HttpCode: '200-299' },
    });
  });

  it('answers TargetGroupNotFound for an unknown group', () => {
    expect(world().errorOf('ModifyTargetGroup', { TargetGroupArn: 'arn:nope' }).code).toBe(
      'TargetGroupNotFound',
    );
  });
});

describe('DeleteTargetGroup', () => {
  it('answers ResourceInUse while a listener forwards to it, and deletes it afterwards', () => {
    const w = world();
    const group = createTargetGroup(w);
    const listener = createListener(w, createAlb(w), { DefaultActions: forwardTo(group) });
    expect(w.errorOf('DeleteTargetGroup', { TargetGroupArn: group }).code).toBe('ResourceInUse');
    w.call('DeleteListener', { ListenerArn: listener });
    w.call('DeleteTargetGroup', { TargetGroupArn: group });
    expect(w.errorOf('DescribeTargetGroups', { TargetGroupArns: [group] }).code).toBe('TargetGroupNotFound');
  });
});

describe('target group attributes', () => {
  const attributeValue = (out: Attributes, key: string) =>
    out.Attributes.find((item) => item.Key === key)?.Value;

  it.each([
    ['HTTP', 'deregistration_delay.timeout_seconds', '300', HTTP_GROUP],
    ['HTTP', 'stickiness.type', 'lb_cookie', HTTP_GROUP],
    ['HTTP', 'load_balancing.algorithm.type', 'round_robin', HTTP_GROUP],
    ['TCP ip', 'preserve_client_ip.enabled', 'false', { ...HTTP_GROUP, Protocol: 'TCP' }],
    [
      'TCP instance',
      'preserve_client_ip.enabled',
      'true',
      { ...HTTP_GROUP, Protocol: 'TCP', TargetType: 'instance' },
    ],
    ['TCP ip', 'stickiness.type', 'source_ip', { ...HTTP_GROUP, Protocol: 'TCP' }],
    ['lambda', 'lambda.multi_value_headers.enabled', 'false', { Name: 'fn', TargetType: 'lambda' }],
  ])('a new %s group has %s = %s', (_name, key, value, input) => {
    const w = world();
    const arn = w.call<TargetGroups>('CreateTargetGroup', input).TargetGroups[0]!.TargetGroupArn;
    expect(
      attributeValue(w.call<Attributes>('DescribeTargetGroupAttributes', { TargetGroupArn: arn }), key),
    ).toBe(value);
  });

  it('modifies known attributes all at once', () => {
    const w = world();
    const arn = createTargetGroup(w);
    const out = w.call<Attributes>('ModifyTargetGroupAttributes', {
      TargetGroupArn: arn,
      Attributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
        { Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' },
      ],
    });
    expect(attributeValue(out, 'deregistration_delay.timeout_seconds')).toBe('30');
    expect(attributeValue(out, 'load_balancing.algorithm.type')).toBe('least_outstanding_requests');
  });

  it.each([
    ['an unknown key', 'stickiness.magic', 'on', 'InvalidConfigurationRequest'],
    ['an NLB-only key on an HTTP group', 'proxy_protocol_v2.enabled', 'true', 'InvalidConfigurationRequest'],
    ['a delay above 3600', 'deregistration_delay.timeout_seconds', '3601', 'ValidationError'],
    ['an unknown algorithm', 'load_balancing.algorithm.type', 'random', 'ValidationError'],
  ])('rejects %s and changes nothing', (_name, key, value, code) => {
    const w = world();
    const arn = createTargetGroup(w);
    const error = w.errorOf('ModifyTargetGroupAttributes', {
      TargetGroupArn: arn,
      Attributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: '10' },
        { Key: key, Value: value },
      ],
    });
    expect(error.code).toBe(code);
    const after = w.call<Attributes>('DescribeTargetGroupAttributes', { TargetGroupArn: arn });
    expect(attributeValue(after, 'deregistration_delay.timeout_seconds')).toBe('300');
  });
});

describe('CreateTargetGroup health-check timeout against the interval', () => {
  it('accepts an NLB group whose timeout equals its interval, as the LBC default (10 s / 10 s)', () => {
    const created = world().call('CreateTargetGroup', {
      ...HTTP_GROUP,
      Name: 'nlb-pods',
      Protocol: 'TCP',
      HealthCheckIntervalSeconds: '10',
      HealthCheckTimeoutSeconds: '10',
    }) as { TargetGroups: { HealthCheckTimeoutSeconds: number; HealthCheckIntervalSeconds: number }[] };
    expect(created.TargetGroups[0]).toMatchObject({
      HealthCheckTimeoutSeconds: 10,
      HealthCheckIntervalSeconds: 10,
    });
  });
});
