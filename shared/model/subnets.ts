import type { DiscoveredSubnet } from './inputs.js';
import type { Scheme } from './stack.js';

/**
 * Subnet selection as the LBC does it (pkg/networking/subnet_resolver.go): from an annotation (IDs or
 * Name tags), or discovered by role tag for the scheme, filtered by the cluster tag and free
 * addresses, one per AZ (this cluster's tag first, then the lowest ID). Results are sorted by ID.
 * Reachability-based discovery (no role tags at all) needs route tables and is not done here.
 */

export type SubnetChoice = { subnetIds: string[] } | { error: string };

const ROLE_TAG: Record<Scheme, string> = {
  'internet-facing': 'kubernetes.io/role/elb',
  internal: 'kubernetes.io/role/internal-elb',
};
const CLUSTER_TAG_PREFIX = 'kubernetes.io/cluster/';
const MIN_FREE_ADDRESSES = 8;

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Annotation values: a `subnet-...` ID, or the value of a subnet's Name tag. */
export function resolveSubnetAnnotation(
  values: readonly string[],
  subnets: readonly DiscoveredSubnet[],
  minimumAzs: number,
): SubnetChoice {
  const chosen: DiscoveredSubnet[] = [];
  for (const value of values) {
    const matches = value.startsWith('subnet-')
      ? subnets.filter((subnet) => subnet.subnetId === value)
      : subnets.filter((subnet) => subnet.tags['Name'] === value);
    if (matches.length === 0) return { error: `couldn't find subnet: ${value}` };
    if (matches.length > 1) return { error: `found more than one subnet named ${value}` };
    if (!chosen.some((subnet) => subnet.subnetId === matches[0]!.subnetId)) chosen.push(matches[0]!);
  }
  const zones = new Set(chosen.map((subnet) => subnet.availabilityZone));
  if (zones.size !== chosen.length) return { error: 'subnets must be in distinct availability zones' };
  if (chosen.length < minimumAzs) {
    return { error: `subnets count less than minimal required count: ${chosen.length} < ${minimumAzs}` };
  }
  return { subnetIds: chosen.map((subnet) => subnet.subnetId).sort(byId) };
}

function hasRoleTag(subnet: DiscoveredSubnet, scheme: Scheme): boolean {
  const value = subnet.tags[ROLE_TAG[scheme]];
  return value === '1' || value === '';
}

function clusterTagged(subnet: DiscoveredSubnet, clusterName: string): boolean {
  return Object.hasOwn(subnet.tags, `${CLUSTER_TAG_PREFIX}${clusterName}`);
}

/** Tagged for another cluster and not for this one: the subnet belongs to someone else. */
function foreign(subnet: DiscoveredSubnet, clusterName: string): boolean {
  return (
    !clusterTagged(subnet, clusterName) &&
    Object.keys(subnet.tags).some((tag) => tag.startsWith(CLUSTER_TAG_PREFIX))
  );
}

export function discoverSubnets(
  subnets: readonly DiscoveredSubnet[],
  scheme: Scheme,
  clusterName: string,
  minimumAzs: number,
): SubnetChoice {
  const candidates = subnets.filter(
    (subnet) =>
      hasRoleTag(subnet, scheme) &&
      !foreign(subnet, clusterName) &&
      (subnet.availableIpAddressCount ?? MIN_FREE_ADDRESSES) >= MIN_FREE_ADDRESSES,
  );
  const perZone = new Map<string, DiscoveredSubnet>();
  for (const subnet of candidates) {
    const current = perZone.get(subnet.availabilityZone);
    if (!current || better(subnet, current, clusterName)) perZone.set(subnet.availabilityZone, subnet);
  }
  if (perZone.size < minimumAzs) {
    return {
      error: `unable to resolve at least ${minimumAzs} subnet(s) for a ${scheme} load balancer (found ${perZone.size} availability zone(s)): tag subnets with ${ROLE_TAG[scheme]}=1 or set the subnets annotation`,
    };
  }
  return { subnetIds: [...perZone.values()].map((subnet) => subnet.subnetId).sort(byId) };
}

function better(candidate: DiscoveredSubnet, current: DiscoveredSubnet, clusterName: string): boolean {
  const candidateTagged = clusterTagged(candidate, clusterName);
  if (candidateTagged !== clusterTagged(current, clusterName)) return candidateTagged;
  return byId(candidate.subnetId, current.subnetId) < 0;
}
