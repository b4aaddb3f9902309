import { describe, expect, it } from 'vitest';
import { advanceUntilSettled } from '../../../infra/local/cluster/index.js';
import { parseCidr, parseIpv4 } from '../../../infra/local/cluster/ipam.js';
import type { Node } from '../../../infra/local/cluster/objects.js';
import { podsOf, TOPOLOGY, testCluster, webManifests } from './fixtures.js';

function inCidr(ip: string, cidr: string): boolean {
  const { base, size } = parseCidr(cidr);
  const value = parseIpv4(ip);
  return value >= base && value < base + size;
}

describe('nodes', () => {
  it('spreads nodes over the private subnets and registers each as an EC2 instance', () => {
    // Prepare / Act
    const { cluster, instances } = testCluster({ nodes: 4 });
    const nodes = cluster.list<Node>('Node');
    // Assess
    expect(
      nodes.map((n) => cluster.nodes().find((i) => i.name === n.metadata.name)?.subnetId).sort(),
    ).toEqual(['subnet-priv-a', 'subnet-priv-a', 'subnet-priv-b', 'subnet-priv-b']);
    expect(instances).toHaveLength(4);
    for (const node of nodes) {
      const info = cluster.nodes().find((i) => i.name === node.metadata.name);
      const subnet = TOPOLOGY.subnets.find((s) => s.id === info?.subnetId);
      const internalIP = node.status.addresses.find((a) => a.type === 'InternalIP')?.address as string;
      expect(inCidr(internalIP, subnet?.cidr as string)).toBe(true);
      expect(node.spec.providerID).toBe(`aws:///${subnet?.availabilityZone}/${info?.instanceId}`);
      expect(node.metadata.labels?.['topology.kubernetes.io/zone']).toBe(subnet?.availabilityZone);
      expect(instances).toContainEqual(
        expect.objectContaining({ id: info?.instanceId, subnetId: subnet?.id, privateIp: internalIP }),
      );
    }
  });

  it('deleteNode removes the instance and its pods are replaced on other nodes', async () => {
    const { cluster, clock, instances } = testCluster({ nodes: 2 });
    cluster.apply(webManifests({ replicas: 4 }));
    await advanceUntilSettled(cluster, clock);
    const victim = cluster.nodes()[0]?.name as string;
    cluster.deleteNode(victim);
    await advanceUntilSettled(cluster, clock);
    expect(instances).toHaveLength(1);
    const pods = podsOf(cluster);
    expect(pods).toHaveLength(4);
    expect(pods.every((p) => p.spec.nodeName !== victim)).toBe(true);
  });
});

describe('scheduling', () => {
  it('places pods round-robin with unique IPs from their node subnet', async () => {
    const { cluster, clock } = testCluster({ nodes: 3 });
    cluster.apply(webManifests({ replicas: 6 }));
    await advanceUntilSettled(cluster, clock);
    const pods = podsOf(cluster);
    const perNode = new Map<string, number>();
    for (const pod of pods)
      perNode.set(pod.spec.nodeName as string, (perNode.get(pod.spec.nodeName as string) ?? 0) + 1);
    expect([...perNode.values()]).toEqual([2, 2, 2]);
    const ips = pods.map((p) => p.status.podIP as string);
    expect(new Set(ips).size).toBe(6);
    for (const pod of pods) {
      const node = cluster.nodes().find((n) => n.name === pod.spec.nodeName);
      const subnet = TOPOLOGY.subnets.find((s) => s.id === node?.subnetId);
      expect(inCidr(pod.status.podIP as string, subnet?.cidr as string)).toBe(true);
      expect(pod.status.hostIP).toBe(node?.internalIP);
    }
  });

  const cases = [
    {
      name: 'cordoned node',
      act: (c: ReturnType<typeof testCluster>['cluster'], node: string) => c.cordon(node),
    },
    {
      name: 'NoSchedule taint',
      act: (c: ReturnType<typeof testCluster>['cluster'], node: string) =>
        c.taint(node, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }),
    },
  ];
  for (const { name, act } of cases)
    it(`skips a ${name}`, async () => {
      const { cluster, clock } = testCluster({ nodes: 2 });
      const blocked = cluster.nodes()[0]?.name as string;
      act(cluster, blocked);
      cluster.apply(webManifests({ replicas: 4 }));
      await advanceUntilSettled(cluster, clock);
      expect(podsOf(cluster).map((p) => p.spec.nodeName)).not.toContain(blocked);
    });

  it('leaves pods Pending while no node fits, and places them when one is uncordoned', async () => {
    const { cluster, clock } = testCluster({ nodes: 1 });
    const only = cluster.nodes()[0]?.name as string;
    cluster.cordon(only);
    cluster.apply(webManifests({ replicas: 2 }));
    await advanceUntilSettled(cluster, clock);
    expect(podsOf(cluster).map((p) => p.status.phase)).toEqual(['Pending', 'Pending']);
    cluster.uncordon(only);
    await advanceUntilSettled(cluster, clock);
    expect(podsOf(cluster).map((p) => p.status.phase)).toEqual(['Running', 'Running']);
  });
});
