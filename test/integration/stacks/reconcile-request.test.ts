import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../../shared/events/contract.js';
import { CLUSTER, type Harness, startHarness } from './harness.js';

/** A Reconcile Requested from resync makes stacks work a key whose event was lost. */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const request = (key: string, id: string): BusEvent => ({
  version: '0',
  id,
  'detail-type': 'Reconcile Requested',
  source: 'slbc.internal',
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'eu-west-1',
  resources: [],
  detail: {
    version: 1,
    cluster: CLUSTER,
    key,
    reason: 'lease-expired',
    observedAt: new Date().toISOString(),
  },
});

describe('stacks on Reconcile Requested', () => {
  it('reconciles a stack key from the mirror alone, and ignores target group keys', async () => {
    // the Service reached the mirror, but the invocation that should have built its NLB died
    await h.deps.state.mirror.upsertObject(
      CLUSTER,
      'Service',
      {
        metadata: {
          name: 'api',
          namespace: 'shop',
          uid: 'uid-api',
          resourceVersion: '7',
          annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' },
        },
        spec: { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
      { observedAt: '2026-11-26T10:00:00Z', auditId: 'a1' },
    );
    const ignored = await h.deliver(
      request('tg#arn:aws:elasticloadbalancing:eu-west-1:0:targetgroup/x/1', 'r1'),
    );
    expect(ignored.keys).toEqual([]);
    expect((await h.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).toHaveLength(0);

    const worked = await h.deliver(request(`stack#${CLUSTER}#service/shop/api`, 'r2'));
    expect(worked.keys).toEqual([`stack#${CLUSTER}#service/shop/api`]);
    const lbs = (await h.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    expect(lbs.map((lb) => lb.Type)).toEqual(['network']);
  });

  it('records a request for a cluster it does not serve as an error naming the field', async () => {
    const event = request(`stack#elsewhere#service/shop/api`, 'r3');
    (event.detail as { cluster: string }).cluster = 'elsewhere';
    const summary = await h.deliver(event);
    expect(summary.keys).toEqual([]);
    const errors = await h.deps.state.errors.list();
    expect(errors.map((error) => error.field)).toContain('detail.cluster');
  });
});
