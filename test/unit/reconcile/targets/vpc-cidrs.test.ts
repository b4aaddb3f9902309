import { describe, expect, it } from 'vitest';
import { vpcCidrsFor } from '../../../../shared/reconcile/targets/vpc-cidrs.js';
import type { Binding } from '../../../../shared/state/index.js';
import { CLUSTER, memoryState, quietLogger } from '../fixtures.js';

const base: Binding = {
  cluster: CLUSTER,
  targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/web/1',
  stackKey: 'ingress/shop',
  service: { namespace: 'shop', name: 'web', port: 80 },
  targetType: 'ip',
  createdBySlbc: true,
  updatedAt: '2026-12-05T00:00:00Z',
};
const STACK_KEY = `stack#${CLUSTER}#ingress/shop`;

describe('vpcCidrsFor: the binding carries the VPC CIDRs, targets never asks EC2', () => {
  it.each([
    {
      name: 'ip binding with CIDRs',
      binding: { ...base, vpcCidrs: ['10.0.0.0/16'] },
      cidrs: ['10.0.0.0/16'],
      stackBumped: false,
    },
    {
      name: 'instance binding',
      binding: { ...base, targetType: 'instance' as const },
      cidrs: undefined,
      stackBumped: false,
    },
    { name: 'old ip binding without CIDRs', binding: base, cidrs: undefined, stackBumped: true },
  ])('$name', async ({ binding, cidrs, stackBumped }) => {
    const state = memoryState();
    expect(await vpcCidrsFor({ state, logger: quietLogger }, binding)).toEqual(cidrs);
    const entry = await state.queue.get(STACK_KEY);
    // the old binding's stack is left dirty, so resync asks stacks to rewrite it with the CIDRs
    expect(entry !== undefined && entry.gen > entry.doneGen).toBe(stackBumped);
  });
});
