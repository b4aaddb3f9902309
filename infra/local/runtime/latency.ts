/**
 * readyToRegistered: from the moment a pod became Ready (its Ready condition's transition time,
 * on the cluster clock) to the first RegisterTargets that named its IP. One sample per pod.
 * It includes the audit log's delivery lag, which slbc does not control.
 *
 * publishedToRegistered: slbc's own processing time, audit lag excluded: from the moment slbc
 * could register the target (the first `Endpoints Changed` event on the bus listing the IP as a
 * ready address, or the target group's `Target Group Bound` event if that came later: before
 * it there is no group to register into) to the first RegisterTargets that named it. One
 * sample per IP registered after such an event.
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
  /** pod IP -> clock ms of the first bus event listing it ready, until it is registered */
  private readonly publishedAt = new Map<string, number>();
  private readonly processing: number[] = [];
  /** target group ARN -> clock ms of its first Target Group Bound event */
  private readonly boundAt = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  attach(cluster: SimulatedCluster): void {
    this.cluster = cluster;
  }

  /** what a PutEvents call put on the bus: ready Endpoints addresses and bound target groups */
  published(put: { readyIps: readonly string[]; boundTargetGroups: readonly string[] }): void {
    const now = this.clock.now();
    for (const ip of put.readyIps) if (!this.publishedAt.has(ip)) this.publishedAt.set(ip, now);
    for (const arn of put.boundTargetGroups) if (!this.boundAt.has(arn)) this.boundAt.set(arn, now);
  }

  registered(targets: { Id?: string }[], targetGroupArn = ''): void {
    const now = this.clock.now();
    const bound = this.boundAt.get(targetGroupArn) ?? 0;
    for (const target of targets) {
      const at = target.Id === undefined ? undefined : this.publishedAt.get(target.Id);
      if (at === undefined || target.Id === undefined) continue;
      // an IP is measured once per appearance: a later pod reusing it starts anew
      this.publishedAt.delete(target.Id);
      this.processing.push(Math.max(0, now - Math.max(at, bound)));
    }
    if (!this.cluster) return;
    const ips = new Set(targets.map((target) => target.Id));
    // only the registered pods are cloned: a RegisterTargets call names a few of a thousand
    const registered = this.cluster.list('Pod', undefined, (pod) => {
      const ip = (pod as PodLike).status?.podIP;
      return ip !== undefined && ips.has(ip);
    });
    for (const pod of registered as unknown as PodLike[]) {
      const ip = pod.status?.podIP;
      if (!ip) continue;
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

  processingSamples(): number[] {
    return [...this.processing];
  }
}

/** The ready address IPs of the `Endpoints Changed` entries of a PutEvents call, and the bound target groups. */
export function putEventsFacts(entries: readonly { DetailType?: string; Detail?: string }[]): {
  readyIps: string[];
  boundTargetGroups: string[];
} {
  const readyIps: string[] = [];
  const boundTargetGroups: string[] = [];
  for (const entry of entries) {
    if (entry.Detail === undefined) continue;
    if (entry.DetailType === 'Target Group Bound') {
      const arn = (JSON.parse(entry.Detail) as { targetGroupArn?: string }).targetGroupArn;
      if (arn !== undefined) boundTargetGroups.push(arn);
      continue;
    }
    if (entry.DetailType !== 'Endpoints Changed') continue;
    const detail = JSON.parse(entry.Detail) as {
      object?: { subsets?: { addresses?: { ip?: string }[] }[] };
    };
    for (const subset of detail.object?.subsets ?? [])
      for (const address of subset.addresses ?? []) if (address.ip) readyIps.push(address.ip);
  }
  return { readyIps, boundTargetGroups };
}
