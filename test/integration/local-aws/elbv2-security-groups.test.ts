/**
 * Conformance: SetSecurityGroups on the local ELBv2 follows AWS's rules.
 *
 * AWS ELBv2 API Reference, SetSecurityGroups: "You can't perform this operation on a Network
 * Load Balancer unless you specified a security group for the load balancer when you created
 * it"; its errors are InvalidConfigurationRequest ("The requested configuration is not valid"),
 * InvalidSecurityGroup and LoadBalancerNotFound. An NLB the LBC made before its NLBSecurityGroup
 * feature (v2.6) has none, so adopting one must not plan this call (issue 14).
 */
import { CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
  SetSecurityGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejection, useLocalAws } from './harness.js';

const VPC = 'vpc-0local00000000001';
const SUBNETS = ['subnet-0private0000001', 'subnet-0private0000002'];

describe('local ELBv2 SetSecurityGroups (AWS API Reference, SetSecurityGroups)', () => {
  const local = useLocalAws();
  const elbv2 = () => new ElasticLoadBalancingV2Client(local.config);
  const groups: string[] = [];

  beforeAll(async () => {
    const ec2 = new EC2Client(local.config);
    for (const name of ['first', 'second']) {
      const made = await ec2.send(
        new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: VPC }),
      );
      groups.push(made.GroupId ?? '');
    }
    ec2.destroy();
  });

  async function create(name: string, type: 'network' | 'application', securityGroups: string[]) {
    const made = await elbv2().send(
      new CreateLoadBalancerCommand({
        Name: name,
        Type: type,
        Scheme: 'internal',
        Subnets: SUBNETS,
        ...(securityGroups.length > 0 ? { SecurityGroups: securityGroups } : {}),
      }),
    );
    return made.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  }

  const described = async (arn: string) =>
    (await elbv2().send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))).LoadBalancers?.[0]
      ?.SecurityGroups ?? [];

  const cases: {
    name: string;
    type: 'network' | 'application';
    createdWith: number;
    set: number;
    /** the error as the SDK names it (AWS's code InvalidConfigurationRequest is modelled), or the groups the LB ends with */
    expected: { error: string } | { groups: number };
  }[] = [
    {
      name: 'nlb-bare-add',
      type: 'network',
      createdWith: 0,
      set: 1,
      expected: { error: 'InvalidConfigurationRequestException' },
    },
    {
      name: 'nlb-bare-two',
      type: 'network',
      createdWith: 0,
      set: 2,
      expected: { error: 'InvalidConfigurationRequestException' },
    },
    { name: 'nlb-sg-replace', type: 'network', createdWith: 1, set: 2, expected: { groups: 2 } },
    { name: 'alb-replace', type: 'application', createdWith: 1, set: 2, expected: { groups: 2 } },
    { name: 'alb-none', type: 'application', createdWith: 1, set: 0, expected: { error: 'ValidationError' } },
  ];

  it.each(cases)('$name: a $type LB created with $createdWith group(s), set to $set', async (c) => {
    const arn = await create(c.name, c.type, groups.slice(0, c.createdWith));
    const before = await described(arn);
    const call = elbv2().send(
      new SetSecurityGroupsCommand({ LoadBalancerArn: arn, SecurityGroups: groups.slice(0, c.set) }),
    );
    if ('error' in c.expected) {
      const error = await rejection(call);
      expect(error.name).toBe(c.expected.error);
      expect(error.message).toContain(c.name);
      // a refused call changes nothing
      expect(await described(arn)).toEqual(before);
    } else {
      const answer = await call;
      expect(answer.SecurityGroupIds).toEqual(groups.slice(0, c.expected.groups));
      expect(await described(arn)).toEqual(groups.slice(0, c.expected.groups));
    }
  });
});
