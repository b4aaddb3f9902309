/**
 * Load balancer attributes against the API reference (LoadBalancerAttribute, "Key"): the keys
 * each type supports and their defaults. Shared by ALB and NLB: access_logs.s3.*,
 * ipv6.deny_all_igw_traffic ("set to false for internet-facing load balancers and true for
 * internal load balancers"), zonal_shift.config.enabled; all load balancers:
 * deletion_protection.enabled, load_balancing.cross_zone.enabled (ALB true and fixed, NLB false).
 * ALB only: idle_timeout, client_keep_alive, connection_logs.s3.*, health_check_logs.s3.*,
 * routing.http.* (x_amzn_tls_version_and_cipher_suite, ...), routing.http2.enabled,
 * waf.fail_open.enabled. NLB only: dns_record.client_routing_policy,
 * secondary_ips.auto_assigned.per_subnet (0-7, default 0, "you can't decrease it").
 */
import { describe, expect, it } from 'vitest';
import { createAlb, type World, world } from './fixture.js';

type Attributes = { Attributes: { Key: string; Value: string }[] };

function attributesOf(w: World, arn: string): Record<string, string> {
  const out = w.call<Attributes>('DescribeLoadBalancerAttributes', { LoadBalancerArn: arn });
  return Object.fromEntries(out.Attributes.map((a) => [a.Key, a.Value]));
}

function create(w: World, input: Record<string, unknown>): string {
  const out = w.call<{ LoadBalancers: { LoadBalancerArn: string }[] }>('CreateLoadBalancer', input);
  return out.LoadBalancers[0]!.LoadBalancerArn;
}

const nlb = (w: World, extra: Record<string, unknown> = {}) =>
  create(w, { Name: 'tcp', Type: 'network', Subnets: ['subnet-a'], ...extra });

const ALB_DEFAULTS = {
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'deletion_protection.enabled': 'false',
  'zonal_shift.config.enabled': 'false',
  'ipv6.deny_all_igw_traffic': 'false',
  'idle_timeout.timeout_seconds': '60',
  'client_keep_alive.seconds': '3600',
  'connection_logs.s3.enabled': 'false',
  'connection_logs.s3.bucket': '',
  'connection_logs.s3.prefix': '',
  'health_check_logs.s3.enabled': 'false',
  'health_check_logs.s3.bucket': '',
  'health_check_logs.s3.prefix': '',
  'routing.http.desync_mitigation_mode': 'defensive',
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'routing.http.preserve_host_header.enabled': 'false',
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': 'false',
  'routing.http.xff_client_port.enabled': 'false',
  'routing.http.xff_header_processing.mode': 'append',
  'routing.http2.enabled': 'true',
  'waf.fail_open.enabled': 'false',
  'load_balancing.cross_zone.enabled': 'true',
};

const NLB_DEFAULTS = {
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'deletion_protection.enabled': 'false',
  'zonal_shift.config.enabled': 'false',
  'ipv6.deny_all_igw_traffic': 'false',
  'load_balancing.cross_zone.enabled': 'false',
  'dns_record.client_routing_policy': 'any_availability_zone',
  'secondary_ips.auto_assigned.per_subnet': '0',
};

describe('load balancer attributes per the API reference', () => {
  it.each([
    ['an internet-facing ALB', (w: World) => createAlb(w), ALB_DEFAULTS],
    ['an internet-facing NLB', (w: World) => nlb(w), NLB_DEFAULTS],
    [
      'an internal ALB',
      (w: World) => createAlb(w, { Scheme: 'internal' }),
      { ...ALB_DEFAULTS, 'ipv6.deny_all_igw_traffic': 'true' },
    ],
    [
      'an internal NLB',
      (w: World) => nlb(w, { Scheme: 'internal' }),
      { ...NLB_DEFAULTS, 'ipv6.deny_all_igw_traffic': 'true' },
    ],
  ])('%s starts with exactly the documented keys and defaults', (_name, make, expected) => {
    const w = world();
    expect(attributesOf(w, make(w))).toEqual(expected);
  });

  it('sets ipv6.deny_all_igw_traffic on a dualstack load balancer', () => {
    const w = world();
    const arn = createAlb(w, { IpAddressType: 'dualstack' });
    w.call('ModifyLoadBalancerAttributes', {
      LoadBalancerArn: arn,
      Attributes: [{ Key: 'ipv6.deny_all_igw_traffic', Value: 'true' }],
    });
    expect(attributesOf(w, arn)['ipv6.deny_all_igw_traffic']).toBe('true');
  });

  it.each([
    [
      'ipv6.deny_all_igw_traffic on an ipv4 load balancer',
      (w: World) => createAlb(w),
      'ipv6.deny_all_igw_traffic',
      'true',
      'InvalidConfigurationRequest',
      "is not supported on load balancers with IP address type 'ipv4'",
    ],
    [
      'the old misspelt TLS header key',
      (w: World) => createAlb(w),
      'routing.http.x_amz_tls_version_and_cipher_suite.enabled',
      'true',
      'InvalidConfigurationRequest',
      'not recognized',
    ],
    [
      'secondary IPs beyond 7',
      (w: World) => nlb(w),
      'secondary_ips.auto_assigned.per_subnet',
      '8',
      'ValidationError',
      'from 0 to 7',
    ],
    [
      'health check logs on an NLB',
      (w: World) => nlb(w),
      'health_check_logs.s3.enabled',
      'true',
      'InvalidConfigurationRequest',
      'not recognized',
    ],
  ])('refuses %s', (_name, make, key, value, code, message) => {
    const w = world();
    const arn = make(w);
    const error = w.errorOf('ModifyLoadBalancerAttributes', {
      LoadBalancerArn: arn,
      Attributes: [{ Key: key, Value: value }],
    });
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it("raises an NLB's secondary IPs per subnet but never lowers them", () => {
    const w = world();
    const arn = nlb(w);
    const set = (value: string) =>
      w.call('ModifyLoadBalancerAttributes', {
        LoadBalancerArn: arn,
        Attributes: [{ Key: 'secondary_ips.auto_assigned.per_subnet', Value: value }],
      });
    set('3');
    set('3');
    const error = w.errorOf('ModifyLoadBalancerAttributes', {
      LoadBalancerArn: arn,
      Attributes: [{ Key: 'secondary_ips.auto_assigned.per_subnet', Value: '2' }],
    });
    expect(error.code).toBe('ValidationError');
    expect(error.message).toContain('cannot be decreased from 3 to 2');
    expect(attributesOf(w, arn)['secondary_ips.auto_assigned.per_subnet']).toBe('3');
  });
});
