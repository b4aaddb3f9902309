import { describe, expect, it } from 'vitest';
import { createAlb, createListener, createRule, createTargetGroup, type World, world } from './fixture.js';

type TagDescriptions = { TagDescriptions: { ResourceArn: string; Tags: { Key: string; Value: string }[] }[] };

function everyResource(w: World) {
  const balancer = createAlb(w, { Tags: [{ Key: 'elbv2.k8s.aws/cluster', Value: 'demo' }] });
  const group = createTargetGroup(w, { Tags: [{ Key: 'ingress.k8s.aws/stack', Value: 'web' }] });
  const listener = createListener(w, balancer, { Tags: [{ Key: 'owner', Value: 'slbc' }] });
  const rule = createRule(w, listener, 1, {
    Tags: [{ Key: 'ingress.k8s.aws/resource', Value: 'default/web-svc:80' }],
  });
  return { balancer, group, listener, rule };
}

describe('tags', () => {
  it('keeps the tags given at create time on every resource type', () => {
    const w = world();
    const arns = everyResource(w);
    const out = w.call<TagDescriptions>('DescribeTags', { ResourceArns: Object.values(arns) });
    expect(out.TagDescriptions.map((description) => description.Tags[0]?.Key)).toEqual([
      'elbv2.k8s.aws/cluster',
      'ingress.k8s.aws/stack',
      'owner',
      'ingress.k8s.aws/resource',
    ]);
  });

  it('adds (overwriting a key) and removes tags', () => {
    const w = world();
    const { group } = everyResource(w);
    w.call('AddTags', {
      ResourceArns: [group],
      Tags: [
        { Key: 'ingress.k8s.aws/stack', Value: 'api' },
        { Key: 'team', Value: 'edge' },
      ],
    });
    w.call('RemoveTags', { ResourceArns: [group], TagKeys: ['team'] });
    expect(
      w.call<TagDescriptions>('DescribeTags', { ResourceArns: [group] }).TagDescriptions[0]!.Tags,
    ).toEqual([{ Key: 'ingress.k8s.aws/stack', Value: 'api' }]);
  });

  it.each([
    [
      'a repeated key',
      (arn: string) => ({
        ResourceArns: [arn],
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
      }),
      'DuplicateTagKeys',
    ],
    [
      'an aws: key',
      (arn: string) => ({ ResourceArns: [arn], Tags: [{ Key: 'aws:cloudformation:stack', Value: 'x' }] }),
      'ValidationError',
    ],
    [
      'a value of 257 characters',
      (arn: string) => ({ ResourceArns: [arn], Tags: [{ Key: 'a', Value: 'v'.repeat(257) }] }),
      'ValidationError',
    ],
    [
      'an unknown load balancer',
      (arn: string) => ({ ResourceArns: [`${arn}0`], Tags: [{ Key: 'a', Value: '1' }] }),
      'LoadBalancerNotFound',
    ],
    ['no tags', (arn: string) => ({ ResourceArns: [arn], Tags: [] }), 'ValidationError'],
  ])('AddTags rejects %s', (_name, input, code) => {
    const w = world();
    const { balancer } = everyResource(w);
    expect(w.errorOf('AddTags', input(balancer)).code).toBe(code);
  });

  it.each([
    ['target group', 'targetgroup/x/0', 'TargetGroupNotFound'],
    ['listener', 'listener/app/x/0/0', 'ListenerNotFound'],
    ['rule', 'listener-rule/app/x/0/0/0', 'RuleNotFound'],
    ['load balancer', 'loadbalancer/app/x/0', 'LoadBalancerNotFound'],
  ])('DescribeTags answers an unknown %s with %s', (_name, resource, code) => {
    const arn = `arn:aws:elasticloadbalancing:us-east-1:123456789012:${resource}`;
    expect(world().errorOf('DescribeTags', { ResourceArns: [arn] }).code).toBe(code);
  });

  it('DescribeTags takes at most 20 resources', () => {
    const w = world();
    const { balancer } = everyResource(w);
    expect(w.errorOf('DescribeTags', { ResourceArns: Array(21).fill(balancer) }).code).toBe(
      'ValidationError',
    );
    expect(
      w.call<TagDescriptions>('DescribeTags', { ResourceArns: Array(20).fill(balancer) }).TagDescriptions,
    ).toHaveLength(20);
  });

  it('answers TooManyTags past the per-resource quota, at create and on AddTags, changing nothing', () => {
    const w = world({ tagsPerResource: 2 });
    const tags = (count: number) =>
      Array.from({ length: count }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
    expect(
      w.errorOf('CreateTargetGroup', {
        Name: 'pods',
        Protocol: 'HTTP',
        Port: '80',
        VpcId: 'vpc-0123456789abcdef0',
        Tags: tags(3),
      }).code,
    ).toBe('TooManyTags');
    const group = createTargetGroup(w, { Tags: tags(2) });
    const balancer = createAlb(w);
    expect(
      w.errorOf('AddTags', { ResourceArns: [balancer, group], Tags: [{ Key: 'extra', Value: 'v' }] }).code,
    ).toBe('TooManyTags');
    expect(
      w.call<TagDescriptions>('DescribeTags', { ResourceArns: [balancer] }).TagDescriptions[0]!.Tags,
    ).toEqual([]);
  });
});
