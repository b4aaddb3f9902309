import { describe, expect, it } from 'vitest';
import { advanceBy, advanceUntilSettled } from '../../../infra/local/cluster/index.js';
import type { Endpoints, Pod, Service } from '../../../infra/local/cluster/objects.js';
import { podsOf, testCluster, webManifests } from './fixtures.js';

const ready = (pod: Pod) => pod.status.conditions?.find((c) => c.type === 'Ready')?.status;

describe('pod lifecycle', () => {
  it('goes Pending → Running with an IP → Ready on the configured delays', async () => {
    // Prepare: schedule 100 ms, containerStart 1000 ms, ready 2000 ms
    const { cluster, clock } = testCluster({ nodes: 1 });
    cluster.apply(webManifests({ replicas: 1 }));
    const states = [
      { after: 0, phase: 'Pending', ip: false, ready: undefined },
      { after: 100, phase: 'Pending', ip: false, ready: 'False' },
      { after: 1000, phase: 'Running', ip: true, ready: 'False' },
      { after: 2000, phase: 'Running', ip: true, ready: 'True' },
    ];
    for (const state of states) {
      // Act
      await advanceBy(clock, state.after);
      const [pod] = podsOf(cluster);
      // Assess
      expect({
        phase: pod?.status.phase,
        ip: pod?.status.podIP !== undefined,
        ready: pod && ready(pod),
      }).toEqual({
        phase: state.phase,
        ip: state.ip,
        ready: state.ready,
      });
    }
  });

  it('marks a terminating pod not ready at once and removes it after the grace period caps the exit', async () => {
    const { cluster, clock } = testCluster({ nodes: 1, gracePeriodSeconds: 2 });
    cluster.apply(webManifests({ replicas: 1 }));
    await advanceUntilSettled(cluster, clock);
    const [pod] = podsOf(cluster);
    const key = `default/${pod?.metadata.name}`;
    const ip = pod?.status.podIP as string;
    expect(cluster.isServing(ip, 8080)).toBe(true);

    cluster.scale('default/web', 0);
    const deleting = cluster.get<Pod>('Pod', key);
    expect(deleting?.metadata.deletionTimestamp).toBeDefined();
    expect(deleting?.metadata.deletionGracePeriodSeconds).toBe(2);
    await advanceBy(clock, 0);
    expect(ready(cluster.get<Pod>('Pod', key) as Pod)).toBe('False');
    expect(cluster.get<Endpoints>('Endpoints', 'default/web')?.subsets).toBeUndefined();
    // no preStop: SIGTERM comes at once and the app stops answering while it exits
    expect(cluster.isServing(ip, 8080)).toBe(false);

    // terminate delay is 3 s but the grace period (2 s) caps it
    await advanceBy(clock, 1900);
    expect(cluster.get('Pod', key)).toBeDefined();
    await advanceBy(clock, 200);
    expect(cluster.get('Pod', key)).toBeUndefined();
    expect(cluster.isServing(ip, 8080)).toBe(false);
  });

  it('scales to zero and back', async () => {
    const { cluster, clock } = testCluster();
    cluster.apply(webManifests({ replicas: 3 }));
    await advanceUntilSettled(cluster, clock);
    cluster.scale('default/web', 0);
    await advanceUntilSettled(cluster, clock);
    expect(podsOf(cluster)).toHaveLength(0);
    cluster.scale('default/web', 2);
    await advanceUntilSettled(cluster, clock);
    expect(podsOf(cluster).filter((p) => ready(p) === 'True')).toHaveLength(2);
    expect(cluster.snapshot().pods).toEqual({ byPhase: { Running: 2 }, ready: 2, terminating: 0 });
  });

  it('kill force-deletes pods that the ReplicaSet replaces', async () => {
    const { cluster, clock } = testCluster();
    cluster.apply(webManifests({ replicas: 3 }));
    await advanceUntilSettled(cluster, clock);
    const before = podsOf(cluster).map((p) => p.metadata.uid);
    const killed = cluster.kill('default/web', 2);
    expect(killed).toHaveLength(2);
    for (const key of killed) expect(cluster.get('Pod', key)).toBeUndefined();
    await advanceUntilSettled(cluster, clock);
    const after = podsOf(cluster);
    expect(after).toHaveLength(3);
    expect(after.filter((p) => !before.includes(p.metadata.uid))).toHaveLength(2);
  });

  it('setPodServing turns a pod off for the health probe, and instance targets follow', async () => {
    const { cluster, clock } = testCluster({ nodes: 1 });
    cluster.apply(webManifests({ replicas: 1 }));
    await advanceUntilSettled(cluster, clock);
    const [pod] = podsOf(cluster);
    const nodePort = cluster.get<Service>('Service', 'default/web')?.spec.ports?.[0]?.nodePort as number;
    const instanceId = cluster.nodes()[0]?.instanceId as string;
    const cases = [
      { name: 'serving pod, declared port', serving: true, ip: pod?.status.podIP, port: 8080, want: true },
      { name: 'serving pod, other port', serving: true, ip: pod?.status.podIP, port: 9090, want: false },
      { name: 'unknown IP', serving: true, ip: '10.9.9.9', port: 8080, want: false },
      { name: 'switched off', serving: false, ip: pod?.status.podIP, port: 8080, want: false },
    ];
    for (const c of cases) {
      cluster.setPodServing(`default/${pod?.metadata.name}`, c.serving);
      expect({ name: c.name, got: cluster.isServing(c.ip as string, c.port) }).toEqual({
        name: c.name,
        got: c.want,
      });
      expect({ name: c.name, instance: cluster.isInstanceServing(instanceId, nodePort) }).toEqual({
        name: c.name,
        instance: c.serving,
      });
    }
    expect(cluster.isInstanceServing(instanceId, 30000 + ((nodePort - 30000 + 1) % 2768))).toBe(false);
  });

  it('replays identically with the same seed', async () => {
    const run = async () => {
      const { cluster, clock } = testCluster();
      cluster.apply(webManifests({ replicas: 3 }));
      await advanceUntilSettled(cluster, clock);
      cluster.kill('default/web', 1);
      await advanceUntilSettled(cluster, clock);
      return cluster.auditEvents();
    };
    expect(JSON.stringify(await run())).toBe(JSON.stringify(await run()));
  });
});
