import { describe, expect, it } from 'vitest';
import {
  createAlb,
  createListener,
  createTargetGroup,
  forwardTo,
  VPC_ID,
  type World,
  world,
} from './fixture.js';

type Health = {
  TargetHealthDescriptions: {
    Target: { Id: string; Port?: number; AvailabilityZone?: string };
    HealthCheckPort?: string;
    TargetHealth: { State: string; Reason?: string; Description?: string };
  }[];
};

/** an ip group behind an ALB listener, so its targets are health-checked */
function servedGroup(w: World, input: Record<string, unknown> = {}): string {
  const group = createTargetGroup(w, input);
  createListener(w, createAlb(w), { DefaultActions: forwardTo(group) });
  return group;
}

const health = (w: World, group: string, targets?: unknown[]) =>
  w.call<Health>('DescribeTargetHealth', { TargetGroupArn: group, Targets: targets })
    .TargetHealthDescriptions;
const stateOf = (w: World, group: string, id: string) =>
  health(w, group).find((description) => description.Target.Id === id)?.TargetHealth;

describe('RegisterTargets', () => {
  it('registers ip targets with the group port by default and detects their zone', () => {
    const w = world();
    const group = servedGroup(w);
    w.call('RegisterTargets', {
      TargetGroupArn: group,
      Targets: [{ Id: '10.0.0.5' }, { Id: '10.0.32.5', Port: '9090' }],
    });
    expect(health(w, group).map((description) => description.Target)).toEqual([
      { Id: '10.0.0.5', Port: 8080, AvailabilityZone: 'us-east-1a' },
      { Id: '10.0.32.5', Port: 9090, AvailabilityZone: 'us-east-1b' },
    ]);
    expect(health(w, group)[1]!.HealthCheckPort).toBe('9090');
  });

  it.each([
    [
      'an RFC 1918 address outside the VPC with AvailabilityZone=all',
      { Id: '192.168.1.4', AvailabilityZone: 'all' },
    ],
    ['a 100.64/10 address with a zone', { Id: '100.64.3.2', AvailabilityZone: 'us-east-1c' }],
    ['an address in the VPC with AvailabilityZone=all', { Id: '10.0.64.9', AvailabilityZone: 'all' }],
  ])('accepts %s', (_name, target) => {
    const w = world();
    const group = servedGroup(w);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [target] });
    expect(health(w, group)[0]!.Target.AvailabilityZone).toBe(target.AvailabilityZone);
  });

  it.each([
    ['a public address', { Id: '8.8.8.8', AvailabilityZone: 'all' }, 'InvalidTarget'],
    ['a private address outside the VPC without a zone', { Id: '172.16.0.1' }, 'ValidationError'],
    ['a VPC address outside every subnet without a zone', { Id: '10.0.200.1' }, 'ValidationError'],
    ['a malformed address', { Id: '10.0.0.256' }, 'ValidationError'],
    ['an unknown zone', { Id: '10.0.0.5', AvailabilityZone: 'us-west-2a' }, 'ValidationError'],
    ['a port of 70000', { Id: '10.0.0.5', Port: '70000' }, 'ValidationError'],
    ['a missing Id', { Port: '80' }, 'ValidationError'],
  ])('rejects %s and registers nothing of the call', (_name, target, code) => {
    const w = world();
    const group = servedGroup(w);
    expect(
      w.errorOf('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.1' }, target] }).code,
    ).toBe(code);
    expect(health(w, group)).toEqual([]);
  });

  it.each([
    ['an unknown instance', 'i-unknown', 'InvalidTarget'],
    ['a stopped instance', 'i-stopped', 'InvalidTarget'],
  ])('rejects %s in an instance group', (_name, id, code) => {
    const w = world();
    const group = createTargetGroup(w, { TargetType: 'instance' });
    expect(w.errorOf('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: id }] }).code).toBe(code);
  });

  it('registers a running instance with its zone', () => {
    const w = world();
    const group = createTargetGroup(w, { TargetType: 'instance' });
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: 'i-running' }] });
    expect(health(w, group)[0]!.Target).toEqual({
      Id: 'i-running',
      Port: 8080,
      AvailabilityZone: 'us-east-1a',
    });
  });

  it('treats re-registering a registered target as a no-op that keeps its health', () => {
    const w = world();
    const group = servedGroup(w, { HealthCheckIntervalSeconds: '10', HealthyThresholdCount: '2' });
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(20_000);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('healthy');
    expect(health(w, group)).toHaveLength(1);
  });

  it('answers TooManyTargets past the per-group quota and registers none of the call', () => {
    const w = world({ targetsPerTargetGroup: 3 });
    const group = servedGroup(w);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.1' }, { Id: '10.0.0.2' }] });
    const error = w.errorOf('RegisterTargets', {
      TargetGroupArn: group,
      Targets: [{ Id: '10.0.0.3' }, { Id: '10.0.0.4' }],
    });
    expect(error.code).toBe('TooManyTargets');
    expect(health(w, group)).toHaveLength(2);
  });

  it('answers TooManyTargets past the per-load-balancer quota, across the groups it uses', () => {
    const w = world({ targetsPerLoadBalancer: 3 });
    const alb = createAlb(w);
    const listener = createListener(w, alb, {
      DefaultActions: forwardTo(createTargetGroup(w, { Name: 'a' })),
    });
    const second = createTargetGroup(w, { Name: 'b' });
    w.call('CreateRule', {
      ListenerArn: listener,
      Priority: '1',
      Conditions: [{ Field: 'path-pattern', Values: ['/b'] }],
      Actions: forwardTo(second),
    });
    const first = w.call<{ TargetGroups: { TargetGroupArn: string }[] }>('DescribeTargetGroups', {
      Names: ['a'],
    }).TargetGroups[0]!.TargetGroupArn;
    w.call('RegisterTargets', { TargetGroupArn: first, Targets: [{ Id: '10.0.0.1' }, { Id: '10.0.0.2' }] });
    w.call('RegisterTargets', { TargetGroupArn: second, Targets: [{ Id: '10.0.0.3' }] });
    expect(w.errorOf('RegisterTargets', { TargetGroupArn: second, Targets: [{ Id: '10.0.0.4' }] }).code).toBe(
      'TooManyTargets',
    );
  });

  it('answers TargetGroupNotFound for an unknown group', () => {
    expect(
      world().errorOf('RegisterTargets', { TargetGroupArn: 'arn:x', Targets: [{ Id: '10.0.0.1' }] }).code,
    ).toBe('TargetGroupNotFound');
  });
});

describe('target health state machine', () => {
  const fast = {
    HealthCheckIntervalSeconds: '10',
    HealthCheckTimeoutSeconds: '5',
    HealthyThresholdCount: '3',
    UnhealthyThresholdCount: '2',
  };

  it.each([
    [0, 'initial', 'Elb.RegistrationInProgress'],
    [9_999, 'initial', 'Elb.RegistrationInProgress'],
    [10_000, 'initial', 'Elb.InitialHealthChecking'],
    [29_999, 'initial', 'Elb.InitialHealthChecking'],
    [30_000, 'healthy', undefined],
  ])('with a passing probe, %i ms after registration the target is %s (%s)', (elapsed, state, reason) => {
    const w = world();
    const group = servedGroup(w, fast);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(elapsed);
    const observed = stateOf(w, group, '10.0.0.5');
    expect(observed?.State).toBe(state);
    expect(observed?.Reason).toBe(reason);
  });

  it('takes HealthCheckIntervalSeconds × HealthyThresholdCount with AWS defaults (150 s)', () => {
    const w = world();
    const group = servedGroup(w);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(149_999);
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('initial');
    w.clock.advance(1);
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('healthy');
  });

  it('turns unhealthy after UnhealthyThresholdCount failing checks and healthy again after recovery', () => {
    const w = world();
    const group = servedGroup(w, fast);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }, { Id: '10.0.0.6' }] });
    w.clock.advance(30_000);
    w.elbv2.setHealthProbe((_group, target) => target.id !== '10.0.0.6');
    w.clock.advance(10_000);
    expect(stateOf(w, group, '10.0.0.6')?.State).toBe('healthy');
    w.clock.advance(10_000);
    expect(stateOf(w, group, '10.0.0.6')).toMatchObject({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
    });
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('healthy');
    w.elbv2.setHealthProbe(() => true);
    w.clock.advance(20_000);
    expect(stateOf(w, group, '10.0.0.6')?.State).toBe('unhealthy');
    w.clock.advance(10_000);
    expect(stateOf(w, group, '10.0.0.6')?.State).toBe('healthy');
  });

  it('reports Target.Timeout for a failing TCP health check', () => {
    const w = world();
    const group = createTargetGroup(w, { Protocol: 'TCP', ...fast });
    const nlb = w.call<{ LoadBalancers: { LoadBalancerArn: string }[] }>('CreateLoadBalancer', {
      Name: 'tcp',
      Type: 'network',
      Subnets: ['subnet-a'],
    }).LoadBalancers[0]!.LoadBalancerArn;
    createListener(w, nlb, { Protocol: 'TCP', DefaultActions: forwardTo(group) });
    w.elbv2.setHealthProbe(() => false);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(20_000);
    expect(stateOf(w, group, '10.0.0.5')).toMatchObject({ State: 'unhealthy', Reason: 'Target.Timeout' });
  });

  it('reports unused (Target.NotInUse) while no listener forwards to the group, then starts checking', () => {
    const w = world();
    const group = createTargetGroup(w, fast);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(60_000);
    expect(stateOf(w, group, '10.0.0.5')).toMatchObject({ State: 'unused', Reason: 'Target.NotInUse' });
    createListener(w, createAlb(w), { DefaultActions: forwardTo(group) });
    expect(stateOf(w, group, '10.0.0.5')).toMatchObject({
      State: 'initial',
      Reason: 'Elb.RegistrationInProgress',
    });
    w.clock.advance(30_000);
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('healthy');
  });

  it('drains a deregistered target for deregistration_delay.timeout_seconds, then forgets it', () => {
    const w = world();
    const group = servedGroup(w, fast);
    w.call('ModifyTargetGroupAttributes', {
      TargetGroupArn: group,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
    });
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(30_000);
    w.call('DeregisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    expect(stateOf(w, group, '10.0.0.5')).toMatchObject({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
    });
    w.clock.advance(29_999);
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('draining');
    w.clock.advance(1);
    expect(health(w, group)).toEqual([]);
  });

  it('brings a draining target back as a new registration when it is registered again', () => {
    const w = world();
    const group = servedGroup(w, fast);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.call('DeregisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('initial');
    w.clock.advance(400_000);
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('healthy');
  });

  it('keeps counted checks when the interval changes', () => {
    const w = world();
    const group = servedGroup(w, fast);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(20_000); // two passing checks at 10 s
    w.call('ModifyTargetGroup', {
      TargetGroupArn: group,
      HealthCheckIntervalSeconds: '60',
      HealthCheckTimeoutSeconds: '5',
    });
    w.clock.advance(59_999);
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('initial');
    w.clock.advance(1);
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('healthy');
  });
});

describe('DeregisterTargets', () => {
  it('succeeds for targets that are not registered', () => {
    const w = world();
    const group = servedGroup(w);
    expect(w.call('DeregisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.77' }] })).toEqual(
      {},
    );
  });

  it('matches the port: deregistering another port leaves the target registered', () => {
    const w = world();
    const group = servedGroup(w);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5', Port: '9000' }] });
    w.call('DeregisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    expect(stateOf(w, group, '10.0.0.5')?.State).toBe('initial');
  });

  it('removes targets at once when the deregistration delay is 0', () => {
    const w = world();
    const group = servedGroup(w);
    w.call('ModifyTargetGroupAttributes', {
      TargetGroupArn: group,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }],
    });
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.call('DeregisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    expect(health(w, group)).toEqual([]);
  });
});

describe('DescribeTargetHealth', () => {
  it('answers a Targets filter, with unused/Target.NotRegistered for unknown targets', () => {
    const w = world();
    const group = servedGroup(w);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }, { Id: '10.0.0.6' }] });
    const out = health(w, group, [{ Id: '10.0.0.6' }, { Id: '10.0.0.9' }]);
    expect(out.map((description) => [description.Target.Id, description.TargetHealth.State])).toEqual([
      ['10.0.0.6', 'initial'],
      ['10.0.0.9', 'unused'],
    ]);
    expect(out[1]!.TargetHealth.Reason).toBe('Target.NotRegistered');
  });

  it('answers InvalidTarget for an unknown instance in the filter', () => {
    const w = world();
    const group = createTargetGroup(w, { TargetType: 'instance' });
    expect(
      w.errorOf('DescribeTargetHealth', { TargetGroupArn: group, Targets: [{ Id: 'i-nope' }] }).code,
    ).toBe('InvalidTarget');
  });

  it('lists targets with derived health through listTargets', () => {
    const w = world();
    const group = servedGroup(w);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    expect(w.elbv2.listTargets(group)).toEqual([
      {
        id: '10.0.0.5',
        port: 8080,
        availabilityZone: 'us-east-1a',
        state: 'initial',
        reason: 'Elb.RegistrationInProgress',
        description: 'Target registration is in progress',
      },
    ]);
  });

  it('keeps 1,000 targets consistent across registration in chunks of 200', () => {
    const w = world();
    const group = servedGroup(w, {
      HealthCheckIntervalSeconds: '5',
      HealthCheckTimeoutSeconds: '2',
      HealthyThresholdCount: '2',
    });
    const ips = Array.from(
      { length: 1000 },
      (_, index) => `10.0.${Math.floor(index / 250)}.${(index % 250) + 1}`,
    );
    for (let start = 0; start < ips.length; start += 200)
      w.call('RegisterTargets', {
        TargetGroupArn: group,
        Targets: ips.slice(start, start + 200).map((ip) => ({ Id: ip })),
      });
    w.clock.advance(10_000);
    const states = health(w, group).map((description) => description.TargetHealth.State);
    expect(states).toHaveLength(1000);
    expect(new Set(states)).toEqual(new Set(['healthy']));
  });
});

describe('lambda and alb target groups', () => {
  it('accepts one Lambda function and reports its health checks as disabled', () => {
    const w = world();
    const group = w.call<{ TargetGroups: { TargetGroupArn: string }[] }>('CreateTargetGroup', {
      Name: 'fn',
      TargetType: 'lambda',
    }).TargetGroups[0]!.TargetGroupArn;
    createListener(w, createAlb(w), { DefaultActions: forwardTo(group) });
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:hello';
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: fn }] });
    expect(stateOf(w, group, fn)).toMatchObject({
      State: 'unavailable',
      Reason: 'Target.HealthCheckDisabled',
    });
    const other = 'arn:aws:lambda:us-east-1:123456789012:function:other';
    expect(w.errorOf('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: other }] }).code).toBe(
      'TooManyTargets',
    );
    expect(w.errorOf('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: 'hello' }] }).code).toBe(
      'InvalidTarget',
    );
  });

  it('accepts an ALB as the target of an alb group and rejects anything else', () => {
    const w = world();
    const alb = createAlb(w);
    const group = createTargetGroup(w, {
      Name: 'albs',
      Protocol: 'TCP',
      Port: '80',
      VpcId: VPC_ID,
      TargetType: 'alb',
    });
    expect(w.errorOf('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: 'arn:nope' }] }).code).toBe(
      'InvalidTarget',
    );
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: alb }] });
    expect(health(w, group)[0]!.Target.Id).toBe(alb);
  });
});
