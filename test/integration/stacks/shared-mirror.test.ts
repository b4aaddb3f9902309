import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusEvent, ClusterChangeDetail } from '../../../shared/events/contract.js';
import { CLUSTER, changeEvent, type Harness, startHarness } from './harness.js';

/**
 * Service events go to targets and stacks alike, and both write the same mirror item. When
 * targets gets there first, stacks must still build (and later delete) the NLB.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const service = {
  metadata: {
    name: 'api',
    namespace: 'shop',
    annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' },
  },
  spec: { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
};

/** What the targets function does with the same event before stacks sees it. */
async function targetsWritesFirst(event: BusEvent): Promise<void> {
  const detail = event.detail as ClusterChangeDetail;
  const meta = { observedAt: detail.observedAt, auditId: detail.auditId };
  if (detail.verb === 'delete') {
    await h.deps.state.mirror.deleteObject(
      {
        cluster: CLUSTER,
        kind: 'Service',
        namespace: 'shop',
        name: 'api',
        uid: detail.uid,
        resourceVersion: detail.resourceVersion,
      },
      meta,
    );
  } else {
    await h.deps.state.mirror.upsertObject(CLUSTER, 'Service', detail.object as never, meta);
  }
}

const loadBalancers = async () =>
  (await h.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];

describe('stacks when targets mirrored the Service first', () => {
  it('still builds the NLB, and still deletes it', async () => {
    const created = changeEvent('Service', service, 'create');
    await targetsWritesFirst(created);
    const first = await h.deliver(created);
    expect(first.keys).toEqual([`stack#${CLUSTER}#service/shop/api`]);
    expect((await loadBalancers()).map((lb) => lb.Type)).toEqual(['network']);

    const deleted = changeEvent('Service', service, 'delete');
    await targetsWritesFirst(deleted);
    await h.deliver(deleted);
    expect(await loadBalancers()).toEqual([]);
  });
});
