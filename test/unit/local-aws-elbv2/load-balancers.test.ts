import { describe, expect, it } from 'vitest';
import { ALB_INPUT, createAlb, createListener, createNlb, createRule, world } from './fixture.js';

type LoadBalancers = { LoadBalancers: Record<string, unknown>[]; NextMarker?: string };

describe('CreateLoadBalancer', () => {
  it('creates an active internet-facing ALB with AWS-shaped ARN, DNS name and zones', () => {
    // Prepare
    const w = world();
    // Act
    const [balancer] = w.call<LoadBalancers>('CreateLoadBalancer', ALB_INPUT).LoadBalancers;
    // Assess
    expect(balancer).toMatchObject({
      LoadBalancerName: 'web',
      Type: 'application',
      Scheme: 'internet-facing',
      State: { Code: 'active' },
      IpAddressType: 'ipv4',
      VpcId: 'vpc-0123456789abcdef0',
      SecurityGroups: ['sg-web'],
      CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
      AvailabilityZones: [
        { ZoneName: 'us-east-1a', SubnetId: 'subnet-a' },
        { ZoneName: 'us-east-1b', SubnetId: 'subnet-b' },
      ],
    });
    expect(balancer!.LoadBalancerArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/web\/[0-9a-f]{16}$/,
    );
    expect(balancer!.DNSName).toMatch(/^web-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(balancer!.CreatedTime).toBeInstanceOf(Date);
  });

  it.each([
    ['internal ALB', { Scheme: 'internal' }, /^internal-web-\d{10}\.us-east-1\.elb\.amazonaws\.com$/],
    [
      'NLB',
      { Type: 'network', Subnets: ['subnet-a'], SecurityGroups: [] },
      /^web-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/,
    ],
  ])('names the DNS of an %s as AWS does', (_name, input, dns) => {
    const w = world();
    const [balancer] = w.call<LoadBalancers>('CreateLoadBalancer', { ...ALB_INPUT, ...input }).LoadBalancers;
    expect(balancer!.DNSName).toMatch(dns);
  });

  it('is idempotent for identical settings and returns the same load balancer', () => {
    const w = world();
    const first = createAlb(w);
    expect(createAlb(w)).toBe(first);
  });

  it.each([
    ['name too long', { Name: 'a'.repeat(33) }, 'ValidationError'],
    ['name with underscore', { Name: 'web_1' }, 'ValidationError'],
    ['name with leading hyphen', { Name: '-web' }, 'ValidationError'],
    ['name with trailing hyphen', { Name: 'web-' }, 'ValidationError'],
    ['name starting with internal-', { Name: 'internal-web' }, 'ValidationError'],
    ['an ALB in a single zone', { Subnets: ['subnet-a'] }, 'ValidationError'],
    ['an unknown subnet', { Subnets: ['subnet-a', 'subnet-x'] }, 'SubnetNotFound'],
    ['an unknown security group', { SecurityGroups: ['sg-nope'] }, 'InvalidSecurityGroup'],
    ['an unknown type', { Type: 'classic' }, 'ValidationError'],
    ['an unknown scheme', { Scheme: 'public' }, 'ValidationError'],
    ['both Subnets and SubnetMappings', { SubnetMappings: [{ SubnetId: 'subnet-c' }] }, 'ValidationError'],
  ])('rejects %s', (_name, input, code) => {
    const w = world();
    expect(w.errorOf('CreateLoadBalancer', { ...ALB_INPUT, ...input }).code).toBe(code);
  });

  it('rejects two subnets in the same zone with InvalidConfigurationRequest', () => {
    const w = world();
    const error = w.errorOf('CreateLoadBalancer', {
      ...ALB_INPUT,
      Subnets: ['subnet-a', 'subnet-a2', 'subnet-b'],
    });
    expect(error.code).toBe('InvalidConfigurationRequest');
    expect(error.message).toContain('us-east-1a');
  });

  it('answers DuplicateLoadBalancerName when the name exists with other settings', () => {
    const w = world();
    createAlb(w);
    expect(w.errorOf('CreateLoadBalancer', { ...ALB_INPUT, Scheme: 'internal' }).code).toBe(
      'DuplicateLoadBalancerName',
    );
  });

  it('answers TooManyLoadBalancers past the quota', () => {
    const w = world({ loadBalancersPerRegion: 1 });
    createAlb(w);
    expect(w.errorOf('CreateLoadBalancer', { ...ALB_INPUT, Name: 'other' }).code).toBe(
      'TooManyLoadBalancers',
    );
  });
});

describe('DescribeLoadBalancers', () => {
  it('finds load balancers by ARN and by name, and answers LoadBalancerNotFound otherwise', () => {
    const w = world();
    const arn = createAlb(w);
    expect(
      w.call<LoadBalancers>('DescribeLoadBalancers', { LoadBalancerArns: [arn] }).LoadBalancers,
    ).toHaveLength(1);
    expect(
      w.call<LoadBalancers>('DescribeLoadBalancers', { Names: ['web'] }).LoadBalancers[0]!.LoadBalancerArn,
    ).toBe(arn);
    expect(w.errorOf('DescribeLoadBalancers', { Names: ['nope'] }).code).toBe('LoadBalancerNotFound');
    expect(w.errorOf('DescribeLoadBalancers', { LoadBalancerArns: [`${arn}0`] }).code).toBe(
      'LoadBalancerNotFound',
    );
  });

  it('pages with Marker and PageSize until NextMarker is absent', () => {
    const w = world();
    for (let index = 0; index < 5; index++) createAlb(w, { Name: `web-${index}` });
    const names: unknown[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = w.call<LoadBalancers>('DescribeLoadBalancers', { PageSize: '2', Marker: marker });
      names.push(...page.LoadBalancers.map((balancer) => balancer.LoadBalancerName));
      marker = page.NextMarker;
      pages++;
    } while (marker);
    expect(pages).toBe(3);
    expect(names).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
  });

  it.each([
    ['a page size of 0', { PageSize: '0' }],
    ['a page size of 401', { PageSize: '401' }],
    ['a non-numeric page size', { PageSize: 'ten' }],
    ['a forged marker', { Marker: 'bogus' }],
  ])('rejects %s with ValidationError', (_name, input) => {
    expect(world().errorOf('DescribeLoadBalancers', input).code).toBe('ValidationError');
  });
});

describe('DeleteLoadBalancer', () => {
  it('removes the load balancer with its listeners and rules', () => {
    const w = world();
    const arn = createAlb(w);
    const listener = createListener(w, arn);
    const rule = createRule(w, listener, 1);
    w.call('DeleteLoadBalancer', { LoadBalancerArn: arn });
    expect(w.errorOf('DescribeLoadBalancers', { LoadBalancerArns: [arn] }).code).toBe('LoadBalancerNotFound');
    expect(w.errorOf('DescribeListeners', { ListenerArns: [listener] }).code).toBe('ListenerNotFound');
    expect(w.errorOf('DescribeRules', { RuleArns: [rule] }).code).toBe('RuleNotFound');
  });

  it('succeeds for a load balancer that does not exist, as AWS does', () => {
    const w = world();
    const arn = createAlb(w);
    w.call('DeleteLoadBalancer', { LoadBalancerArn: arn });
    expect(w.call('DeleteLoadBalancer', { LoadBalancerArn: arn })).toEqual({});
  });

  it('refuses with OperationNotPermitted while deletion protection is on', () => {
    const w = world();
    const arn = createAlb(w);
    w.call('ModifyLoadBalancerAttributes', {
      LoadBalancerArn: arn,
      Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }],
    });
    expect(w.errorOf('DeleteLoadBalancer', { LoadBalancerArn: arn }).code).toBe('OperationNotPermitted');
  });
});

describe('load balancer attributes', () => {
  type Attributes = { Attributes: { Key: string; Value: string }[] };
  const attributeValue = (out: Attributes, key: string) =>
    out.Attributes.find((attribute) => attribute.Key === key)?.Value;

  it.each([
    ['application', 'idle_timeout.timeout_seconds', '60'],
    ['application', 'routing.http2.enabled', 'true'],
    ['application', 'deletion_protection.enabled', 'false'],
    ['network', 'load_balancing.cross_zone.enabled', 'false'],
    ['network', 'dns_record.client_routing_policy', 'any_availability_zone'],
  ])('a new %s load balancer has %s = %s', (type, key, value) => {
    const w = world();
    const arn = type === 'application' ? createAlb(w) : createNlb(w);
    expect(
      attributeValue(w.call<Attributes>('DescribeLoadBalancerAttributes', { LoadBalancerArn: arn }), key),
    ).toBe(value);
  });

  it('modifies a known key and returns every attribute', () => {
    const w = world();
    const arn = createAlb(w);
    const out = w.call<Attributes>('ModifyLoadBalancerAttributes', {
      LoadBalancerArn: arn,
      Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '120' }],
    });
    expect(attributeValue(out, 'idle_timeout.timeout_seconds')).toBe('120');
    expect(out.Attributes.length).toBeGreaterThan(5);
  });

  it.each([
    ['an unknown key', 'application', 'no.such.key', 'x', 'InvalidConfigurationRequest'],
    [
      'an ALB-only key on an NLB',
      'network',
      'idle_timeout.timeout_seconds',
      '60',
      'InvalidConfigurationRequest',
    ],
    ['a non-boolean flag', 'application', 'deletion_protection.enabled', 'yes', 'ValidationError'],
    ['an idle timeout out of range', 'application', 'idle_timeout.timeout_seconds', '0', 'ValidationError'],
  ])('rejects %s', (_name, type, key, value, code) => {
    const w = world();
    const arn = type === 'application' ? createAlb(w) : createNlb(w);
    const error = w.errorOf('ModifyLoadBalancerAttributes', {
      LoadBalancerArn: arn,
      Attributes: [{ Key: key, Value: value }],
    });
    expect(error.code).toBe(code);
    expect(error.message).toContain(key);
  });
});

describe('SetSecurityGroups, SetSubnets, SetIpAddressType', () => {
  it('replaces the security groups and the subnets', () => {
    const w = world();
    const arn = createAlb(w);
    expect(w.call('SetSecurityGroups', { LoadBalancerArn: arn, SecurityGroups: ['sg-extra'] })).toEqual({
      SecurityGroupIds: ['sg-extra'],
    });
    const out = w.call<{ AvailabilityZones: unknown[] }>('SetSubnets', {
      LoadBalancerArn: arn,
      Subnets: ['subnet-a', 'subnet-b', 'subnet-c'],
    });
    expect(out.AvailabilityZones).toHaveLength(3);
    expect(w.call('SetIpAddressType', { LoadBalancerArn: arn, IpAddressType: 'dualstack' })).toEqual({
      IpAddressType: 'dualstack',
    });
  });

  it.each([
    [
      'an unknown security group',
      'SetSecurityGroups',
      { SecurityGroups: ['sg-nope'] },
      'InvalidSecurityGroup',
    ],
    ['a single zone for an ALB', 'SetSubnets', { Subnets: ['subnet-c'] }, 'ValidationError'],
    ['an unknown IP address type', 'SetIpAddressType', { IpAddressType: 'ipv5' }, 'ValidationError'],
  ])('rejects %s', (_name, action, input, code) => {
    const w = world();
    const arn = createAlb(w);
    expect(w.errorOf(action, { LoadBalancerArn: arn, ...input }).code).toBe(code);
  });

  it('refuses security groups on an NLB created without any', () => {
    const w = world();
    const arn = createNlb(w);
    expect(w.errorOf('SetSecurityGroups', { LoadBalancerArn: arn, SecurityGroups: ['sg-web'] }).code).toBe(
      'InvalidConfigurationRequest',
    );
  });
});

describe('handle', () => {
  it('answers InvalidAction for an action ELBv2 does not have', () => {
    expect(world().errorOf('DescribeEverything', {}).code).toBe('InvalidAction');
  });
});
