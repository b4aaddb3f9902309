/**
 * Load balancers: create (idempotent for identical settings), describe, delete, and change
 * subnets, security groups and IP address type. A load balancer is `active` as soon as it is
 * created unless a world timing asks for a provisioning delay (health.ts `setWorldTiming`).
 */
import { createHash } from 'node:crypto';
import type { SubnetView } from '../service.js';
import { defaultLoadBalancerAttributes } from './attributes.js';
import { loadBalancerStateCode } from './health.js';
import {
  fail,
  type Input,
  optionalEnum,
  paginate,
  records,
  requiredString,
  strings,
  validateResourceName,
  validationError,
} from './input.js';
import {
  arnPrefix,
  type Elbv2State,
  getLoadBalancer,
  type LoadBalancerRecord,
  loadBalancerKind,
  nextId,
  type ZoneRecord,
} from './state.js';
import { applyTags, parseTags } from './tags.js';
import { refreshUsage, releaseLater } from './usage.js';

/** Route 53 zones of the ELB endpoints in a few regions; others fall back to us-east-1's. */
const HOSTED_ZONES: Record<string, { application: string; network: string }> = {
  'us-east-1': { application: 'Z35SXDOTRQ7X7K', network: 'Z26RNL4JYFTOTI' },
  'us-east-2': { application: 'Z3AADJGX6KTTL2', network: 'ZLMOA37VPKANP' },
  'us-west-2': { application: 'Z1H1FL5HABSF5', network: 'Z18D5FSROUN65G' },
  'eu-west-1': { application: 'Z32O12XQLNTSW2', network: 'Z2IFOLAFXWLO4F' },
  'eu-central-1': { application: 'Z215JYRZR1TBD5', network: 'Z3F0SRJ5LGBH90' },
};

const MAX_SECURITY_GROUPS = 5;

function describe(balancer: LoadBalancerRecord, state: Elbv2State) {
  const zone = HOSTED_ZONES[state.ctx.region] ?? HOSTED_ZONES['us-east-1']!;
  return {
    LoadBalancerArn: balancer.arn,
    DNSName: balancer.dnsName,
    CanonicalHostedZoneId: zone[balancer.type],
    CreatedTime: balancer.createdAt,
    LoadBalancerName: balancer.name,
    Scheme: balancer.scheme,
    VpcId: state.deps.ec2.vpcId,
    State: { Code: loadBalancerStateCode(state, balancer, state.ctx.clock.now()) },
    Type: balancer.type,
    AvailabilityZones: balancer.zones.map((zone) => ({ ...zone, LoadBalancerAddresses: [] })),
    SecurityGroups: [...balancer.securityGroups],
    IpAddressType: balancer.ipAddressType,
  };
}

/** Subnets or SubnetMappings → one zone per subnet, at most one subnet per zone, one VPC. */
function resolveZones(state: Elbv2State, input: Input, type: LoadBalancerRecord['type']): ZoneRecord[] {
  const ids = strings(input, 'Subnets');
  const mappings = records(input, 'SubnetMappings').map((mapping, index) =>
    requiredString(mapping, 'SubnetId', `SubnetMappings.member.${index + 1}.SubnetId`),
  );
  if (ids.length > 0 && mappings.length > 0)
    validationError('You can specify either Subnets or SubnetMappings, not both');
  const subnetIds = ids.length > 0 ? ids : mappings;
  if (subnetIds.length === 0) validationError('Subnets or SubnetMappings is required');
  const subnets: SubnetView[] = subnetIds.map((id) => {
    const subnet = state.deps.ec2.subnetById(id);
    if (!subnet) fail('SubnetNotFound', `The subnet ID '${id}' is not valid`);
    if (subnet.vpcId !== state.deps.ec2.vpcId)
      fail('InvalidSubnet', `Subnet '${id}' is in VPC '${subnet.vpcId}', not in '${state.deps.ec2.vpcId}'`);
    return subnet;
  });
  const zones = new Map<string, string>();
  for (const subnet of subnets) {
    const taken = zones.get(subnet.availabilityZone);
    if (taken && taken !== subnet.id)
      fail(
        'InvalidConfigurationRequest',
        `A load balancer cannot be attached to multiple subnets in the same Availability Zone: '${taken}' and '${subnet.id}' are both in '${subnet.availabilityZone}'`,
      );
    zones.set(subnet.availabilityZone, subnet.id);
  }
  if (type === 'application' && zones.size < 2)
    validationError('At least two subnets in two different Availability Zones must be specified');
  return [...zones].map(([ZoneName, SubnetId]) => ({ ZoneName, SubnetId }));
}

function resolveSecurityGroups(state: Elbv2State, ids: string[]): string[] {
  if (ids.length > MAX_SECURITY_GROUPS)
    fail(
      'InvalidConfigurationRequest',
      `A load balancer can have at most ${MAX_SECURITY_GROUPS} security groups`,
    );
  for (const id of ids)
    if (!state.deps.ec2.securityGroupExists(id))
      fail('InvalidSecurityGroup', `Security group '${id}' does not exist`);
  return [...new Set(ids)];
}

function dnsName(
  state: Elbv2State,
  name: string,
  type: LoadBalancerRecord['type'],
  internal: boolean,
): string {
  const digest = createHash('sha256').update(`${name}/${state.sequence}`).digest();
  const prefix = internal ? `internal-${name}` : name;
  if (type === 'network')
    return `${prefix}-${digest.toString('hex').slice(0, 16)}.elb.${state.ctx.region}.amazonaws.com`;
  return `${prefix}-${(digest.readUInt32BE(0) % 9_000_000_000) + 1_000_000_000}.${state.ctx.region}.elb.amazonaws.com`;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item) => b.includes(item));

export function createLoadBalancer(state: Elbv2State, input: Input) {
  const name = requiredString(input, 'Name');
  validateResourceName(name, 'load balancer');
  const typeInput =
    optionalEnum(input, 'Type', ['application', 'network', 'gateway'] as const) ?? 'application';
  if (typeInput === 'gateway')
    fail('InvalidConfigurationRequest', 'Gateway Load Balancers are not supported locally');
  const type = typeInput;
  const scheme = optionalEnum(input, 'Scheme', ['internet-facing', 'internal'] as const) ?? 'internet-facing';
  const ipAddressType =
    optionalEnum(input, 'IpAddressType', ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] as const) ??
    'ipv4';
  const zones = resolveZones(state, input, type);
  const securityGroups = resolveSecurityGroups(state, strings(input, 'SecurityGroups'));
  const tags = parseTags(input);

  for (const existing of state.loadBalancers.values()) {
    if (existing.name !== name) continue;
    const identical =
      existing.type === type &&
      existing.scheme === scheme &&
      existing.ipAddressType === ipAddressType &&
      sameSet(
        existing.zones.map((zone) => zone.SubnetId),
        zones.map((zone) => zone.SubnetId),
      ) &&
      sameSet(existing.securityGroups, securityGroups);
    if (!identical)
      fail('DuplicateLoadBalancerName', `A load balancer with the name '${name}' already exists`);
    return { LoadBalancers: [describe(existing, state)] };
  }
  const limit = state.deps.quotas.loadBalancersPerRegion;
  if (state.loadBalancers.size >= limit)
    fail('TooManyLoadBalancers', `The limit of ${limit} load balancers has been reached`);
  if (tags.length > state.deps.quotas.tagsPerResource)
    fail('TooManyTags', `A load balancer can have at most ${state.deps.quotas.tagsPerResource} tags`);

  const id = nextId(state, name);
  const balancer: LoadBalancerRecord = {
    arn: `${arnPrefix(state)}:loadbalancer/${loadBalancerKind(type)}/${name}/${id}`,
    name,
    type,
    scheme,
    ipAddressType,
    zones,
    securityGroups,
    dnsName: dnsName(state, name, type, scheme === 'internal'),
    createdAt: new Date(state.ctx.clock.now()),
    attributes: defaultLoadBalancerAttributes(type, scheme),
  };
  state.loadBalancers.set(balancer.arn, balancer);
  applyTags(state, balancer.arn, tags);
  return { LoadBalancers: [describe(balancer, state)] };
}

export function describeLoadBalancers(state: Elbv2State, input: Input) {
  const arns = strings(input, 'LoadBalancerArns');
  const names = strings(input, 'Names');
  if (arns.length > 0 && names.length > 0)
    validationError('Specify either LoadBalancerArns or Names, not both');
  let selected: LoadBalancerRecord[];
  if (arns.length > 0) selected = arns.map((arn) => getLoadBalancer(state, arn));
  else if (names.length > 0) {
    selected = names.map((name) => {
      for (const balancer of state.loadBalancers.values()) if (balancer.name === name) return balancer;
      return fail('LoadBalancerNotFound', `Load balancer '${name}' not found`);
    });
  } else selected = [...state.loadBalancers.values()];
  const { page, nextMarker } = paginate(selected, input);
  return { LoadBalancers: page.map((balancer) => describe(balancer, state)), NextMarker: nextMarker };
}

export function deleteLoadBalancer(state: Elbv2State, input: Input) {
  const arn = requiredString(input, 'LoadBalancerArn');
  const balancer = state.loadBalancers.get(arn);
  // AWS: deleting a load balancer that does not exist (or no longer exists) succeeds
  if (!balancer) return {};
  if (balancer.attributes.get('deletion_protection.enabled') === 'true')
    fail(
      'OperationNotPermitted',
      `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`,
    );
  for (const listener of [...state.listeners.values()]) {
    if (listener.loadBalancerArn !== arn) continue;
    for (const rule of [...state.rules.values()])
      if (rule.listenerArn === listener.arn) {
        state.rules.delete(rule.arn);
        state.tags.delete(rule.arn);
      }
    state.listeners.delete(listener.arn);
    state.tags.delete(listener.arn);
  }
  const used = [...state.targetGroups.values()].filter((group) => group.loadBalancerArns.includes(arn));
  state.loadBalancers.delete(arn);
  state.tags.delete(arn);
  refreshUsage(state);
  releaseLater(state, used);
  return {};
}

export function setSecurityGroups(state: Elbv2State, input: Input) {
  const balancer = getLoadBalancer(state, requiredString(input, 'LoadBalancerArn'));
  const groups = resolveSecurityGroups(state, strings(input, 'SecurityGroups'));
  if (balancer.type === 'network' && balancer.securityGroups.length === 0 && groups.length > 0)
    fail(
      'InvalidConfigurationRequest',
      `Network load balancer '${balancer.name}' was created without security groups, so none can be added`,
    );
  if (balancer.type === 'application' && groups.length === 0)
    validationError(`Application load balancer '${balancer.name}' needs at least one security group`);
  balancer.securityGroups = groups;
  return { SecurityGroupIds: [...groups] };
}

export function setSubnets(state: Elbv2State, input: Input) {
  const balancer = getLoadBalancer(state, requiredString(input, 'LoadBalancerArn'));
  balancer.zones = resolveZones(state, input, balancer.type);
  return {
    AvailabilityZones: balancer.zones.map((zone) => ({ ...zone, LoadBalancerAddresses: [] })),
    IpAddressType: balancer.ipAddressType,
  };
}

export function setIpAddressType(state: Elbv2State, input: Input) {
  const balancer = getLoadBalancer(state, requiredString(input, 'LoadBalancerArn'));
  const type = optionalEnum(input, 'IpAddressType', [
    'ipv4',
    'dualstack',
    'dualstack-without-public-ipv4',
  ] as const);
  if (!type) validationError('IpAddressType is required');
  if (type === 'dualstack-without-public-ipv4' && balancer.type !== 'application')
    fail('InvalidConfigurationRequest', `'${type}' is only supported by Application Load Balancers`);
  balancer.ipAddressType = type;
  return { IpAddressType: type };
}
