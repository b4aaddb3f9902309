import { describe, expect, it } from 'vitest';
import { wildcardMatch } from '../../../infra/local/aws/elbv2/index.js';
import {
  createAlb,
  createListener,
  createRule,
  createTargetGroup,
  fixed,
  forwardTo,
  type World,
  world,
} from './fixture.js';

describe('wildcardMatch', () => {
  it.each([
    ['*.example.com', 'api.example.com', true, true],
    ['*.example.com', 'example.com', true, false],
    ['api.example.com', 'API.Example.COM', true, true],
    ['/api/*', '/api/users', false, true],
    ['/api/*', '/API/users', false, false],
    ['/v?/items', '/v2/items', false, true],
    ['/v?/items', '/v10/items', false, false],
    ['/a.b', '/aXb', false, false],
    ['/*', '/', false, true],
    ['/', '/x', false, false],
  ])('%s against %s (ignore case: %s) is %s', (pattern, value, ignoreCase, expected) => {
    expect(wildcardMatch(pattern, value, ignoreCase)).toBe(expected);
  });
});

/** an ALB on :80 whose default rule answers 404, with a few rules (each a fixed response named by its status) */
function site(w: World) {
  const balancer = createAlb(w);
  const listener = createListener(w, balancer, { DefaultActions: fixed('404') });
  const rule = (priority: number, conditions: unknown[], status: string) =>
    createRule(w, listener, priority, { Conditions: conditions, Actions: fixed(status) });
  return { balancer, listener, rule };
}

describe('route: matching', () => {
  const host = (...values: string[]) => ({ Field: 'host-header', Values: values });
  const path = (...values: string[]) => ({ Field: 'path-pattern', Values: values });

  it.each([
    ['host and path both match', { host: 'shop.example.com', path: '/cart/1' }, 201],
    [
      'the host matches case-insensitively, with a port',
      { host: 'SHOP.example.com:80', path: '/cart/1' },
      201,
    ],
    ['the path is case-sensitive', { host: 'shop.example.com', path: '/Cart/1' }, 202],
    ['only the host matches: the next rule (host only)', { host: 'shop.example.com', path: '/other' }, 202],
    ['values within a condition are ORed', { host: 'www.example.org', path: '/x' }, 202],
    ['nothing matches: the default rule', { host: 'other.io', path: '/cart/1' }, 404],
    ['? matches exactly one character', { host: 'a.io', path: '/v1/items' }, 203],
    ['? does not match two characters', { host: 'a.io', path: '/v12/items' }, 404],
    ['the query string is not part of the path', { host: 'a.io', path: '/v1/items?x=1' }, 203],
  ])('%s', (_name, request, status) => {
    const w = world();
    const { balancer, rule } = site(w);
    rule(10, [host('*.example.com'), path('/cart/*')], '201');
    rule(20, [host('shop.example.com', 'www.example.org')], '202');
    rule(30, [path('/v?/items')], '203');
    expect(w.elbv2.route({ loadBalancerArn: balancer, port: 80, ...request }).status).toBe(status);
  });

  it('evaluates the lowest priority first, whatever the creation order', () => {
    const w = world();
    const { balancer, rule } = site(w);
    rule(50, [path('/*')], '250');
    const winner = rule(5, [path('/a/*')], '205');
    const result = w.elbv2.route({ loadBalancerArn: balancer, port: 80, host: 'x.io', path: '/a/b' });
    expect(result).toMatchObject({ ruleArn: winner, priority: 5, status: 205 });
    expect(w.elbv2.route({ loadBalancerArn: balancer, port: 80, host: 'x.io', path: '/b' }).status).toBe(250);
  });

  it('answers default when no rule matches', () => {
    const w = world();
    const { balancer } = site(w);
    expect(w.elbv2.route({ loadBalancerArn: balancer, port: 80, host: 'x.io', path: '/' })).toMatchObject({
      ruleArn: 'default',
      priority: 'default',
      action: { type: 'fixed-response', fixedResponse: { statusCode: 404, contentType: 'text/plain' } },
      status: 404,
    });
  });

  it.each([
    ['method matches', { method: 'POST' }, 210],
    ['method is case-sensitive', { method: 'post' }, 404],
    [
      'header value matches case-insensitively with wildcards',
      { method: 'GET', headers: { 'x-canary': 'YES-please' } },
      211,
    ],
    ['query-string with a key matches', { method: 'GET', path: '/q?Version=2' }, 212],
    ['query-string value without a key matches any key', { method: 'GET', path: '/q?anything=beta' }, 213],
    ['source-ip inside the CIDR', { method: 'GET', sourceIp: '192.168.7.7' }, 214],
    ['source-ip outside the CIDR', { method: 'GET', sourceIp: '192.169.0.1' }, 404],
  ])('%s', (_name, request, status) => {
    const w = world();
    const { balancer, rule } = site(w);
    rule(1, [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } }], '210');
    rule(
      2,
      [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['yes*'] } }],
      '211',
    );
    rule(
      3,
      [{ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'version', Value: '2' }] } }],
      '212',
    );
    rule(4, [{ Field: 'query-string', QueryStringConfig: { Values: [{ Value: 'beta' }] } }], '213');
    rule(5, [{ Field: 'source-ip', SourceIpConfig: { Values: ['192.168.0.0/16'] } }], '214');
    expect(
      w.elbv2.route({ loadBalancerArn: balancer, port: 80, host: 'x.io', path: '/q', ...request }).status,
    ).toBe(status);
  });

  it('matches regex path conditions', () => {
    const w = world();
    const { balancer, rule } = site(w);
    rule(1, [{ Field: 'path-pattern', PathPatternConfig: { RegexValues: ['^/api/v[0-9]+/'] } }], '200');
    expect(
      w.elbv2.route({ loadBalancerArn: balancer, port: 80, host: 'x.io', path: '/api/v2/users' }).status,
    ).toBe(200);
    expect(
      w.elbv2.route({ loadBalancerArn: balancer, port: 80, host: 'x.io', path: '/api/vX/users' }).status,
    ).toBe(404);
  });

  it('computes redirect locations from the placeholders', () => {
    const w = world();
    const balancer = createAlb(w);
    createListener(w, balancer, {
      DefaultActions: [
        { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
      ],
    });
    expect(
      w.elbv2.route({ loadBalancerArn: balancer, port: 80, host: 'shop.io', path: '/a/b?c=d' }),
    ).toMatchObject({
      status: 301,
      action: { type: 'redirect', redirect: { location: 'https://shop.io:443/a/b?c=d', statusCode: 301 } },
    });
  });

  it('throws a clear error for a port without a listener', () => {
    const w = world();
    const { balancer } = site(w);
    expect(() => w.elbv2.route({ loadBalancerArn: balancer, port: 8443, host: 'x', path: '/' })).toThrow(
      /no listener on port 8443/,
    );
  });
});

describe('route: forwarding and target health', () => {
  const fast = {
    HealthCheckIntervalSeconds: '5',
    HealthCheckTimeoutSeconds: '2',
    HealthyThresholdCount: '2',
    UnhealthyThresholdCount: '2',
  };

  function forwarded(w: World) {
    const balancer = createAlb(w);
    const group = createTargetGroup(w, fast);
    createListener(w, balancer, { DefaultActions: forwardTo(group) });
    const probe = () => w.elbv2.route({ loadBalancerArn: balancer, port: 80, host: 'x.io', path: '/' });
    return { group, probe };
  }

  it('answers 503 with no registered targets, and while targets are still initial', () => {
    const w = world();
    const { group, probe } = forwarded(w);
    expect(probe()).toMatchObject({ status: 503, targets: [] });
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    expect(probe().status).toBe(503);
    w.clock.advance(10_000);
    expect(probe()).toMatchObject({
      status: 200,
      targets: ['10.0.0.5:8080'],
      failOpen: false,
      action: { type: 'forward', targetGroupArns: [group] },
    });
  });

  it('sends only to healthy targets while there are some', () => {
    const w = world();
    const { group, probe } = forwarded(w);
    w.elbv2.setHealthProbe((_group, target) => target.id === '10.0.0.5');
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }, { Id: '10.0.0.6' }] });
    w.clock.advance(10_000);
    expect(probe()).toMatchObject({ status: 200, targets: ['10.0.0.5:8080'], failOpen: false });
  });

  it('fails open to every registered target when all are unhealthy', () => {
    const w = world();
    const { group, probe } = forwarded(w);
    w.elbv2.setHealthProbe(() => false);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }, { Id: '10.0.0.6' }] });
    w.clock.advance(10_000);
    expect(probe()).toMatchObject({
      status: 200,
      targets: ['10.0.0.5:8080', '10.0.0.6:8080'],
      failOpen: true,
    });
  });

  it('answers 503 once the only target is draining', () => {
    const w = world();
    const { group, probe } = forwarded(w);
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(10_000);
    w.call('DeregisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    expect(probe().status).toBe(503);
  });

  it('with weighted groups, answers 503 when a group with weight > 0 has nowhere to send, and ignores weight 0', () => {
    const w = world();
    const balancer = createAlb(w);
    const blue = createTargetGroup(w, { Name: 'blue', ...fast });
    const green = createTargetGroup(w, { Name: 'green', ...fast });
    const weights = (blueWeight: string, greenWeight: string) => [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: blue, Weight: blueWeight },
            { TargetGroupArn: green, Weight: greenWeight },
          ],
        },
      },
    ];
    const listener = createListener(w, balancer, { DefaultActions: weights('100', '0') });
    w.call('RegisterTargets', { TargetGroupArn: blue, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(10_000);
    const probe = () => w.elbv2.route({ loadBalancerArn: balancer, port: 80, host: 'x.io', path: '/' });
    expect(probe()).toMatchObject({ status: 200, targets: ['10.0.0.5:8080'] });
    w.call('ModifyListener', { ListenerArn: listener, DefaultActions: weights('50', '50') });
    expect(probe().status).toBe(503);
  });
});
