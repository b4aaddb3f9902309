import type { LoadBalancerKind } from './health-check.js';

/**
 * Target group attribute keys and values as ELBv2 documents them (TargetGroupAttribute in the API
 * reference), per load balancer type. AWS refuses an unknown key or a value out of range at deploy
 * time; checking here turns that into an error naming the annotation, with nothing half-built.
 */

type ValueCheck = (value: string) => string | undefined;

const oneOf =
  (...allowed: string[]): ValueCheck =>
  (value) =>
    allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`;

const integer =
  (min: number, max: number, ...words: string[]): ValueCheck =>
  (value) => {
    if (words.includes(value)) return undefined;
    const ok = /^[0-9]+$/.test(value) && Number(value) >= min && Number(value) <= max;
    const alternatives = words.length > 0 ? ` or ${words.join(', ')}` : '';
    return ok ? undefined : `must be an integer within [${min}, ${max}]${alternatives}`;
  };

const slowStart: ValueCheck = (value) =>
  value === '0' || integer(30, 900)(value) === undefined ? undefined : 'must be 0 (off) or within [30, 900]';

const BOOLEAN = oneOf('true', 'false');
const HEALTH_COUNT = integer(1, 2147483647, 'off');
const HEALTH_PERCENTAGE = integer(1, 100, 'off');

const COMMON: Record<string, ValueCheck> = {
  'deregistration_delay.timeout_seconds': integer(0, 3600),
  'stickiness.enabled': BOOLEAN,
  'load_balancing.cross_zone.enabled': oneOf('true', 'false', 'use_load_balancer_configuration'),
  'target_group_health.dns_failover.minimum_healthy_targets.count': HEALTH_COUNT,
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': HEALTH_PERCENTAGE,
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': integer(1, 2147483647),
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': HEALTH_PERCENTAGE,
};

const APPLICATION: Record<string, ValueCheck> = {
  ...COMMON,
  'stickiness.type': oneOf('lb_cookie', 'app_cookie'),
  'stickiness.lb_cookie.duration_seconds': integer(1, 604800),
  'stickiness.app_cookie.duration_seconds': integer(1, 604800),
  'stickiness.app_cookie.cookie_name': (value) =>
    /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/.test(value) && !/^AWSALB/i.test(value)
      ? undefined
      : 'must be a cookie name of at most 256 token characters, not starting with AWSALB',
  'load_balancing.algorithm.type': oneOf('round_robin', 'least_outstanding_requests', 'weighted_random'),
  'load_balancing.algorithm.anomaly_mitigation': oneOf('on', 'off'),
  'slow_start.duration_seconds': slowStart,
};

const NETWORK: Record<string, ValueCheck> = {
  ...COMMON,
  'stickiness.type': oneOf('source_ip'),
  'deregistration_delay.connection_termination.enabled': BOOLEAN,
  'preserve_client_ip.enabled': BOOLEAN,
  'proxy_protocol_v2.enabled': BOOLEAN,
  'target_health_state.unhealthy.connection_termination.enabled': BOOLEAN,
  'target_health_state.unhealthy.draining_interval_seconds': integer(0, 360000),
};

const BY_KIND: Record<LoadBalancerKind, Record<string, ValueCheck>> = {
  application: APPLICATION,
  network: NETWORK,
};

/** The first problem with these attributes (key order), or undefined. */
export function targetGroupAttributeProblem(
  attributes: Readonly<Record<string, string>>,
  kind: LoadBalancerKind,
): string | undefined {
  const known = BY_KIND[kind];
  for (const key of Object.keys(attributes).sort()) {
    const check = known[key];
    if (!check) {
      return `unknown target group attribute for ${kind === 'application' ? 'an ALB' : 'an NLB'}: ${key}`;
    }
    const value = attributes[key]!;
    const problem = check(value);
    if (problem) return `target group attribute ${key}=${value}: ${problem}`;
  }
  return undefined;
}
