/**
 * slbc against a lingering ResourceInUse. AWS frees a target group asynchronously after its load
 * balancer is deleted, so DeleteTargetGroup answers ResourceInUse for a while (the LBC retries it
 * for up to 20 s, target_group_manager.go). slbc translates it to a RetryableError: the pass
 * stops, the key stays dirty, and a later pass (Lambda's retry, or a Reconcile Requested) deletes
 * the group once AWS has let go. Here the load balancer is deleted out of band (an operator in the
 * console), then the Service stops being a LoadBalancer.
 */
import {
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RESOURCE_IN_USE_LINGER_MS } from '../../../infra/local/aws/service.js';
import { RetryableError } from '../../../shared/errors.js';
import type { BusEvent } from '../../../shared/events/contract.js';
import { processEvent } from '../../../shared/reconcile/stacks/process.js';
import { CLUSTER, changeEvent, type Harness, startHarness } from '../stacks/harness.js';

vi.setConfig({ testTimeout: 120_000 });

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const service = (type: string) => ({
  metadata: {
    name: 'web',
    namespace: 'shop',
    annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' },
  },
  spec: {
    type,
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
});

const reconcileRequested = (key: string): BusEvent => ({
  version: '0',
  id: 'r1',
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

describe('ResourceInUse after DeleteLoadBalancer, through stacks', () => {
  it('the pass fails retryably while the group lingers, and a later pass deletes it', async () => {
    await h.deliver(changeEvent('Service', service('LoadBalancer'), 'create'));
    const [lb] = (await h.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    await h.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));

    // while AWS still holds the group: every attempt stops on it, retryably, and leaves it
    const clusterIp = changeEvent('Service', service('ClusterIP'));
    const failure = await processEvent(h.deps, clusterIp).catch((error) => error);
    expect(failure).toBeInstanceOf(RetryableError);
    expect(String(failure.message)).toContain('ResourceInUse');
    expect((await h.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).toHaveLength(1);
    expect(h.aws.counters.snapshot().byAction['elbv2:DeleteTargetGroup']).toBe(1);

    // once it lets go, the next pass of the still-dirty key finishes the job
    h.advance(RESOURCE_IN_USE_LINGER_MS);
    // (Lambda's retry of the same event finds it a duplicate in the mirror and works no key; the
    // dirty key is picked up by resync's Reconcile Requested, as here.)
    await h.deliver(reconcileRequested(`stack#${CLUSTER}#service/shop/web`));
    expect((await h.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).toEqual([]);
  });
});
