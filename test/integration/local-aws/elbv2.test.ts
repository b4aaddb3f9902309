/**
 * The local ELBv2 service through the unmodified SDK v3 client: awsQuery requests, XML
 * responses (lists, numbers, booleans, dates) and modelled exceptions all round-trip.
 */
import { CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  DuplicateListenerException,
  DuplicateTargetGroupNameException,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  InvalidTargetException,
  LoadBalancerNotFoundException,
  ModifyTargetGroupAttributesCommand,
  OperationNotPermittedException,
  PriorityInUseException,
  paginateDescribeTargetGroups,
  RegisterTargetsCommand,
  ResourceInUseException,
  SetRulePrioritiesCommand,
  TargetGroupNotFoundException,
  TooManyRulesException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/index.js';
import { rejection, useLocalAws } from './harness.js';

const VPC = 'vpc-0local00000000001';
const SUBNETS = ['subnet-0public00000001', 'subnet-0public00000002'];

describe('local ELBv2 through the SDK', () => {
  const clock = virtualClock();
  const local = useLocalAws({ clock, quotas: { rulesPerLoadBalancer: 3 } });
  const elbv2 = () => new ElasticLoadBalancingV2Client(local.config);
  let securityGroup = '';
  let loadBalancerArn = '';
  let targetGroupArn = '';
  let listenerArn = '';

  beforeAll(async () => {
    const ec2 = new EC2Client(local.config);
    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'alb', Description: 'alb', VpcId: VPC }),
    );
    securityGroup = group.GroupId!;
  });

  it('creates an ALB, a target group and a forwarding listener', async () => {
    const created = await elbv2().send(
      new CreateLoadBalancerCommand({
        Name: 'k8s-demo-web',
        Subnets: SUBNETS,
        SecurityGroups: [securityGroup],
        Tags: [{ Key: 'elbv2.k8s.aws/cluster', Value: 'demo' }],
      }),
    );
    const balancer = created.LoadBalancers![0]!;
    loadBalancerArn = balancer.LoadBalancerArn!;
    expect(balancer.State?.Code).toBe('active');
    expect(balancer.CreatedTime).toBeInstanceOf(Date);
    expect(balancer.AvailabilityZones?.map((zone) => zone.SubnetId)).toEqual(SUBNETS);

    const group = await elbv2().send(
      new CreateTargetGroupCommand({
        Name: 'k8s-demo-web-80',
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: VPC,
        TargetType: 'ip',
        HealthCheckIntervalSeconds: 5,
        HealthCheckTimeoutSeconds: 2,
        HealthyThresholdCount: 2,
      }),
    );
    targetGroupArn = group.TargetGroups![0]!.TargetGroupArn!;
    expect(group.TargetGroups![0]).toMatchObject({
      Port: 8080,
      HealthCheckEnabled: true,
      Matcher: { HttpCode: '200' },
    });

    const listener = await elbv2().send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
      }),
    );
    listenerArn = listener.Listeners![0]!.ListenerArn!;
    expect(listener.Listeners![0]!.DefaultActions![0]!.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: targetGroupArn, Weight: 1 },
    ]);
    const described = await elbv2().send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
    expect(described.Listeners?.map((item) => item.Port)).toEqual([80]);
  });

  it('registers 200 targets in one call and walks them from initial to healthy on the endpoint clock', async () => {
    const targets = Array.from({ length: 200 }, (_, index) => ({
      Id: `10.0.${16 + Math.floor(index / 100)}.${(index % 100) + 10}`,
    }));
    await elbv2().send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: targets }));
    const before = await elbv2().send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    expect(before.TargetHealthDescriptions).toHaveLength(200);
    expect(before.TargetHealthDescriptions![0]).toMatchObject({
      Target: { Id: '10.0.16.10', Port: 8080 },
      HealthCheckPort: '8080',
      TargetHealth: { State: 'initial', Reason: 'Elb.RegistrationInProgress' },
    });
    clock.advance(10_000);
    const after = await elbv2().send(
      new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: '10.0.16.10' }] }),
    );
    expect(after.TargetHealthDescriptions?.map((item) => item.TargetHealth?.State)).toEqual(['healthy']);

    await elbv2().send(
      new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: '10.0.16.10' }] }),
    );
    const draining = await elbv2().send(
      new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: '10.0.16.10' }] }),
    );
    expect(draining.TargetHealthDescriptions![0]!.TargetHealth).toMatchObject({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
    });
  });

  it('round-trips attributes and tags', async () => {
    await elbv2().send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: targetGroupArn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '15' }],
      }),
    );
    const attributes = await elbv2().send(
      new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn }),
    );
    expect(attributes.Attributes).toContainEqual({
      Key: 'deregistration_delay.timeout_seconds',
      Value: '15',
    });
    await elbv2().send(
      new AddTagsCommand({
        ResourceArns: [targetGroupArn],
        Tags: [{ Key: 'ingress.k8s.aws/stack', Value: 'demo' }],
      }),
    );
    const tags = await elbv2().send(
      new DescribeTagsCommand({ ResourceArns: [loadBalancerArn, targetGroupArn] }),
    );
    expect(tags.TagDescriptions?.map((item) => item.Tags)).toEqual([
      [{ Key: 'elbv2.k8s.aws/cluster', Value: 'demo' }],
      [{ Key: 'ingress.k8s.aws/stack', Value: 'demo' }],
    ]);
  });

  it('creates and reorders rules, and raises the modelled exceptions', async () => {
    const rule = (priority: number, path: string) =>
      elbv2().send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: priority,
          Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [path] } }],
          Actions: [
            { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain' } },
          ],
        }),
      );
    const first = (await rule(1, '/a')).Rules![0]!.RuleArn!;
    const second = (await rule(2, '/b')).Rules![0]!.RuleArn!;
    expect(await rejection(rule(1, '/c'))).toBeInstanceOf(PriorityInUseException);
    await rule(3, '/c');
    expect(await rejection(rule(4, '/d'))).toBeInstanceOf(TooManyRulesException);

    const swapped = await elbv2().send(
      new SetRulePrioritiesCommand({
        RulePriorities: [
          { RuleArn: first, Priority: 2 },
          { RuleArn: second, Priority: 1 },
        ],
      }),
    );
    expect(swapped.Rules?.map((item) => item.Priority)).toEqual(['2', '1']);
    const rules = await elbv2().send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    expect(rules.Rules?.map((item) => [item.Priority, item.IsDefault])).toEqual([
      ['1', false],
      ['2', false],
      ['3', false],
      ['default', true],
    ]);
    const defaultRule = rules.Rules!.at(-1)!.RuleArn!;
    expect(await rejection(elbv2().send(new DeleteRuleCommand({ RuleArn: defaultRule })))).toBeInstanceOf(
      OperationNotPermittedException,
    );
  });

  it.each([
    [
      'DuplicateListenerException',
      () =>
        new CreateListenerCommand({
          LoadBalancerArn: loadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
        }),
      DuplicateListenerException,
    ],
    [
      'DuplicateTargetGroupNameException',
      () =>
        new CreateTargetGroupCommand({
          Name: 'k8s-demo-web-80',
          Protocol: 'HTTP',
          Port: 9999,
          VpcId: VPC,
          TargetType: 'ip',
        }),
      DuplicateTargetGroupNameException,
    ],
    [
      'ResourceInUseException',
      () => new DeleteTargetGroupCommand({ TargetGroupArn: targetGroupArn }),
      ResourceInUseException,
    ],
    [
      'InvalidTargetException',
      () =>
        new RegisterTargetsCommand({
          TargetGroupArn: targetGroupArn,
          Targets: [{ Id: '8.8.8.8', AvailabilityZone: 'all' }],
        }),
      InvalidTargetException,
    ],
    [
      'TargetGroupNotFoundException',
      () => new DescribeTargetHealthCommand({ TargetGroupArn: `${targetGroupArn}0` }),
      TargetGroupNotFoundException,
    ],
    [
      'LoadBalancerNotFoundException',
      () => new DescribeLoadBalancersCommand({ Names: ['missing'] }),
      LoadBalancerNotFoundException,
    ],
  ])('raises %s', async (_name, command, type) => {
    const error = await rejection(elbv2().send(command() as never));
    expect(error).toBeInstanceOf(type);
  });

  it('raises ValidationError (not modelled by the SDK) with its code as the name and the field in the message', async () => {
    const error = await rejection(
      elbv2().send(
        new CreateTargetGroupCommand({
          Name: 'bad_name',
          Protocol: 'HTTP',
          Port: 80,
          VpcId: VPC,
          TargetType: 'ip',
        }),
      ),
    );
    expect(error).toBeInstanceOf(ElasticLoadBalancingV2ServiceException);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain('bad_name');
  });

  it('pages DescribeTargetGroups with the SDK paginator', async () => {
    for (let index = 0; index < 5; index++)
      await elbv2().send(
        new CreateTargetGroupCommand({
          Name: `page-${index}`,
          Protocol: 'HTTP',
          Port: 80,
          VpcId: VPC,
          TargetType: 'ip',
        }),
      );
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeTargetGroups({ client: elbv2() }, { PageSize: 2 })) {
      pages++;
      names.push(...(page.TargetGroups ?? []).map((group) => group.TargetGroupName!));
    }
    expect(names).toEqual(['k8s-demo-web-80', 'page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    expect(pages).toBe(3);
  });

  it('routes through the probe on the same state the SDK changed', () => {
    const result = local.aws.services.elbv2.route({
      loadBalancerArn,
      port: 80,
      host: 'demo.local',
      path: '/b',
    });
    expect(result).toMatchObject({ priority: 1, status: 200 });
  });
});
