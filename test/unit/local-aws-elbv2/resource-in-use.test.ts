/**
 * ResourceInUse after DeleteLoadBalancer. AWS (DeleteTargetGroup API reference): "You can't
 * delete a target group if it is used by any actions"; once the load balancer is deleted, its
 * listeners' hold on the group is released asynchronously, so a DeleteTargetGroup right after
 * DeleteLoadBalancer answers ResourceInUse for a while. The LBC polls the delete every 2 s for up
 * to 20 s on exactly this error (target_group_manager.go, defaultWaitTGDeletionTimeout).
 */
import { describe, expect, it } from 'vitest';
import { RESOURCE_IN_USE_LINGER_MS } from '../../../infra/local/aws/service.js';
import { createAlb, createListener, createTargetGroup, forwardTo, type World, world } from './fixture.js';

function albForwardingTo(w: World, name: string, targetGroupArn: string): string {
  const arn = createAlb(w, { Name: name });
  createListener(w, arn, { DefaultActions: forwardTo(targetGroupArn) });
  return arn;
}

describe('ResourceInUse lingers after DeleteLoadBalancer', () => {
  it('refuses the group for the linger, on the endpoint clock, then deletes it', () => {
    const w = world({}, { resourceInUseLingerMs: 8_000 });
    const group = createTargetGroup(w);
    const alb = albForwardingTo(w, 'web', group);
    w.call('DeleteLoadBalancer', { LoadBalancerArn: alb });
    expect(w.errorOf('DeleteTargetGroup', { TargetGroupArn: group }).code).toBe('ResourceInUse');
    w.clock.advance(7_999);
    expect(w.errorOf('DeleteTargetGroup', { TargetGroupArn: group }).code).toBe('ResourceInUse');
    w.clock.advance(1);
    w.call('DeleteTargetGroup', { TargetGroupArn: group });
    expect(w.call<{ TargetGroups: unknown[] }>('DescribeTargetGroups', {}).TargetGroups).toEqual([]);
  });

  it('lingers by default, within the 20 s the LBC waits', () => {
    expect(RESOURCE_IN_USE_LINGER_MS).toBeGreaterThan(0);
    expect(RESOURCE_IN_USE_LINGER_MS).toBeLessThan(20_000);
    const w = world();
    const group = createTargetGroup(w);
    w.call('DeleteLoadBalancer', { LoadBalancerArn: albForwardingTo(w, 'web', group) });
    expect(w.errorOf('DeleteTargetGroup', { TargetGroupArn: group }).code).toBe('ResourceInUse');
    w.clock.advance(RESOURCE_IN_USE_LINGER_MS);
    w.call('DeleteTargetGroup', { TargetGroupArn: group });
  });

  it.each([
    ['a group no load balancer ever used', false],
    ['a group of a load balancer deleted with linger 0', true],
  ])('deletes at once %s', (_name, usedBefore) => {
    const w = world({}, { resourceInUseLingerMs: 0 });
    const group = createTargetGroup(w);
    if (usedBefore) w.call('DeleteLoadBalancer', { LoadBalancerArn: albForwardingTo(w, 'web', group) });
    w.call('DeleteTargetGroup', { TargetGroupArn: group });
    expect(w.call<{ TargetGroups: unknown[] }>('DescribeTargetGroups', {}).TargetGroups).toEqual([]);
  });

  it('leaves other groups alone and keeps a group another load balancer still uses in use', () => {
    const w = world({}, { resourceInUseLingerMs: 8_000 });
    const shared = createTargetGroup(w, { Name: 'shared' });
    const unrelated = createTargetGroup(w, { Name: 'unrelated' });
    const doomed = albForwardingTo(w, 'doomed', shared);
    const survivor = createAlb(w, { Name: 'survivor' });
    createListener(w, survivor, { Port: '81', DefaultActions: forwardTo(unrelated) });
    w.call('DeleteLoadBalancer', { LoadBalancerArn: doomed });
    w.clock.advance(8_000);
    w.call('DeleteTargetGroup', { TargetGroupArn: shared });
    expect(w.errorOf('DeleteTargetGroup', { TargetGroupArn: unrelated }).code).toBe('ResourceInUse');
  });

  it('rejects a negative linger naming the option', () => {
    expect(() => world({}, { resourceInUseLingerMs: -1 })).toThrow(
      'resourceInUseLingerMs must be a number >= 0',
    );
  });
});
