import { describe, expect, it } from 'vitest';
import { advanceUntilSettled } from '../../../infra/local/cluster/index.js';
import type { Deployment, Pod } from '../../../infra/local/cluster/objects.js';
import { rollingBounds } from '../../../infra/local/cluster/workloads.js';
import { podsOf, testCluster, webManifests } from './fixtures.js';

const isReady = (p: Pod) =>
  p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('rollingBounds', () => {
  const cases = [
    { name: 'defaults 25%/25% of 4', replicas: 4, surge: undefined, unavailable: undefined, want: [1, 1] },
    {
      name: 'surge rounds up, unavailable down',
      replicas: 10,
      surge: '25%',
      unavailable: '25%',
      want: [3, 2],
    },
    { name: 'integers as given', replicas: 5, surge: 2, unavailable: 1, want: [2, 1] },
    {
      name: 'both zero after rounding: unavailable becomes 1',
      replicas: 3,
      surge: '0%',
      unavailable: '10%',
      want: [0, 1],
    },
    { name: '1% of 3 surges 1', replicas: 3, surge: '1%', unavailable: 0, want: [1, 0] },
  ];
  for (const c of cases)
    it(c.name, () => {
      const deployment = {
        spec: {
          replicas: c.replicas,
          strategy: { rollingUpdate: { maxSurge: c.surge, maxUnavailable: c.unavailable } },
        },
      } as unknown as Deployment;
      const { maxSurge, maxUnavailable } = rollingBounds(deployment);
      expect([maxSurge, maxUnavailable]).toEqual(c.want);
    });
});

describe('rolling updates', () => {
  const cases = [
    { name: 'maxSurge 1, maxUnavailable 0', replicas: 4, maxSurge: 1, maxUnavailable: 0 },
    { name: 'maxSurge 0, maxUnavailable 1', replicas: 4, maxSurge: 0, maxUnavailable: 1 },
    { name: '25% / 25% of 6', replicas: 6, maxSurge: '25%', maxUnavailable: '25%' },
    { name: '50% / 0% of 3', replicas: 3, maxSurge: '50%', maxUnavailable: '0%' },
  ];
  for (const c of cases)
    it(`respects ${c.name} at every step and replaces every pod`, async () => {
      // Prepare
      const { cluster, clock } = testCluster();
      cluster.apply(webManifests(c));
      await advanceUntilSettled(cluster, clock);
      const deployment = cluster.get<Deployment>('Deployment', 'default/web') as Deployment;
      const { maxSurge, maxUnavailable } = rollingBounds(deployment);
      const original = new Set(podsOf(cluster).map((p) => p.metadata.uid));
      // Act
      cluster.rollout('default/web');
      let steps = 0;
      let peak = 0;
      while (!cluster.settled() && steps < 2000) {
        // Assess at every step
        const live = podsOf(cluster).filter((p) => !p.metadata.deletionTimestamp);
        peak = Math.max(peak, live.length);
        expect(live.length).toBeLessThanOrEqual(c.replicas + maxSurge);
        expect(live.filter(isReady).length).toBeGreaterThanOrEqual(c.replicas - maxUnavailable);
        clock.advance(50);
        steps++;
      }
      const final = podsOf(cluster);
      expect(final).toHaveLength(c.replicas);
      expect(final.every((p) => !original.has(p.metadata.uid) && isReady(p))).toBe(true);
      expect(peak).toBe(c.replicas + maxSurge);
      const replicaSets = cluster.list('ReplicaSet');
      expect(replicaSets).toHaveLength(2);
    });

  it('a Recreate strategy removes every old pod before starting new ones', async () => {
    const { cluster, clock } = testCluster();
    const manifest = webManifests({ replicas: 2 }).replace(
      'spec:\n  replicas: 2',
      'spec:\n  strategy: { type: Recreate }\n  replicas: 2',
    );
    cluster.apply(manifest);
    await advanceUntilSettled(cluster, clock);
    cluster.rollout('default/web');
    let overlap = false;
    while (!cluster.settled()) {
      const hashes = new Set(podsOf(cluster).map((p) => p.metadata.labels?.['pod-template-hash']));
      if (hashes.size > 1) overlap = true;
      clock.advance(50);
    }
    expect(overlap).toBe(false);
    expect(podsOf(cluster)).toHaveLength(2);
  });
});
