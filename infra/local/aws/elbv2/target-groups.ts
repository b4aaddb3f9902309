/**
 * Target groups: create (idempotent when every setting matches, `DuplicateTargetGroupName`
 * otherwise), describe (by ARN, name or load balancer), modify the health check, delete
 * (`ResourceInUse` while a listener or rule forwards to it).
 */
import { defaultTargetGroupAttributes } from './attributes.js';
import { reanchor, settle } from './health.js';
import { describeHealthCheck, parseHealthCheck } from './health-check.js';
import {
  fail,
  type Input,
  optionalEnum,
  optionalInt,
  optionalString,
  paginate,
  requiredString,
  strings,
  validateResourceName,
  validationError,
} from './input.js';
import {
  arnPrefix,
  type Elbv2State,
  getLoadBalancer,
  getTargetGroup,
  nextId,
  type TargetGroupRecord,
  type TargetType,
} from './state.js';
import { applyTags, parseTags } from './tags.js';
import { isLingering, isReferenced } from './usage.js';

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'QUIC', 'TCP_QUIC', 'GENEVE'] as const;
const TARGET_TYPES = ['instance', 'ip', 'lambda', 'alb'] as const;

export function describeTargetGroup(group: TargetGroupRecord) {
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol,
    ProtocolVersion: group.protocolVersion,
    Port: group.port,
    VpcId: group.vpcId,
    ...describeHealthCheck(group.healthCheck),
    LoadBalancerArns: [...group.loadBalancerArns],
    TargetType: group.targetType,
    IpAddressType: group.ipAddressType,
  };
}

function parseShape(state: Elbv2State, input: Input, name: string) {
  const targetType: TargetType = optionalEnum(input, 'TargetType', TARGET_TYPES) ?? 'instance';
  const protocol = optionalEnum(input, 'Protocol', PROTOCOLS);
  const port = optionalInt(input, 'Port', { min: 1, max: 65535 });
  const vpcId = optionalString(input, 'VpcId');
  const where = `target group '${name}'`;
  if (targetType === 'lambda') {
    if (protocol !== undefined || port !== undefined || vpcId !== undefined)
      validationError(`Protocol, Port and VpcId do not apply to ${where} with target type 'lambda'`);
  } else {
    if (protocol === undefined)
      validationError(`Protocol is required for ${where} with target type '${targetType}'`);
    if (protocol === 'GENEVE')
      fail('UnsupportedProtocol', 'Gateway Load Balancer target groups (GENEVE) are not supported locally');
    if (port === undefined) validationError(`Port is required for ${where} with target type '${targetType}'`);
    if (vpcId === undefined)
      validationError(`VpcId is required for ${where} with target type '${targetType}'`);
    if (vpcId !== state.deps.ec2.vpcId) validationError(`The VPC ID '${vpcId}' of ${where} is not found`);
    if (targetType === 'alb' && protocol !== 'TCP')
      validationError(`${where} with target type 'alb' must use protocol TCP, not '${protocol}'`);
  }
  const http = protocol === 'HTTP' || protocol === 'HTTPS';
  const versionInput = optionalEnum(input, 'ProtocolVersion', ['HTTP1', 'HTTP2', 'GRPC'] as const);
  if (versionInput !== undefined && !http)
    validationError(`ProtocolVersion applies only to HTTP and HTTPS target groups`);
  const ipAddressType = optionalEnum(input, 'IpAddressType', ['ipv4', 'ipv6'] as const) ?? 'ipv4';
  if (ipAddressType === 'ipv6' && targetType !== 'ip')
    validationError(`${where} can use IP address type 'ipv6' only with target type 'ip'`);
  return {
    targetType,
    protocol,
    port,
    vpcId,
    protocolVersion: http ? (versionInput ?? 'HTTP1') : undefined,
    ipAddressType,
  };
}

export function createTargetGroup(state: Elbv2State, input: Input) {
  const name = requiredString(input, 'Name');
  validateResourceName(name, 'target group');
  const shape = parseShape(state, input, name);
  const healthCheck = parseHealthCheck(input, { name, ...shape }, undefined);
  const tags = parseTags(input);

  for (const existing of state.targetGroups.values()) {
    if (existing.name !== name) continue;
    const same =
      JSON.stringify(describeTargetGroup({ ...existing, loadBalancerArns: [] })) ===
      JSON.stringify(describeTargetGroup({ ...existing, ...shape, healthCheck, loadBalancerArns: [] }));
    if (!same) fail('DuplicateTargetGroupName', `A target group with the name '${name}' already exists`);
    return { TargetGroups: [describeTargetGroup(existing)] };
  }
  const limit = state.deps.quotas.targetGroupsPerRegion;
  if (state.targetGroups.size >= limit)
    fail('TooManyTargetGroups', `The limit of ${limit} target groups has been reached`);
  if (tags.length > state.deps.quotas.tagsPerResource)
    fail('TooManyTags', `A target group can have at most ${state.deps.quotas.tagsPerResource} tags`);

  const group: TargetGroupRecord = {
    arn: `${arnPrefix(state)}:targetgroup/${name}/${nextId(state, name)}`,
    name,
    ...shape,
    healthCheck,
    attributes: new Map(),
    targets: new Map(),
    drainingCount: 0,
    loadBalancerArns: [],
    usageEpoch: 0,
    inUseSince: undefined,
  };
  group.attributes = defaultTargetGroupAttributes(group);
  state.targetGroups.set(group.arn, group);
  applyTags(state, group.arn, tags);
  return { TargetGroups: [describeTargetGroup(group)] };
}

export function describeTargetGroups(state: Elbv2State, input: Input) {
  const arns = strings(input, 'TargetGroupArns');
  const names = strings(input, 'Names');
  const balancerArn = optionalString(input, 'LoadBalancerArn');
  if ([arns.length > 0, names.length > 0, balancerArn !== undefined].filter(Boolean).length > 1)
    validationError('Specify only one of LoadBalancerArn, TargetGroupArns and Names');
  let selected: TargetGroupRecord[];
  if (arns.length > 0) selected = arns.map((arn) => getTargetGroup(state, arn));
  else if (names.length > 0)
    selected = names.map((name) => {
      for (const group of state.targetGroups.values()) if (group.name === name) return group;
      return fail('TargetGroupNotFound', `Target group '${name}' not found`);
    });
  else if (balancerArn !== undefined) {
    getLoadBalancer(state, balancerArn);
    selected = [...state.targetGroups.values()].filter((group) =>
      group.loadBalancerArns.includes(balancerArn),
    );
  } else selected = [...state.targetGroups.values()];
  const { page, nextMarker } = paginate(selected, input);
  return { TargetGroups: page.map(describeTargetGroup), NextMarker: nextMarker };
}

export function modifyTargetGroup(state: Elbv2State, input: Input) {
  const group = getTargetGroup(state, requiredString(input, 'TargetGroupArn'));
  const next = parseHealthCheck(input, group, group.healthCheck);
  // count the checks that fell due under the old settings before the new ones apply
  const now = state.ctx.clock.now();
  for (const target of group.targets.values())
    if (target.drainingUntil === undefined) settle(state, group, target, now);
  const previousInterval = group.healthCheck.intervalSeconds;
  group.healthCheck = next;
  if (next.intervalSeconds !== previousInterval) reanchor(group, previousInterval);
  return { TargetGroups: [describeTargetGroup(group)] };
}

export function deleteTargetGroup(state: Elbv2State, input: Input) {
  const arn = requiredString(input, 'TargetGroupArn');
  if (!state.targetGroups.has(arn)) return {};
  if (isReferenced(state, arn) || isLingering(state, arn))
    fail('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
  state.releasedAt.delete(arn);
  state.targetGroups.delete(arn);
  state.tags.delete(arn);
  return {};
}
