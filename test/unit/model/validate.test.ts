import { describe, expect, it } from 'vitest';
import { buildIngressGroupStack } from '../../../shared/model/ingress/build.js';
import { buildServiceStack } from '../../../shared/model/service/build.js';
import type { HealthCheckConfig } from '../../../shared/model/stack.js';
import {
  certificateArnProblem,
  userPoolArnProblem,
  webAclArnProblem,
} from '../../../shared/model/validate/arn.js';
import { targetGroupAttributeProblem } from '../../../shared/model/validate/attributes.js';
import { conditionValueProblem } from '../../../shared/model/validate/conditions.js';
import { healthCheckProblems, matcherProblem } from '../../../shared/model/validate/health-check.js';
import { environment, ingress, pathsIngress, service } from './helpers.js';

const A = 'alb.ingress.kubernetes.io';
const S = 'service.beta.kubernetes.io';

const ALB_CHECK: HealthCheckConfig = {
  port: 'traffic-port',
  protocol: 'HTTP',
  path: '/',
  matcher: { httpCode: '200' },
  intervalSeconds: 15,
  timeoutSeconds: 5,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 2,
};

describe('health checks as ELBv2 validates them', () => {
  it.each([
    { name: 'the defaults', change: {}, kind: 'application', problems: [] },
    { name: 'path without a slash', change: { path: 'no-slash' }, kind: 'application', problems: ['path'] },
    {
      name: 'path over 1024',
      change: { path: `/${'a'.repeat(1024)}` },
      kind: 'application',
      problems: ['path'],
    },
    { name: 'unicode path', change: { path: '/héalth' }, kind: 'application', problems: ['path'] },
    {
      name: 'path of a TCP check is not sent',
      change: { protocol: 'TCP', path: 'x' },
      kind: 'network',
      problems: [],
    },
    { name: 'timeout 0', change: { timeoutSeconds: 0 }, kind: 'application', problems: ['timeoutSeconds'] },
    {
      name: 'timeout = interval on an ALB',
      change: { timeoutSeconds: 15 },
      kind: 'application',
      problems: ['timeoutSeconds'],
    },
    { name: 'timeout = interval on an NLB', change: { timeoutSeconds: 15 }, kind: 'network', problems: [] },
    {
      name: 'timeout > interval on an NLB',
      change: { timeoutSeconds: 20 },
      kind: 'network',
      problems: ['timeoutSeconds'],
    },
    {
      name: 'interval 4',
      change: { intervalSeconds: 4, timeoutSeconds: 2 },
      kind: 'application',
      problems: ['intervalSeconds'],
    },
    {
      name: 'interval 301',
      change: { intervalSeconds: 301 },
      kind: 'application',
      problems: ['intervalSeconds'],
    },
    {
      name: 'healthy threshold 1',
      change: { healthyThresholdCount: 1 },
      kind: 'application',
      problems: ['healthyThresholdCount'],
    },
    {
      name: 'unhealthy threshold 11',
      change: { unhealthyThresholdCount: 11 },
      kind: 'network',
      problems: ['unhealthyThresholdCount'],
    },
    { name: 'port 0', change: { port: 0 }, kind: 'application', problems: ['port'] },
    { name: 'port 65536', change: { port: 65536 }, kind: 'network', problems: ['port'] },
    {
      name: 'success code 999',
      change: { matcher: { httpCode: '999' } },
      kind: 'application',
      problems: ['matcher'],
    },
    {
      name: 'success code 500 on an NLB',
      change: { matcher: { httpCode: '500' } },
      kind: 'network',
      problems: [],
    },
    {
      name: 'success code 500 on an ALB',
      change: { matcher: { httpCode: '500' } },
      kind: 'application',
      problems: ['matcher'],
    },
    { name: 'GRPC code 12', change: { matcher: { grpcCode: '12' } }, kind: 'application', problems: [] },
    {
      name: 'GRPC code 100',
      change: { matcher: { grpcCode: '100' } },
      kind: 'application',
      problems: ['matcher'],
    },
  ] as const)('$name', ({ change, kind, problems }) => {
    const config = { ...ALB_CHECK, ...change } as HealthCheckConfig;
    expect(healthCheckProblems(config, kind).map((problem) => problem.setting)).toEqual(problems);
  });

  it.each([
    { codes: '200', ok: true },
    { codes: '200,202,499', ok: true },
    { codes: '200-299', ok: true },
    { codes: '299-200', ok: false },
    { codes: '200-500', ok: false },
    { codes: '200,', ok: false },
    { codes: '', ok: false },
    { codes: '2xx', ok: false },
    { codes: '199', ok: false },
  ])('HTTP success codes "$codes": valid $ok', ({ codes, ok }) => {
    expect(matcherProblem(codes, 200, 499, 'HTTP success codes') === undefined).toBe(ok);
  });
});

describe('target group attributes per load balancer type', () => {
  const cases: { attributes: Record<string, string>; kind: 'application' | 'network'; problem?: string }[] = [
    { attributes: { 'deregistration_delay.timeout_seconds': '30' }, kind: 'application', problem: undefined },
    {
      attributes: { 'deregistration_delay.timeout_seconds': '-1' },
      kind: 'application',
      problem: 'must be an integer within [0, 3600]',
    },
    {
      attributes: { 'deregistration_delay.timeout_seconds': '3601' },
      kind: 'network',
      problem: 'must be an integer within [0, 3600]',
    },
    {
      attributes: { 'no.such.key': '1' },
      kind: 'application',
      problem: 'unknown target group attribute for an ALB: no.such.key',
    },
    {
      attributes: { 'proxy_protocol_v2.enabled': 'true' },
      kind: 'application',
      problem: 'unknown target group attribute for an ALB: proxy_protocol_v2.enabled',
    },
    { attributes: { 'proxy_protocol_v2.enabled': 'true' }, kind: 'network', problem: undefined },
    { attributes: { 'stickiness.type': 'lb_cookie' }, kind: 'network', problem: 'must be one of source_ip' },
    {
      attributes: { 'stickiness.lb_cookie.duration_seconds': '0' },
      kind: 'application',
      problem: 'within [1, 604800]',
    },
    { attributes: { 'slow_start.duration_seconds': '0' }, kind: 'application', problem: undefined },
    {
      attributes: { 'slow_start.duration_seconds': '10' },
      kind: 'application',
      problem: 'must be 0 (off) or within [30, 900]',
    },
    {
      attributes: { 'load_balancing.algorithm.type': 'random' },
      kind: 'application',
      problem: 'must be one of round_robin',
    },
    { attributes: { 'stickiness.enabled': 'yes' }, kind: 'network', problem: 'must be one of true, false' },
  ];
  it.each(cases)('$kind $attributes', ({ attributes, kind, problem }) => {
    const found = targetGroupAttributeProblem(attributes, kind);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('rule condition values', () => {
  const path = (value: string) => [
    { field: 'path-pattern' as const, pathPatternConfig: { values: [value] } },
  ];
  const host = (value: string) => [{ field: 'host-header' as const, hostHeaderConfig: { values: [value] } }];
  it.each([
    { name: 'plain path', conditions: path('/a-b_c.$~"\'@:+&*?/x'), problem: undefined },
    { name: 'unicode path', conditions: path('/café'), problem: 'path-pattern value "/café" holds "é"' },
    { name: 'space in a path', conditions: path('/a b'), problem: 'holds " "' },
    { name: 'path of 129', conditions: path(`/${'a'.repeat(128)}`), problem: 'at most 128 characters (129)' },
    { name: 'wildcard host', conditions: host('*.example.com'), problem: undefined },
    {
      name: 'host with an underscore',
      conditions: host('a_b.example.com'),
      problem: 'host-header value "a_b.example.com" holds "_"',
    },
    { name: 'host of 129', conditions: host(`${'a'.repeat(125)}.com`), problem: 'at most 128 characters' },
  ])('$name', ({ conditions, problem }) => {
    const found = conditionValueProblem(conditions);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('ARN formats', () => {
  it.each([
    {
      check: certificateArnProblem,
      arn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e-2d3c',
      ok: true,
    },
    { check: certificateArnProblem, arn: 'arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc', ok: true },
    { check: certificateArnProblem, arn: 'arn:aws:iam::123456789012:server-certificate/my-cert', ok: true },
    { check: certificateArnProblem, arn: 'arn:aws:acm:us-east-1:12345:certificate/abc', ok: false },
    { check: certificateArnProblem, arn: 'not-an-arn', ok: false },
    { check: certificateArnProblem, arn: 'arn:aws:s3:::bucket', ok: false },
    {
      check: webAclArnProblem,
      arn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/my-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'.toLowerCase(),
      ok: true,
    },
    { check: webAclArnProblem, arn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1', ok: false },
    {
      check: userPoolArnProblem,
      arn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123',
      ok: true,
    },
    { check: userPoolArnProblem, arn: 'arn:aws:cognito-idp:us-east-1:123456789012:pool/x', ok: false },
  ])('$arn: valid $ok', ({ check, arn, ok }) => expect(check(arn) === undefined).toBe(ok));
});

describe('bad values refuse the Ingress, naming it and the annotation', () => {
  const build = (annotations: Record<string, string>, paths = ['/a']) =>
    buildIngressGroupStack({
      env: environment(),
      group: {
        id: { namespace: 'ns-1', name: 'ing-1' },
        members: [pathsIngress('ing-1', paths, annotations)],
        memberErrors: [],
      },
      services: [service('svc-1')],
    });
  it.each([
    { annotation: 'healthcheck-path', value: 'no-slash', message: 'health check path must start with "/"' },
    { annotation: 'success-codes', value: '999', message: 'HTTP success codes must be' },
    {
      annotation: 'healthcheck-timeout-seconds',
      value: '0',
      message: 'health check timeout must be within [2, 120]: 0',
    },
    {
      annotation: 'healthcheck-interval-seconds',
      value: '5',
      message: 'health check timeout (5) must be smaller than the interval (5)',
    },
    {
      annotation: 'target-group-attributes',
      value: 'bogus.key=1',
      message: 'unknown target group attribute',
    },
    {
      annotation: 'target-group-attributes',
      value: 'deregistration_delay.timeout_seconds=-5',
      message: 'within [0, 3600]',
    },
    { annotation: 'certificate-arn', value: 'arn:bad', message: 'not a certificate ARN' },
  ])('$annotation: $value', ({ annotation, value, message }) => {
    const result = build({ [`${A}/${annotation}`]: value });
    const field = annotation === 'healthcheck-interval-seconds' ? 'healthcheck-timeout-seconds' : annotation;
    expect(result.memberErrors).toHaveLength(1);
    expect(result.memberErrors[0]?.field).toBe(`metadata.annotations["${A}/${field}"]`);
    expect(result.memberErrors[0]?.message).toContain(
      `Ingress ns-1/ing-1 metadata.annotations["${A}/${field}"]: `,
    );
    expect(result.memberErrors[0]?.message).toContain(message);
    expect(result.stackErrors).toHaveLength(1);
  });

  it('a unicode path names the path', () => {
    const result = build({}, ['/ünïcode']);
    expect(result.memberErrors.map((error) => [error.field, error.message.includes('holds "ü"')])).toEqual([
      ['spec.rules[0].http.paths[0]', true],
    ]);
  });

  it('an invalid host names the rule', () => {
    const bad = ingress(
      'ing-1',
      {},
      {
        rules: [
          {
            host: 'bad_host.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'svc-1', port: { name: 'http' } } },
                },
              ],
            },
          },
        ],
      },
    );
    const result = buildIngressGroupStack({
      env: environment(),
      group: { id: { namespace: 'ns-1', name: 'ing-1' }, members: [bad], memberErrors: [] },
      services: [service('svc-1')],
    });
    expect(result.memberErrors[0]?.message).toContain('host-header value "bad_host.example.com" holds "_"');
  });
});

describe('bad values refuse the Service, naming it and the annotation', () => {
  const build = (annotations: Record<string, string>) => {
    const svc = {
      ...service('svc-1', annotations),
      spec: { ...service('svc-1').spec, type: 'LoadBalancer' as const },
    };
    return buildServiceStack({ env: environment(), id: { namespace: 'ns-1', name: 'svc-1' }, service: svc });
  };
  it.each([
    {
      annotation: 'aws-load-balancer-healthcheck-timeout',
      value: '0',
      message: 'health check timeout must be within [2, 120]: 0',
    },
    {
      annotation: 'aws-load-balancer-healthcheck-interval',
      value: '400',
      message: 'health check interval must be within [5, 300]: 400',
    },
    {
      annotation: 'aws-load-balancer-healthcheck-healthy-threshold',
      value: '1',
      message: 'healthy threshold count',
    },
    {
      annotation: 'aws-load-balancer-target-group-attributes',
      value: 'stickiness.type=lb_cookie',
      message: 'must be one of source_ip',
    },
    { annotation: 'aws-load-balancer-ssl-cert', value: 'arn:cert', message: 'not a certificate ARN' },
  ])('$annotation: $value', ({ annotation, value, message }) => {
    const result = build({ [`${S}/${annotation}`]: value });
    expect(result.memberErrors[0]?.field).toBe(`metadata.annotations["${S}/${annotation}"]`);
    expect(result.memberErrors[0]?.message).toContain('Service ns-1/svc-1 ');
    expect(result.memberErrors[0]?.message).toContain(message);
    expect(result.stackErrors).toHaveLength(1);
  });

  it('an HTTP health check with a path without a slash', () => {
    const result = build({
      [`${S}/aws-load-balancer-healthcheck-protocol`]: 'HTTP',
      [`${S}/aws-load-balancer-healthcheck-path`]: 'healthz',
    });
    expect(result.memberErrors[0]?.field).toBe(
      `metadata.annotations["${S}/aws-load-balancer-healthcheck-path"]`,
    );
  });
});
