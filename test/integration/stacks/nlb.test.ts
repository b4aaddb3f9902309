import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeEvent, type Harness, startHarness } from './harness.js';

vi.setConfig({ testTimeout: 120_000 });

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const service = (annotations: Record<string, string> = {}, type = 'LoadBalancer') => ({
  metadata: {
    name: 'web',
    namespace: 'shop',
    annotations: {
      // the mission's example exactly: this one annotation and nothing else
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      ...annotations,
    },
  },
  spec: {
    type,
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
});

describe('an NLB Service end to end on the local endpoint', () => {
  it('creates an NLB with an ip target group on the targetPort, binds it and tells targets; deletes it all', async () => {
    await h.deliver(changeEvent('Service', service(), 'create'));
    const lbs = (await h.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    expect(lbs).toHaveLength(1);
    expect(lbs[0]?.Type).toBe('network');
    const groups = (await h.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ TargetType: 'ip', Port: 8080, Protocol: 'TCP' });
    const listeners = (
      await h.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbs[0]?.LoadBalancerArn }))
    ).Listeners;
    expect(listeners?.map((l) => l.Port)).toEqual([80]);

    const arn = groups[0]?.TargetGroupArn ?? '';
    const binding = await h.deps.state.bindings.get(arn);
    expect(binding).toMatchObject({
      stackKey: 'service/shop/web',
      service: { namespace: 'shop', name: 'web', port: 80 }, // the Service port, as a TargetGroupBinding names it
      targetType: 'ip',
      createdBySlbc: true,
      // the VPC's CIDRs ride on the binding: targets plans AvailabilityZone=all without EC2
      vpcCidrs: ['10.0.0.0/16'],
    });
    expect(h.published).toHaveLength(1);
    expect(h.published[0]?.DetailType).toBe('Target Group Bound');
    expect(JSON.parse(h.published[0]?.Detail ?? '{}')).toMatchObject({ targetGroupArn: arn });
    const status = await h.deps.state.status.list('demo');
    expect(status).toEqual([
      expect.objectContaining({ kind: 'Service', name: 'web', hostname: lbs[0]?.DNSName }),
    ]);

    // nothing changed: a second pass makes no mutating call
    const before = h.aws.counters.snapshot();
    await h.deliver(
      changeEvent('Service', { ...service(), spec: { ...service().spec, sessionAffinity: 'None' } }),
    );
    const after = h.aws.counters.snapshot();
    expect(after.elbv2Mutations - before.elbv2Mutations).toBe(0);
    expect(after.byAction['ec2:CreateSecurityGroup'] ?? 0).toBe(
      before.byAction['ec2:CreateSecurityGroup'] ?? 0,
    );

    // no longer a LoadBalancer: everything owned goes
    await h.deliver(changeEvent('Service', service({}, 'ClusterIP')));
    expect((await h.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).toHaveLength(0);
    expect((await h.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).toHaveLength(0);
    expect(await h.deps.state.bindings.get(arn)).toBeUndefined();
    expect(await h.deps.state.status.list('demo')).toEqual([]);
  });
});
