/**
 * RegisterTargets, DeregisterTargets and DescribeTargetHealth. Every target of a call is
 * validated before any is registered, so a bad target leaves the group unchanged. Both calls
 * are O(targets in the call + targets in the group) with small constants: LBC sends 200 per
 * call, and DescribeTargetHealth over 1,000 targets must stay cheap.
 */
import { newTracker, purgeDrained, type TargetHealth, targetHealth } from './health.js';
import {
  fail,
  type Input,
  optionalInt,
  optionalString,
  records,
  requiredString,
  validationError,
} from './input.js';
import { type Cidr, cidrContains, isPrivateIpv4, parseCidr, parseIpv4 } from './ip.js';
import { type Elbv2State, getTargetGroup, type TargetGroupRecord, type TargetRecord } from './state.js';

interface TargetInput {
  id: string;
  port: number | undefined;
  availabilityZone: string | undefined;
}

const keyOf = (id: string, port: number | undefined) => `${id}:${port ?? ''}`;

type VpcRange = { cidr: Cidr; zone: string | undefined };

/** parsed once per topology: the subnets are fixed when the endpoint starts */
const rangesByTopology = new WeakMap<object, { ranges: VpcRange[]; zones: Set<string> }>();

/** the VPC's subnets (or, without any, its CIDR) with their zones, and the zone names */
function vpcRanges(state: Elbv2State): { ranges: VpcRange[]; zones: Set<string> } {
  const cached = rangesByTopology.get(state.ctx.topology);
  if (cached) return cached;
  const ranges = state.ctx.topology.subnets.flatMap((subnet) => {
    const cidr = parseCidr(subnet.cidr);
    return cidr ? [{ cidr, zone: subnet.availabilityZone as string | undefined }] : [];
  });
  const vpc = parseCidr(state.deps.ec2.vpcCidr);
  if (ranges.length === 0 && vpc) ranges.push({ cidr: vpc, zone: undefined });
  const computed = {
    ranges,
    zones: new Set(state.ctx.topology.subnets.map((subnet) => subnet.availabilityZone)),
  };
  rangesByTopology.set(state.ctx.topology, computed);
  return computed;
}

function parseTargets(group: TargetGroupRecord, input: Input): TargetInput[] {
  const items = records(input, 'Targets');
  if (items.length === 0) validationError('Targets is required');
  return items.map((item, index) => {
    const path = `Targets.member.${index + 1}`;
    const id = requiredString(item, 'Id', `${path}.Id`);
    const portInput = optionalInt(item, 'Port', { min: 1, max: 65535 }, `${path}.Port`);
    if (group.targetType === 'lambda' && portInput !== undefined)
      validationError(
        `${path}.Port does not apply to target group '${group.name}' with target type 'lambda'`,
      );
    return {
      id,
      port: group.targetType === 'lambda' ? undefined : (portInput ?? group.port),
      availabilityZone: optionalString(item, 'AvailabilityZone', `${path}.AvailabilityZone`),
    };
  });
}

/** AWS's checks per target type; returns the zone to record for the target */
function validateTarget(
  state: Elbv2State,
  group: TargetGroupRecord,
  target: TargetInput,
  ranges: VpcRange[],
  zones: Set<string>,
): string | undefined {
  const zone = target.availabilityZone;
  if (zone !== undefined && zone !== 'all' && !zones.has(zone))
    validationError(`'${zone}' is not a valid Availability Zone for target '${target.id}'`);
  switch (group.targetType) {
    case 'ip': {
      if (group.ipAddressType === 'ipv6') {
        if (!target.id.includes(':'))
          validationError(
            `Target '${target.id}' of IPv6 target group '${group.name}' is not an IPv6 address`,
          );
        return zone;
      }
      const ip = parseIpv4(target.id);
      if (ip === undefined)
        validationError(
          `Target ID '${target.id}' of target group '${group.name}' is not a valid IPv4 address`,
        );
      const subnet = ranges.find((range) => cidrContains(range.cidr, ip));
      if (subnet) return zone ?? subnet.zone;
      if (!isPrivateIpv4(ip))
        fail(
          'InvalidTarget',
          `The IP address '${target.id}' is neither in the VPC of target group '${group.name}' nor in RFC 1918 or RFC 6598 space`,
        );
      if (zone === undefined)
        validationError(
          `You must specify a valid Availability Zone or select 'all' for all enabled Availability zones, since the IP address '${target.id}' is outside the VPC`,
        );
      return zone;
    }
    case 'instance': {
      const instance = state.deps.ec2.instanceById(target.id);
      if (!instance) fail('InvalidTarget', `The following targets are not valid instances: '${target.id}'`);
      if (instance.vpcId !== group.vpcId)
        fail('InvalidTarget', `Instance '${target.id}' is not in the VPC of target group '${group.name}'`);
      if (instance.state !== 'running')
        fail(
          'InvalidTarget',
          `The following targets are not in a running state and cannot be registered: '${target.id}'`,
        );
      return zone ?? instance.availabilityZone;
    }
    case 'lambda':
      if (!/^arn:aws:lambda:[^:]+:\d{12}:function:[A-Za-z0-9-_]+(:[A-Za-z0-9-_$]+)?$/.test(target.id))
        fail(
          'InvalidTarget',
          `Target '${target.id}' of target group '${group.name}' is not a Lambda function ARN`,
        );
      return undefined;
    case 'alb': {
      const balancer = state.loadBalancers.get(target.id);
      if (balancer?.type !== 'application')
        fail(
          'InvalidTarget',
          `Target '${target.id}' of target group '${group.name}' is not an Application Load Balancer`,
        );
      return zone;
    }
  }
}

/** the targets-per-load-balancer quota, over every group each load balancer of this group uses */
function checkLoadBalancerTargets(state: Elbv2State, group: TargetGroupRecord, added: number): void {
  if (added === 0) return;
  const limit = state.deps.quotas.targetsPerLoadBalancer;
  for (const balancerArn of group.loadBalancerArns) {
    let total = added;
    for (const other of state.targetGroups.values())
      if (other.loadBalancerArns.includes(balancerArn)) total += other.targets.size - other.drainingCount;
    if (total > limit)
      fail(
        'TooManyTargets',
        `Load balancer '${balancerArn}' would have ${total} targets; the limit is ${limit}`,
      );
  }
}

export function registerTargets(state: Elbv2State, input: Input) {
  const group = getTargetGroup(state, requiredString(input, 'TargetGroupArn'));
  const targets = parseTargets(group, input);
  const now = state.ctx.clock.now();
  purgeDrained(group, now);
  const { ranges, zones } = vpcRanges(state);
  const zonesByKey = new Map<string, string | undefined>();
  for (const target of targets)
    zonesByKey.set(keyOf(target.id, target.port), validateTarget(state, group, target, ranges, zones));

  let added = 0;
  for (const key of zonesByKey.keys()) {
    const existing = group.targets.get(key);
    if (!existing || existing.drainingUntil !== undefined) added++;
  }
  const active = group.targets.size - group.drainingCount;
  const limit =
    group.targetType === 'lambda' || group.targetType === 'alb' ? 1 : state.deps.quotas.targetsPerTargetGroup;
  if (active + added > limit)
    fail(
      'TooManyTargets',
      `Target group '${group.name}' would have ${active + added} targets; the limit is ${limit}`,
    );
  checkLoadBalancerTargets(state, group, added);

  for (const target of targets) {
    const key = keyOf(target.id, target.port);
    const existing = group.targets.get(key);
    // registering a registered target changes nothing; a draining one comes back as a new registration
    if (existing && existing.drainingUntil === undefined) continue;
    if (existing) group.drainingCount--;
    const availabilityZone = zonesByKey.get(key);
    group.targets.set(key, {
      id: target.id,
      port: target.port,
      availabilityZone,
      registeredAt: now,
      drainingUntil: undefined,
      health: newTracker(group, now),
      description: Object.freeze({ Id: target.id, Port: target.port, AvailabilityZone: availabilityZone }),
      portText: target.port?.toString(),
    });
  }
  return {};
}

export function deregisterTargets(state: Elbv2State, input: Input) {
  const group = getTargetGroup(state, requiredString(input, 'TargetGroupArn'));
  const targets = parseTargets(group, input);
  const now = state.ctx.clock.now();
  purgeDrained(group, now);
  const delaySeconds = Number(group.attributes.get('deregistration_delay.timeout_seconds') ?? '300');
  for (const target of targets) {
    const key = keyOf(target.id, target.port);
    const existing = group.targets.get(key);
    // AWS: deregistering a target that is not registered succeeds
    if (!existing || existing.drainingUntil !== undefined) continue;
    if (delaySeconds === 0) {
      group.targets.delete(key);
      continue;
    }
    existing.drainingUntil = now + delaySeconds * 1000;
    group.drainingCount++;
  }
  return {};
}

export interface TargetHealthDescription {
  Target: { Id: string; Port: number | undefined; AvailabilityZone: string | undefined };
  HealthCheckPort: string | undefined;
  TargetHealth: TargetHealth;
}

function describeTarget(state: Elbv2State, group: TargetGroupRecord, target: TargetRecord, now: number) {
  const port = group.healthCheck.port === 'traffic-port' ? target.portText : group.healthCheck.port;
  return {
    Target: target.description,
    HealthCheckPort: port,
    TargetHealth: targetHealth(state, group, target, now),
  };
}

/** every registered and draining target of the group with its health as of now */
export function describeAllTargets(state: Elbv2State, group: TargetGroupRecord): TargetHealthDescription[] {
  const now = state.ctx.clock.now();
  purgeDrained(group, now);
  const out: TargetHealthDescription[] = [];
  for (const target of group.targets.values()) out.push(describeTarget(state, group, target, now));
  return out;
}

export function describeTargetHealth(state: Elbv2State, input: Input) {
  const group = getTargetGroup(state, requiredString(input, 'TargetGroupArn'));
  if (records(input, 'Targets').length === 0)
    return { TargetHealthDescriptions: describeAllTargets(state, group) };
  const now = state.ctx.clock.now();
  purgeDrained(group, now);
  const descriptions = parseTargets(group, input).map((wanted) => {
    if (group.targetType === 'instance' && !state.deps.ec2.instanceExists(wanted.id))
      fail('InvalidTarget', `The following targets are not valid instances: '${wanted.id}'`);
    const target = group.targets.get(keyOf(wanted.id, wanted.port));
    if (target) return describeTarget(state, group, target, now);
    return {
      Target: { Id: wanted.id, Port: wanted.port, AvailabilityZone: wanted.availabilityZone },
      HealthCheckPort: wanted.port?.toString(),
      TargetHealth: {
        State: 'unused' as const,
        Reason: 'Target.NotRegistered',
        Description: 'Target is not registered to the target group',
      },
    };
  });
  return { TargetHealthDescriptions: descriptions };
}
