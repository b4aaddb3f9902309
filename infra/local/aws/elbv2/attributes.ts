/**
 * Load balancer and target group attributes: the keys AWS knows per type, their defaults and
 * what values they accept. An unknown key is an `InvalidConfigurationRequest` (the key does not
 * apply to this resource); a known key with a bad value is a `ValidationError` naming both.
 */
import { fail, type Input, optionalString, records, validationError } from './input.js';
import {
  type Elbv2State,
  getLoadBalancer,
  getTargetGroup,
  type LoadBalancerRecord,
  type LoadBalancerType,
  type TargetGroupRecord,
} from './state.js';

type Check = (value: string) => boolean;

const bool: Check = (value) => value === 'true' || value === 'false';
const oneOf =
  (...allowed: string[]): Check =>
  (value) =>
    allowed.includes(value);
const intIn =
  (min: number, max: number): Check =>
  (value) =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max;
const any: Check = () => true;

export interface AttributeSpec {
  default: string;
  check: Check;
  rule: string;
}

const spec = (defaultValue: string, check: Check, rule: string): AttributeSpec => ({
  default: defaultValue,
  check,
  rule,
});
const boolSpec = (defaultValue: 'true' | 'false') => spec(defaultValue, bool, "'true' or 'false'");
const intSpec = (defaultValue: string, min: number, max: number) =>
  spec(defaultValue, intIn(min, max), `an integer from ${min} to ${max}`);
const enumSpec = (defaultValue: string, ...allowed: string[]) =>
  spec(defaultValue, oneOf(...allowed), `one of ${allowed.join(', ')}`);

const SHARED_LOAD_BALANCER: Record<string, AttributeSpec> = {
  'access_logs.s3.enabled': boolSpec('false'),
  'access_logs.s3.bucket': spec('', any, 'a bucket name'),
  'access_logs.s3.prefix': spec('', any, 'a prefix'),
  'deletion_protection.enabled': boolSpec('false'),
  'zonal_shift.config.enabled': boolSpec('false'),
  // false for internet-facing, true for internal (set at creation); dualstack only to modify
  'ipv6.deny_all_igw_traffic': boolSpec('false'),
};

const LOAD_BALANCER_ATTRIBUTES: Record<LoadBalancerType, Record<string, AttributeSpec>> = {
  application: {
    ...SHARED_LOAD_BALANCER,
    'idle_timeout.timeout_seconds': intSpec('60', 1, 4000),
    'client_keep_alive.seconds': intSpec('3600', 60, 604800),
    'connection_logs.s3.enabled': boolSpec('false'),
    'connection_logs.s3.bucket': spec('', any, 'a bucket name'),
    'connection_logs.s3.prefix': spec('', any, 'a prefix'),
    'health_check_logs.s3.enabled': boolSpec('false'),
    'health_check_logs.s3.bucket': spec('', any, 'a bucket name'),
    'health_check_logs.s3.prefix': spec('', any, 'a prefix'),
    'routing.http.desync_mitigation_mode': enumSpec('defensive', 'monitor', 'defensive', 'strictest'),
    'routing.http.drop_invalid_header_fields.enabled': boolSpec('false'),
    'routing.http.preserve_host_header.enabled': boolSpec('false'),
    'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': boolSpec('false'),
    'routing.http.xff_client_port.enabled': boolSpec('false'),
    'routing.http.xff_header_processing.mode': enumSpec('append', 'append', 'preserve', 'remove'),
    'routing.http2.enabled': boolSpec('true'),
    'waf.fail_open.enabled': boolSpec('false'),
    'load_balancing.cross_zone.enabled': spec('true', oneOf('true'), "'true' (always on for ALBs)"),
  },
  network: {
    ...SHARED_LOAD_BALANCER,
    'load_balancing.cross_zone.enabled': boolSpec('false'),
    'dns_record.client_routing_policy': enumSpec(
      'any_availability_zone',
      'availability_zone_affinity',
      'partial_availability_zone_affinity',
      'any_availability_zone',
    ),
    'secondary_ips.auto_assigned.per_subnet': intSpec('0', 0, 7),
  },
};

const TARGET_GROUP_HEALTH: Record<string, AttributeSpec> = {
  'target_group_health.dns_failover.minimum_healthy_targets.count': spec(
    '1',
    (v) => v === 'off' || intIn(1, 1000)(v),
    "'off' or an integer",
  ),
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': spec(
    'off',
    (v) => v === 'off' || intIn(1, 100)(v),
    "'off' or 1-100",
  ),
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': intSpec('1', 1, 1000),
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': spec(
    'off',
    (v) => v === 'off' || intIn(1, 100)(v),
    "'off' or 1-100",
  ),
};

const CROSS_ZONE = spec(
  'use_load_balancer_configuration',
  oneOf('true', 'false', 'use_load_balancer_configuration'),
  "'true', 'false' or 'use_load_balancer_configuration'",
);

const APPLICATION_TARGET_GROUP: Record<string, AttributeSpec> = {
  'deregistration_delay.timeout_seconds': intSpec('300', 0, 3600),
  'stickiness.enabled': boolSpec('false'),
  'stickiness.type': enumSpec('lb_cookie', 'lb_cookie', 'app_cookie'),
  'stickiness.lb_cookie.duration_seconds': intSpec('86400', 1, 604800),
  'stickiness.app_cookie.cookie_name': spec('', any, 'a cookie name'),
  'stickiness.app_cookie.duration_seconds': intSpec('86400', 1, 604800),
  'slow_start.duration_seconds': spec(
    '0',
    (v) => v === '0' || intIn(30, 900)(v),
    '0 or an integer from 30 to 900',
  ),
  'load_balancing.algorithm.type': enumSpec(
    'round_robin',
    'round_robin',
    'least_outstanding_requests',
    'weighted_random',
  ),
  'load_balancing.algorithm.anomaly_mitigation': enumSpec('off', 'on', 'off'),
  'load_balancing.cross_zone.enabled': CROSS_ZONE,
  ...TARGET_GROUP_HEALTH,
};

const NETWORK_TARGET_GROUP: Record<string, AttributeSpec> = {
  'deregistration_delay.timeout_seconds': intSpec('300', 0, 3600),
  'deregistration_delay.connection_termination.enabled': boolSpec('false'),
  'preserve_client_ip.enabled': boolSpec('true'),
  'proxy_protocol_v2.enabled': boolSpec('false'),
  'stickiness.enabled': boolSpec('false'),
  'stickiness.type': enumSpec('source_ip', 'source_ip'),
  'load_balancing.cross_zone.enabled': CROSS_ZONE,
  'target_health_state.unhealthy.connection_termination.enabled': boolSpec('true'),
  'target_health_state.unhealthy.draining_interval_seconds': intSpec('0', 0, 360000),
  ...TARGET_GROUP_HEALTH,
};

const LAMBDA_TARGET_GROUP: Record<string, AttributeSpec> = {
  'lambda.multi_value_headers.enabled': boolSpec('false'),
};

function targetGroupCatalogue(group: TargetGroupRecord): Record<string, AttributeSpec> {
  if (group.targetType === 'lambda') return LAMBDA_TARGET_GROUP;
  return group.protocol === 'HTTP' || group.protocol === 'HTTPS'
    ? APPLICATION_TARGET_GROUP
    : NETWORK_TARGET_GROUP;
}

export function defaultAttributes(catalogue: Record<string, AttributeSpec>): Map<string, string> {
  return new Map(Object.entries(catalogue).map(([key, attribute]) => [key, attribute.default]));
}

/** The API reference's defaults; `ipv6.deny_all_igw_traffic` is true for internal ones. */
export function defaultLoadBalancerAttributes(
  type: LoadBalancerType,
  scheme: 'internet-facing' | 'internal' = 'internet-facing',
): Map<string, string> {
  const attributes = defaultAttributes(LOAD_BALANCER_ATTRIBUTES[type]);
  attributes.set('ipv6.deny_all_igw_traffic', String(scheme === 'internal'));
  return attributes;
}

/**
 * Rules that depend on the load balancer, not the value alone: the IGW switch applies to
 * dualstack load balancers only (AWS: "Load balancer attribute key 'ipv6.deny_all_igw_traffic' is
 * not supported on load balancers with IP address type 'ipv4'"), and the NLB's secondary IPs per
 * subnet can't be decreased once set (API reference).
 */
function checkForBalancer(balancer: LoadBalancerRecord, input: Input): void {
  for (const item of records(input, 'Attributes')) {
    const key = item['Key'];
    const value = item['Value'];
    if (key === 'ipv6.deny_all_igw_traffic' && !balancer.ipAddressType.startsWith('dualstack'))
      fail(
        'InvalidConfigurationRequest',
        `Load balancer attribute key '${key}' is not supported on load balancers with IP address type '${balancer.ipAddressType}'`,
      );
    const current = Number(balancer.attributes.get('secondary_ips.auto_assigned.per_subnet') ?? 0);
    if (
      key === 'secondary_ips.auto_assigned.per_subnet' &&
      /^\d+$/.test(String(value)) &&
      Number(value) < current
    )
      validationError(
        `Attribute '${key}' of load balancer '${balancer.name}' cannot be decreased from ${current} to ${value}`,
      );
  }
}

export function defaultTargetGroupAttributes(group: TargetGroupRecord): Map<string, string> {
  const attributes = defaultAttributes(targetGroupCatalogue(group));
  // AWS preserves client IPs by default for instance targets and for UDP/TCP_UDP ip targets only
  if (attributes.has('preserve_client_ip.enabled')) {
    const preserve =
      group.targetType === 'instance' || group.protocol === 'UDP' || group.protocol === 'TCP_UDP';
    attributes.set('preserve_client_ip.enabled', String(preserve));
  }
  return attributes;
}

/** Validates every change first, so one bad attribute leaves all of them unchanged. */
/** Validates ModifyXAttributes' `Attributes` against a catalogue and applies them, as AWS does for every owner type. */
export function applyAttributes(
  owner: string,
  catalogue: Record<string, AttributeSpec>,
  attributes: Map<string, string>,
  input: Input,
): { Key: string; Value: string }[] {
  const changes = records(input, 'Attributes').map((item, index) => {
    const path = `Attributes.member.${index + 1}`;
    const key = optionalString(item, 'Key', `${path}.Key`);
    if (!key) validationError(`${path}.Key is required`);
    const value = optionalString(item, 'Value', `${path}.Value`) ?? '';
    const attribute = catalogue[key];
    if (!attribute)
      fail('InvalidConfigurationRequest', `Attribute key '${key}' is not recognized for ${owner}`);
    if (!attribute.check(value))
      validationError(
        `Attribute '${key}' of ${owner} has invalid value '${value}': expected ${attribute.rule}`,
      );
    return { key, value };
  });
  if (changes.length === 0) validationError('Attributes is required');
  for (const change of changes) attributes.set(change.key, change.value);
  return [...attributes].map(([Key, Value]) => ({ Key, Value }));
}

function loadBalancerArn(input: Input): string {
  const arn = optionalString(input, 'LoadBalancerArn');
  if (!arn) validationError('LoadBalancerArn is required');
  return arn;
}

function targetGroupArn(input: Input): string {
  const arn = optionalString(input, 'TargetGroupArn');
  if (!arn) validationError('TargetGroupArn is required');
  return arn;
}

export function describeLoadBalancerAttributes(state: Elbv2State, input: Input) {
  const balancer = getLoadBalancer(state, loadBalancerArn(input));
  return { Attributes: [...balancer.attributes].map(([Key, Value]) => ({ Key, Value })) };
}

export function modifyLoadBalancerAttributes(state: Elbv2State, input: Input) {
  const balancer = getLoadBalancer(state, loadBalancerArn(input));
  const catalogue = LOAD_BALANCER_ATTRIBUTES[balancer.type];
  checkForBalancer(balancer, input);
  return {
    Attributes: applyAttributes(`load balancer '${balancer.name}'`, catalogue, balancer.attributes, input),
  };
}

export function describeTargetGroupAttributes(state: Elbv2State, input: Input) {
  const group = getTargetGroup(state, targetGroupArn(input));
  return { Attributes: [...group.attributes].map(([Key, Value]) => ({ Key, Value })) };
}

export function modifyTargetGroupAttributes(state: Elbv2State, input: Input) {
  const group = getTargetGroup(state, targetGroupArn(input));
  return {
    Attributes: applyAttributes(
      `target group '${group.name}'`,
      targetGroupCatalogue(group),
      group.attributes,
      input,
    ),
  };
}
