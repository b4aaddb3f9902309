import { describe, expect, it } from 'vitest';
import { scaledClock } from '../../../infra/local/aws/context.js';
import {
  createCluster,
  decodeSubscriptionEvent,
  type SubscriptionLambdaEvent,
} from '../../../infra/local/cluster/index.js';
import type { Pod, ReplicaSet } from '../../../infra/local/cluster/objects.js';
import { TOPOLOGY, webManifests } from './fixtures.js';

describe('on a scaled clock', () => {
  it('converges in real time, rolls a new image, and idle() resolves once the audit log is delivered', async () => {
    // Prepare: 100x faster than real time
    const payloads: SubscriptionLambdaEvent[] = [];
    const cluster = createCluster({
      clock: scaledClock(100),
      topology: TOPOLOGY,
      audit: { deliveryDelayMs: 500 },
      onSubscriptionPayload: async (event) => {
        payloads.push(event);
      },
    });
    // Act
    cluster.apply(webManifests({ replicas: 2 }));
    await cluster.idle({ timeoutMs: 10_000 });
    cluster.apply(webManifests({ replicas: 2 }).replace('nginx:1.27', 'nginx:1.28'));
    await cluster.idle({ timeoutMs: 10_000 });
    // Assess
    const pods = cluster.list<Pod>('Pod');
    expect(pods.map((p) => p.spec.containers[0]?.image)).toEqual(['nginx:1.28', 'nginx:1.28']);
    expect(
      cluster
        .list<ReplicaSet>('ReplicaSet')
        .map((rs) => rs.spec.replicas)
        .sort(),
    ).toEqual([0, 2]);
    const delivered = payloads.flatMap((p) => decodeSubscriptionEvent(p).logEvents).length;
    expect(delivered).toBe(cluster.snapshot().audit.linesWritten);
    expect(cluster.settled()).toBe(true);
    cluster.stop();
  });
});
