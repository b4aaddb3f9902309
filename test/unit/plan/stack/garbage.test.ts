import { describe, expect, it } from 'vitest';
import {
  DELETION_PROTECTION,
  type GarbageInput,
  planGarbage,
} from '../../../../shared/plan/stack/garbage.js';
import type {
  ActualListener,
  ActualLoadBalancer,
  ActualTargetGroup,
} from '../../../../shared/plan/stack-actual.js';
import type { Change } from '../../../../shared/plan/stack-changes.js';

const lb = (name: string, attributes: Record<string, string> = {}): ActualLoadBalancer => ({
  arn: `arn:lb/${name}`,
  name,
  type: 'application',
  scheme: 'internal',
  ipAddressType: 'ipv4',
  dnsName: `${name}.elb`,
  subnetIds: [],
  securityGroups: [],
  attributes,
  tags: {},
});
const listener = (lbName: string, port: number): ActualListener => ({
  arn: `arn:listener/${lbName}/${port}`,
  loadBalancerArn: `arn:lb/${lbName}`,
  port,
  protocol: 'HTTP',
  defaultActions: [],
  certificates: [],
});
const tg = (name: string) => ({ arn: `arn:tg/${name}`, name }) as ActualTargetGroup;
const revoke: Change = { op: 'revokeSecurityGroupIngress', groupId: 'sg-kept', permissions: [] };
const sg = { groupId: 'sg-old', groupName: 'old', tags: {}, ingress: [] };

const empty: GarbageInput = {
  staleLoadBalancers: [],
  listeners: [],
  keptListeners: new Set(),
  revokes: [],
  targetGroups: [],
  keptTargetGroups: new Set(),
  staleSecurityGroups: [],
};

const label = (change: Change) =>
  `${change.op} ${'arn' in change ? change.arn : 'groupId' in change ? change.groupId : ''}`;

describe('planGarbage', () => {
  const cases: { name: string; input: Partial<GarbageInput>; changes: string[]; errors: number }[] = [
    { name: 'nothing stale: nothing', input: {}, changes: [], errors: 0 },
    {
      name: 'reverse dependency order: listeners, revocations, target groups, load balancers, security groups',
      input: {
        staleLoadBalancers: [lb('old')],
        listeners: [listener('old', 80)],
        revokes: [revoke],
        targetGroups: [tg('gone')],
        staleSecurityGroups: [sg],
      },
      changes: [
        'deleteListener arn:listener/old/80',
        'revokeSecurityGroupIngress sg-kept',
        'deleteTargetGroup arn:tg/gone',
        'deleteLoadBalancer arn:lb/old',
        'deleteSecurityGroup sg-old',
      ],
      errors: 0,
    },
    {
      name: 'on the kept load balancer only the listeners it no longer has go',
      input: {
        keptLoadBalancer: lb('kept'),
        listeners: [listener('kept', 80), listener('kept', 443)],
        keptListeners: new Set(['arn:listener/kept/80']),
      },
      changes: ['deleteListener arn:listener/kept/443'],
      errors: 0,
    },
    {
      name: 'kept target groups stay',
      input: { targetGroups: [tg('a'), tg('b')], keptTargetGroups: new Set(['arn:tg/a']) },
      changes: ['deleteTargetGroup arn:tg/b'],
      errors: 0,
    },
    {
      name: 'deletion protection: the load balancer, its listeners, every target group and security group stay; revocations still go',
      input: {
        staleLoadBalancers: [lb('old', { [DELETION_PROTECTION]: 'true' })],
        listeners: [listener('old', 80)],
        revokes: [revoke],
        targetGroups: [tg('gone')],
        staleSecurityGroups: [sg],
      },
      changes: ['revokeSecurityGroupIngress sg-kept'],
      errors: 1,
    },
  ];
  it.each(cases)('$name', ({ input, changes, errors }) => {
    const plan = planGarbage({ ...empty, ...input });
    expect(plan.changes.map(label)).toEqual(changes);
    expect(plan.errors).toHaveLength(errors);
    for (const error of plan.errors) expect(error.message).toContain(`turn ${DELETION_PROTECTION} off`);
  });
});
