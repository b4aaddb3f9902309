/**
 * A small world for the ELBv2 service's tests: one VPC with three subnets in three zones, two
 * instances (one running, one stopped), one security group, a virtual clock, and helpers that
 * build the usual ALB → listener → target group chain through the service's own API.
 */
import { AwsApiError } from '../../../infra/local/aws/api-error.js';
import { type Topology, type VirtualClock, virtualClock } from '../../../infra/local/aws/context.js';
import { createElbv2Service, type Elbv2Service } from '../../../infra/local/aws/elbv2/index.js';
import {
  DEFAULT_QUOTAS,
  type Ec2View,
  type InstanceView,
  type Quotas,
} from '../../../infra/local/aws/service.js';

export const VPC_ID = 'vpc-0123456789abcdef0';

export const topology: Topology = {
  account: '123456789012',
  region: 'us-east-1',
  vpc: { id: VPC_ID, cidr: '10.0.0.0/16' },
  subnets: [
    { id: 'subnet-a', availabilityZone: 'us-east-1a', cidr: '10.0.0.0/19', tags: {} },
    { id: 'subnet-b', availabilityZone: 'us-east-1b', cidr: '10.0.32.0/19', tags: {} },
    { id: 'subnet-c', availabilityZone: 'us-east-1c', cidr: '10.0.64.0/19', tags: {} },
    { id: 'subnet-a2', availabilityZone: 'us-east-1a', cidr: '10.0.96.0/19', tags: {} },
  ],
  clusters: [],
};

const instances: InstanceView[] = [
  {
    id: 'i-running',
    subnetId: 'subnet-a',
    vpcId: VPC_ID,
    availabilityZone: 'us-east-1a',
    privateIp: '10.0.0.10',
    state: 'running',
  },
  {
    id: 'i-stopped',
    subnetId: 'subnet-b',
    vpcId: VPC_ID,
    availabilityZone: 'us-east-1b',
    privateIp: '10.0.32.10',
    state: 'stopped',
  },
];

export const ec2: Ec2View = {
  vpcId: VPC_ID,
  vpcCidr: topology.vpc.cidr,
  instanceExists: (id) => instances.some((instance) => instance.id === id),
  instanceById: (id) => instances.find((instance) => instance.id === id),
  subnetById: (id) => {
    const subnet = topology.subnets.find((candidate) => candidate.id === id);
    return subnet && { ...subnet, vpcId: VPC_ID };
  },
  securityGroupExists: (id) => id === 'sg-web' || id === 'sg-extra',
  ipInCidr: () => {
    throw new Error('the ELBv2 service does its own CIDR arithmetic');
  },
};

export interface World {
  elbv2: Elbv2Service;
  clock: VirtualClock;
  call<T = Record<string, unknown>>(action: string, input: Record<string, unknown>): T;
  /** the AWS error code the call fails with (the test fails if it succeeds) */
  errorOf(action: string, input: Record<string, unknown>): { code: string; message: string };
}

export function world(quotas: Partial<Quotas> = {}, options: { resourceInUseLingerMs?: number } = {}): World {
  const clock = virtualClock();
  const elbv2 = createElbv2Service(
    { account: topology.account, region: topology.region, topology, clock },
    { ec2, quotas: { ...DEFAULT_QUOTAS, ...quotas }, ...options },
  );
  const call = <T>(action: string, input: Record<string, unknown>) => elbv2.handle(action, input) as T;
  return {
    elbv2,
    clock,
    call,
    errorOf(action, input) {
      try {
        elbv2.handle(action, input);
      } catch (error) {
        if (error instanceof AwsApiError) return { code: error.code, message: error.message };
        throw error;
      }
      throw new Error(`${action} succeeded but an AWS error was expected`);
    },
  };
}

export const ALB_INPUT = { Name: 'web', Subnets: ['subnet-a', 'subnet-b'], SecurityGroups: ['sg-web'] };

export function createAlb(w: World, input: Record<string, unknown> = {}): string {
  const out = w.call<{ LoadBalancers: { LoadBalancerArn: string }[] }>('CreateLoadBalancer', {
    ...ALB_INPUT,
    ...input,
  });
  return out.LoadBalancers[0]!.LoadBalancerArn;
}

export function createNlb(w: World, name = 'tcp'): string {
  const out = w.call<{ LoadBalancers: { LoadBalancerArn: string }[] }>('CreateLoadBalancer', {
    Name: name,
    Type: 'network',
    Subnets: ['subnet-a'],
  });
  return out.LoadBalancers[0]!.LoadBalancerArn;
}

export function createTargetGroup(w: World, input: Record<string, unknown> = {}): string {
  const out = w.call<{ TargetGroups: { TargetGroupArn: string }[] }>('CreateTargetGroup', {
    Name: 'pods',
    Protocol: 'HTTP',
    Port: '8080',
    VpcId: VPC_ID,
    TargetType: 'ip',
    ...input,
  });
  return out.TargetGroups[0]!.TargetGroupArn;
}

export function forwardTo(targetGroupArn: string) {
  return [{ Type: 'forward', TargetGroupArn: targetGroupArn }];
}

export function fixed(statusCode: string) {
  return [
    { Type: 'fixed-response', FixedResponseConfig: { StatusCode: statusCode, ContentType: 'text/plain' } },
  ];
}

export function createListener(
  w: World,
  loadBalancerArn: string,
  input: Record<string, unknown> = {},
): string {
  const out = w.call<{ Listeners: { ListenerArn: string }[] }>('CreateListener', {
    LoadBalancerArn: loadBalancerArn,
    Protocol: 'HTTP',
    Port: '80',
    DefaultActions: fixed('404'),
    ...input,
  });
  return out.Listeners[0]!.ListenerArn;
}

export function createRule(
  w: World,
  listenerArn: string,
  priority: number,
  input: Record<string, unknown> = {},
): string {
  const out = w.call<{ Rules: { RuleArn: string }[] }>('CreateRule', {
    ListenerArn: listenerArn,
    Priority: String(priority),
    Conditions: [{ Field: 'path-pattern', Values: [`/p${priority}`] }],
    Actions: fixed('200'),
    ...input,
  });
  return out.Rules[0]!.RuleArn;
}
