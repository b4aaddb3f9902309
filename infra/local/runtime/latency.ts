/**
 * readyToRegistered: from the moment a pod became Ready (its Ready condition's transition time,
 * on the cluster clock) to the first RegisterTargets that named its IP. One sample per pod.
 */
import type { Clock } from '../aws/index.js';
import type { SimulatedCluster } from '../cluster/index.js';

interface PodLike {
  metadata?: { uid?: string };
  status?: { podIP?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

export class ReadyLatency {
  private cluster: SimulatedCluster | undefined;
  private readonly seen = new Set<string>();
  private readonly values: number[] = [];

  constructor(private readonly clock: Clock) {}

  attach(cluster: SimulatedCluster): void {
    this.cluster = cluster;
  }

  registered(targets: { Id?: string }[]): void {
    if (!this.cluster) return;
    const now = this.clock.now();
    const ips = new Set(targets.map((target) => target.Id));
    for (const pod of this.cluster.list('Pod') as unknown as PodLike[]) {
      const ip = pod.status?.podIP;
      if (!ip || !ips.has(ip)) continue;
      const key = `${pod.metadata?.uid ?? ''}@${ip}`;
      if (this.seen.has(key)) continue;
      const ready = pod.status?.conditions?.find(
        (condition) => condition.type === 'Ready' && condition.status === 'True',
      );
      const readyAt = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : Number.NaN;
      if (!Number.isFinite(readyAt)) continue;
      this.seen.add(key);
      this.values.push(Math.max(0, now - readyAt));
    }
  }

  samples(): number[] {
    return [...this.values];
  }
}
