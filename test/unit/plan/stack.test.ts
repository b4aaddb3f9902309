import { describe, expect, it } from 'vitest';
import type { Stack } from '../../../shared/model/stack.js';
import { emptyResources, ref } from '../../../shared/model/stack.js';
import { TAG_KEYS } from '../../../shared/model/tags.js';
import { planStack } from '../../../shared/plan/stack.js';
import { type ActualRule, type ActualStack, emptyActual } from '../../../shared/plan/stack-actual.js';

const VPC = 'vpc-1';
const tags = { [TAG_KEYS.cluster]: 'demo', [TAG_KEYS.ingressStack]: 'shop' };
const LISTENER = ref('AWS::ElasticLoadBalancingV2::Listener', '80', 'listenerARN');

function stack(paths: string[], errorFree = true): Stack {
  const resources = emptyResources();
  resources['AWS::ElasticLoadBalancingV2::Listener']['80'] = {
    spec: {
      loadBalancerARN: ref('AWS::ElasticLoadBalancingV2::LoadBalancer', 'LoadBalancer', 'loadBalancerARN'),
      port: 80,
      protocol: 'HTTP',
      defaultActions: [
        { type: 'fixed-response', fixedResponseConfig: { contentType: 'text/plain', statusCode: '404' } },
      ],
      tags,
    },
  };
  resources['AWS::ElasticLoadBalancingV2::LoadBalancer']['LoadBalancer'] = {
    spec: {
      name: 'k8s-shop',
      type: 'application',
      scheme: 'internal',
      ipAddressType: 'ipv4',
      subnetMapping: [{ subnetID: 's-1' }, { subnetID: 's-2' }],
      securityGroups: ['sg-1'],
      loadBalancerAttributes: [],
      tags: { ...tags, [TAG_KEYS.ingressResource]: 'LoadBalancer' },
    },
  };
  paths.forEach((path, index) => {
    resources['AWS::ElasticLoadBalancingV2::ListenerRule'][`80:${index + 1}`] = {
      spec: {
        listenerARN: LISTENER,
        priority: index + 1,
        actions: [
          { type: 'forward', forwardConfig: { targetGroups: [{ targetGroupARN: `arn:tg${path}` }] } },
        ],
        conditions: [{ field: 'path-pattern', pathPatternConfig: { values: [path] } }],
        tags: { ...tags, [TAG_KEYS.ingressResource]: `80:${index + 1}` },
      },
      source: { kind: 'Ingress', namespace: 'shop', name: path === '/bad' ? 'bad' : 'front' },
    };
  });
  void errorFree;
  return { id: 'shop', kind: 'ingress', stackTags: tags, members: [], resources };
}

function actualFor(paths: string[], members: string[] = paths.map(() => 'shop/front')): ActualStack {
  const actual = emptyActual();
  actual.loadBalancers.push({
    arn: 'arn:lb',
    name: 'k8s-shop',
    type: 'application',
    scheme: 'internal',
    ipAddressType: 'ipv4',
    dnsName: 'lb.local',
    subnetIds: ['s-1', 's-2'],
    securityGroups: ['sg-1'],
    attributes: {},
    tags: { ...tags, [TAG_KEYS.ingressResource]: 'LoadBalancer' },
  });
  actual.listeners.push({
    arn: 'arn:l80',
    loadBalancerArn: 'arn:lb',
    port: 80,
    protocol: 'HTTP',
    defaultActions: [
      { type: 'fixed-response', fixedResponseConfig: { contentType: 'text/plain', statusCode: '404' } },
    ],
    certificates: [],
  });
  paths.forEach((path, index) => {
    const rule: ActualRule = {
      arn: `arn:rule${path}`,
      listenerArn: 'arn:l80',
      priority: index + 1,
      actions: [
        {
          type: 'forward',
          forwardConfig: { targetGroups: [{ targetGroupARN: `arn:tg${path}`, weight: 1 }] },
        },
      ],
      conditions: [{ field: 'path-pattern', pathPatternConfig: { values: [path] } }],
      tags: {
        ...tags,
        [TAG_KEYS.ingressResource]: `80:${index + 1}`,
        [TAG_KEYS.member]: members[index] ?? '',
      },
    };
    actual.rules.push(rule);
  });
  return actual;
}

const ops = (paths: string[], actual: ActualStack, errors: string[] = []) =>
  planStack({ stack: stack(paths) }, actual, {
    vpcId: VPC,
    membersInError: errors.map((name) => ({ kind: 'Ingress', namespace: 'shop', name })),
  }).changes.map((change) => change.op);

describe('planStack', () => {
  it.each([
    ['nothing changed', ['/a', '/b'], ['/a', '/b'], [], []],
    ['create all', ['/a'], null, [], ['createLoadBalancer', 'createListener', 'createRule']],
    [
      'rule added in the middle: move, then create',
      ['/a', '/n', '/b'],
      ['/a', '/b'],
      [],
      ['setRulePriorities', 'addTags', 'createRule'],
    ],
    ['rule removed', ['/a'], ['/a', '/b'], [], ['deleteRule']],
    [
      'rules reordered: one atomic SetRulePriorities',
      ['/b', '/a'],
      ['/a', '/b'],
      [],
      ['setRulePriorities', 'addTags', 'addTags'],
    ],
    ['member in error keeps its rule', ['/a'], ['/a', '/bad'], ['bad'], []],
    ['member fixed and gone: its rule is deleted', ['/a'], ['/a', '/bad'], [], ['deleteRule']],
  ] as const)('%s', (_name, desired, actual, errors, expected) => {
    const current =
      actual === null
        ? emptyActual()
        : actualFor(
            [...actual],
            actual.map((p) => (p === '/bad' ? 'shop/bad' : 'shop/front')),
          );
    expect(ops([...desired], current, [...errors])).toEqual(expected);
  });

  it('an action change at the same priority is modified in place', () => {
    const actual = actualFor(['/a']);
    const rule = actual.rules[0];
    if (rule)
      rule.actions = [{ type: 'forward', forwardConfig: { targetGroups: [{ targetGroupARN: 'arn:old' }] } }];
    expect(ops(['/a'], actual)).toEqual(['modifyRule']);
  });

  it('foreign resources are never touched', () => {
    const actual = actualFor(['/a']);
    actual.loadBalancers.push({ ...actual.loadBalancers[0]!, arn: 'arn:foreign', tags: { Name: 'x' } });
    expect(ops(['/a'], actual)).toEqual([]);
  });

  it('an emptied stack is collected, but deletion protection keeps the load balancer and says why', () => {
    const empty: Stack = {
      id: 'shop',
      kind: 'ingress',
      stackTags: tags,
      members: [],
      resources: emptyResources(),
    };
    const actual = actualFor(['/a']);
    expect(planStack({ stack: empty }, actual, { vpcId: VPC }).changes.map((c) => c.op)).toEqual([
      'deleteListener',
      'deleteLoadBalancer',
    ]);
    const lb = actual.loadBalancers[0];
    if (lb) lb.attributes['deletion_protection.enabled'] = 'true';
    const plan = planStack({ stack: empty }, actual, { vpcId: VPC });
    expect(plan.changes).toEqual([]);
    expect(plan.errors[0]?.message).toContain('deletion protection');
  });

  it('a stack error plans nothing', () => {
    const plan = planStack(
      { stack: stack(['/a']), stackErrors: [{ field: 'subnets', message: 'none' }] },
      emptyActual(),
      {
        vpcId: VPC,
      },
    );
    expect(plan.changes).toEqual([]);
  });
});
