import { describe, expect, it } from 'vitest';
import type { Action, ListenerSpec, Stack, TargetGroupTuple } from '../../../shared/model/stack.js';
import { RESOURCE_TYPES, ref } from '../../../shared/model/stack.js';
import { DELETION_PROTECTION, planStack } from '../../../shared/plan/stack.js';
import type { ActualStack } from '../../../shared/plan/stack-actual.js';
import type { Change } from '../../../shared/plan/stack-changes.js';
import { deployedActual, desiredStack, TG_ID, VPC } from './stack-fixture.js';

/**
 * Every diff bucket of the stack plan, one named case each: the deployed account of a small ALB
 * stack, one side changed, and the exact changes planned (in order).
 */
interface DiffCase {
  name: string;
  /** changes the model after the deploy */
  desired?: (stack: Stack) => void;
  /** changes the account after the deploy (someone edited it, or AWS reports more) */
  actual?: (actual: ActualStack) => void;
  expected: Change['op'][];
}

const https = (certificate: string, sslPolicy: string): ListenerSpec => ({
  loadBalancerARN: ref(RESOURCE_TYPES.loadBalancer, 'LoadBalancer', 'loadBalancerARN'),
  port: 443,
  protocol: 'HTTPS',
  defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }],
  certificates: [{ certificateARN: certificate }],
  sslPolicy,
  tags: {},
});

const targetGroup = (stack: Stack) => stack.resources[RESOURCE_TYPES.targetGroup][TG_ID]!.spec;
const loadBalancer = (stack: Stack) => stack.resources[RESOURCE_TYPES.loadBalancer]['LoadBalancer']!.spec;

function plan(change: Pick<DiffCase, 'desired' | 'actual'>, deployedFrom = desiredStack()) {
  const actual = deployedActual(deployedFrom);
  const desired = desiredStack();
  change.desired?.(desired);
  change.actual?.(actual);
  return planStack({ stack: desired }, actual, { vpcId: VPC });
}

const cases: DiffCase[] = [
  { name: 'nothing changed: AWS-reported defaults are not diffs', expected: [] },
  {
    name: 'health check path: ModifyTargetGroup in place, no new target group',
    desired: (stack) => {
      targetGroup(stack).healthCheckConfig.path = '/healthz';
    },
    expected: ['modifyTargetGroup'],
  },
  {
    name: 'target group attribute: only the changed key',
    desired: (stack) => {
      targetGroup(stack).targetGroupAttributes = [
        { key: 'deregistration_delay.timeout_seconds', value: '5' },
      ];
    },
    expected: ['modifyTargetGroupAttributes'],
  },
  {
    name: 'target port: a new target group, added at weight 0 beside the old one while it fills',
    desired: (stack) => {
      targetGroup(stack).port = 9090;
    },
    expected: ['createTargetGroup', 'modifyRule'],
  },
  {
    name: 'target type: replaced as for the port',
    desired: (stack) => {
      targetGroup(stack).targetType = 'instance';
    },
    expected: ['createTargetGroup', 'modifyRule'],
  },
  {
    name: 'target port with no healthy target in the old group: nothing to wait for, the rule moves at once',
    desired: (stack) => {
      targetGroup(stack).port = 9090;
    },
    actual: (actual) => {
      actual.targetGroups[0]!.healthyTargets = 0;
    },
    expected: ['createTargetGroup', 'modifyRule', 'deleteTargetGroup'],
  },
  {
    name: 'listener added',
    desired: (stack) => {
      stack.resources[RESOURCE_TYPES.listener]['443'] = { spec: https('arn:cert/a', 'policy-a') };
    },
    expected: ['createListener'],
  },
  {
    name: 'listener removed',
    actual: (actual) => {
      actual.listeners.push({
        arn: 'arn:listener/443',
        loadBalancerArn: 'arn:lb/k8s-shop',
        port: 443,
        protocol: 'HTTPS',
        defaultActions: [],
        certificates: ['arn:cert/a'],
      });
    },
    expected: ['deleteListener'],
  },
  {
    name: 'listener default action changed',
    desired: (stack) => {
      stack.resources[RESOURCE_TYPES.listener]['80']!.spec.defaultActions = [
        { type: 'fixed-response', fixedResponseConfig: { statusCode: '503' } },
      ];
    },
    expected: ['modifyListener'],
  },
  {
    name: 'security group ingress added: authorized before anything else',
    desired: (stack) => {
      stack.resources[RESOURCE_TYPES.securityGroup]['ManagedLBSecurityGroup']!.spec.ingress.push({
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        ipRanges: [{ cidrIP: '10.0.0.0/8' }],
      });
    },
    expected: ['authorizeSecurityGroupIngress'],
  },
  {
    name: 'security group CIDR swapped: authorize the new first, revoke the old after the listeners',
    desired: (stack) => {
      stack.resources[RESOURCE_TYPES.securityGroup]['ManagedLBSecurityGroup']!.spec.ingress = [
        { ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIP: '192.168.0.0/16' }] },
      ];
    },
    expected: ['authorizeSecurityGroupIngress', 'revokeSecurityGroupIngress'],
  },
  {
    name: 'load balancer attribute the user set: changed',
    desired: (stack) => {
      loadBalancer(stack).loadBalancerAttributes = [{ key: 'idle_timeout.timeout_seconds', value: '120' }];
    },
    expected: ['modifyLoadBalancerAttributes'],
  },
  {
    name: 'load balancer attribute the user did not set: left as AWS has it',
    actual: (actual) => {
      actual.loadBalancers[0]!.attributes['routing.http2.enabled'] = 'false';
    },
    expected: [],
  },
  {
    name: 'tag added to the load balancer',
    desired: (stack) => {
      loadBalancer(stack).tags['owner'] = 'platform';
    },
    expected: ['addTags'],
  },
  {
    name: 'tag value changed on the target group',
    actual: (actual) => {
      actual.targetGroups[0]!.tags['owner'] = 'someone';
    },
    desired: (stack) => {
      targetGroup(stack).tags['owner'] = 'platform';
    },
    expected: ['addTags'],
  },
  {
    name: 'a tag no longer desired stays (slbc only adds and updates tags)',
    actual: (actual) => {
      actual.loadBalancers[0]!.tags['owner'] = 'platform';
    },
    expected: [],
  },
  {
    name: 'scheme: a new load balancer and listener, the rule recreated on it, the old one deleted',
    desired: (stack) => {
      loadBalancer(stack).scheme = 'internet-facing';
    },
    expected: ['createLoadBalancer', 'createListener', 'createRule', 'deleteListener', 'deleteLoadBalancer'],
  },
];

describe('planStack diff buckets', () => {
  it.each(cases)('$name', (diff) => {
    expect(plan(diff).changes.map((change) => change.op)).toEqual(diff.expected);
  });
});

describe('planStack change contents', () => {
  it('a target group replacement: create, bind and health-check the new group at weight 0, move the rule once it has a healthy target, then delete the old', () => {
    const newPort = (stack: Stack) => {
      targetGroup(stack).port = 9090;
    };
    const forward = (targetGroups: TargetGroupTuple[]) => [
      { type: 'forward', forwardConfig: { targetGroups } },
    ];
    const created = ref(RESOURCE_TYPES.targetGroup, TG_ID, 'targetGroupARN');
    const first = plan({ desired: newPort });
    expect(first.changes).toEqual([
      expect.objectContaining({ op: 'createTargetGroup', replaces: 'arn:tg/k8s-shop-web' }),
      expect.objectContaining({
        op: 'modifyRule',
        actions: forward([
          { targetGroupARN: 'arn:tg/k8s-shop-web', weight: 1 },
          { targetGroupARN: created, weight: 0 },
        ]),
      }),
    ]);
    // the binding written after this pass names the new group: the targets side fills it
    expect(first.targetGroups[TG_ID]).toEqual(created);
    expect(first.waiting).toEqual([{ targetGroup: TG_ID, message: expect.stringContaining('k8s-shop-web') }]);

    const withNewGroup = (healthy: number) => (actual: ActualStack) => {
      const old = actual.targetGroups[0]!;
      old.healthyTargets = 2;
      actual.targetGroups.push({
        ...old,
        arn: 'arn:tg/new',
        name: 'k8s-shop-web-new',
        port: 9090,
        healthyTargets: healthy,
      });
      actual.rules[0]!.actions = forward([
        { targetGroupARN: 'arn:tg/new', weight: 0 },
        { targetGroupARN: 'arn:tg/k8s-shop-web', weight: 1 },
      ]) as Action[];
    };
    const filling = plan({ desired: newPort, actual: withNewGroup(0) });
    expect(filling.changes).toEqual([]);
    expect(filling.targetGroups[TG_ID]).toBe('arn:tg/new');
    expect(filling.waiting).toHaveLength(1);

    const ready = plan({ desired: newPort, actual: withNewGroup(1) });
    expect(ready.waiting).toEqual([]);
    expect(ready.changes).toEqual([
      expect.objectContaining({ op: 'modifyRule', actions: forward([{ targetGroupARN: 'arn:tg/new' }]) }),
      { op: 'deleteTargetGroup', arn: 'arn:tg/k8s-shop-web', name: 'k8s-shop-web' },
    ]);
  });

  it('an NLB stack swaps a replaced target group in one pass (its listener forwards to one group)', () => {
    const asService = (stack: Stack): Stack =>
      JSON.parse(
        JSON.stringify({ ...stack, kind: 'service' }).replaceAll('ingress.k8s.aws/', 'service.k8s.aws/'),
      );
    const desired = asService(desiredStack());
    targetGroup(desired).port = 9090;
    const { changes, waiting } = planStack({ stack: desired }, deployedActual(asService(desiredStack())), {
      vpcId: VPC,
    });
    expect(changes.map((change) => change.op)).toEqual([
      'createTargetGroup',
      'modifyRule',
      'deleteTargetGroup',
    ]);
    expect(waiting).toEqual([]);
  });

  it('a health check change keeps the target group and sends the whole new health check', () => {
    const { changes, targetGroups } = plan({
      desired: (stack) => {
        targetGroup(stack).healthCheckConfig.intervalSeconds = 30;
      },
    });
    expect(targetGroups[TG_ID]).toBe('arn:tg/k8s-shop-web');
    expect(changes).toEqual([
      {
        op: 'modifyTargetGroup',
        id: TG_ID,
        arn: 'arn:tg/k8s-shop-web',
        healthCheck: expect.objectContaining({ intervalSeconds: 30, path: '/' }),
      },
    ]);
  });

  it.each([
    ['certificate', https('arn:cert/b', 'policy-a')],
    ['ssl policy', https('arn:cert/a', 'policy-b')],
  ])('an HTTPS listener whose %s changed is modified in place', (_name, spec) => {
    const deployed = desiredStack();
    deployed.resources[RESOURCE_TYPES.listener]['443'] = { spec: https('arn:cert/a', 'policy-a') };
    const { changes } = plan(
      {
        desired: (stack) => {
          stack.resources[RESOURCE_TYPES.listener]['443'] = { spec };
        },
      },
      deployed,
    );
    expect(changes).toEqual([
      {
        op: 'modifyListener',
        id: '443',
        arn: 'arn:listener/443',
        spec: { ...spec, loadBalancerARN: 'arn:lb/k8s-shop' },
      },
    ]);
  });

  it('security group diffs name exactly the permissions to add and to remove', () => {
    const { changes } = plan({
      desired: (stack) => {
        stack.resources[RESOURCE_TYPES.securityGroup]['ManagedLBSecurityGroup']!.spec.ingress = [
          { ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIP: '192.168.0.0/16' }] },
        ];
      },
    });
    expect(changes).toEqual([
      {
        op: 'authorizeSecurityGroupIngress',
        groupId: 'sg-ManagedLBSecurityGroup',
        permissions: [
          { ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIP: '192.168.0.0/16' }] },
        ],
      },
      {
        op: 'revokeSecurityGroupIngress',
        groupId: 'sg-ManagedLBSecurityGroup',
        permissions: [{ ipProtocol: 'tcp', fromPort: 80, toPort: 80, ipRanges: [{ cidrIP: '10.0.0.0/8' }] }],
      },
    ]);
  });

  it('load balancer attributes: only the keys the user set, only those that differ', () => {
    const { changes } = plan({
      desired: (stack) => {
        loadBalancer(stack).loadBalancerAttributes = [
          { key: 'idle_timeout.timeout_seconds', value: '60' },
          { key: 'routing.http2.enabled', value: 'false' },
        ];
      },
    });
    expect(changes).toEqual([
      {
        op: 'modifyLoadBalancerAttributes',
        arn: 'arn:lb/k8s-shop',
        attributes: [{ key: 'routing.http2.enabled', value: 'false' }],
      },
    ]);
  });

  it('tags: only the missing or changed keys are written', () => {
    const { changes } = plan({
      desired: (stack) => {
        loadBalancer(stack).tags['owner'] = 'platform';
      },
      actual: (actual) => {
        actual.loadBalancers[0]!.tags['owner'] = 'someone';
      },
    });
    expect(changes).toEqual([{ op: 'addTags', arn: 'arn:lb/k8s-shop', tags: { owner: 'platform' } }]);
  });

  it('a scheme change with deletion protection on the old load balancer keeps it, its listener and target group, and says why', () => {
    const { changes, errors } = plan({
      desired: (stack) => {
        loadBalancer(stack).scheme = 'internet-facing';
      },
      actual: (actual) => {
        actual.loadBalancers[0]!.attributes[DELETION_PROTECTION] = 'true';
      },
    });
    expect(changes.map((change) => change.op)).toEqual([
      'createLoadBalancer',
      'createListener',
      'createRule',
    ]);
    expect(errors).toEqual([
      { field: 'loadBalancer', message: expect.stringMatching(/k8s-shop .*deletion protection on/) },
    ]);
  });
});
