import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import {
  fromSdkActions,
  fromSdkConditions,
  fromSdkHealthCheck,
  toSdkActions,
  toSdkConditions,
  toSdkHealthCheck,
} from '../../../shared/aws/elbv2-stacks.js';
import type { Action, HealthCheckConfig, RuleCondition } from '../../../shared/model/stack.js';
import { ref } from '../../../shared/model/stack.js';

/** The ELBv2 port's shape converters: what slbc writes must read back as the model wrote it. */
const actions: { name: string; model: Action }[] = [
  {
    name: 'forward, one target group',
    model: { type: 'forward', forwardConfig: { targetGroups: [{ targetGroupARN: 'arn:tg/a' }] } },
  },
  {
    name: 'forward, weighted with stickiness',
    model: {
      type: 'forward',
      forwardConfig: {
        targetGroups: [
          { targetGroupARN: 'arn:tg/a', weight: 80 },
          { targetGroupARN: 'arn:tg/b', weight: 20 },
        ],
        targetGroupStickinessConfig: { enabled: true, durationSeconds: 60 },
      },
    },
  },
  {
    name: 'redirect with some fields set',
    model: { type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
  },
  {
    name: 'fixed response',
    model: {
      type: 'fixed-response',
      fixedResponseConfig: { statusCode: '503', contentType: 'text/plain', messageBody: 'down' },
    },
  },
];

const conditions: { name: string; model: RuleCondition }[] = [
  { name: 'host header', model: { field: 'host-header', hostHeaderConfig: { values: ['a.example.com'] } } },
  { name: 'path pattern', model: { field: 'path-pattern', pathPatternConfig: { values: ['/api/*'] } } },
  {
    name: 'path regex',
    model: { field: 'path-pattern', pathPatternConfig: { regexValues: ['^/v[0-9]+$'] } },
  },
  {
    name: 'http header',
    model: { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'X-Env', values: ['canary'] } },
  },
  { name: 'method', model: { field: 'http-request-method', httpRequestMethodConfig: { values: ['GET'] } } },
  {
    name: 'query string with and without key',
    model: {
      field: 'query-string',
      queryStringConfig: { values: [{ key: 'v', value: '2' }, { value: 'x' }] },
    },
  },
  { name: 'source ip', model: { field: 'source-ip', sourceIPConfig: { values: ['10.0.0.0/8'] } } },
];

const healthChecks: { name: string; model: HealthCheckConfig }[] = [
  {
    name: 'HTTP with path and http code',
    model: {
      port: 'traffic-port',
      protocol: 'HTTP',
      path: '/healthz',
      matcher: { httpCode: '200-299' },
      intervalSeconds: 15,
      timeoutSeconds: 5,
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    },
  },
  {
    name: 'gRPC code on a numbered port',
    model: {
      port: 8081,
      protocol: 'HTTPS',
      path: '/grpc.health.v1.Health/Check',
      matcher: { grpcCode: '0' },
      intervalSeconds: 10,
      timeoutSeconds: 5,
      healthyThresholdCount: 3,
      unhealthyThresholdCount: 3,
    },
  },
  {
    name: 'TCP: no path or matcher',
    model: {
      port: 'traffic-port',
      protocol: 'TCP',
      intervalSeconds: 30,
      timeoutSeconds: 10,
      healthyThresholdCount: 3,
      unhealthyThresholdCount: 3,
    },
  },
];

describe('ELBv2 shape converters round-trip', () => {
  it.each(actions)('action: $name', ({ model }) => {
    expect(fromSdkActions(toSdkActions([model]))).toEqual([model]);
  });
  it.each(conditions)('condition: $name', ({ model }) => {
    expect(fromSdkConditions(toSdkConditions([model]))).toEqual([model]);
  });
  it.each(healthChecks)('health check: $name', ({ model }) => {
    expect(fromSdkHealthCheck(toSdkHealthCheck(model) as TargetGroup)).toEqual(model);
  });
});

describe('ELBv2 shapes as AWS reports them', () => {
  it.each([
    {
      name: 'actions come back in their Order, not list order',
      sdk: [
        { Type: 'forward', Order: 2, TargetGroupArn: 'arn:tg/a' },
        { Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '404' } },
      ],
      model: [
        { type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } },
        { type: 'forward', forwardConfig: { targetGroups: [{ targetGroupARN: 'arn:tg/a' }] } },
      ],
    },
    {
      name: 'stickiness reported off is no stickiness',
      sdk: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: 'arn:tg/a', Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
      model: [
        { type: 'forward', forwardConfig: { targetGroups: [{ targetGroupARN: 'arn:tg/a', weight: 1 }] } },
      ],
    },
  ] as const)('$name', ({ sdk, model }) => {
    expect(fromSdkActions(sdk as never)).toEqual(model);
  });

  it.each([
    {
      name: 'legacy top-level Values of a path condition',
      sdk: [{ Field: 'path-pattern', Values: ['/old'] }],
      model: [{ field: 'path-pattern', pathPatternConfig: { values: ['/old'] } }],
    },
    {
      name: 'a field slbc does not model is dropped',
      sdk: [{ Field: 'something-new', Values: ['x'] }],
      model: [],
    },
  ] as const)('$name', ({ sdk, model }) => {
    expect(fromSdkConditions(sdk as never)).toEqual(model);
  });

  it('an unresolved reference is never sent to AWS', () => {
    const action: Action = {
      type: 'forward',
      forwardConfig: {
        targetGroups: [
          { targetGroupARN: ref('AWS::ElasticLoadBalancingV2::TargetGroup', 'x', 'targetGroupARN') },
        ],
      },
    };
    expect(() => toSdkActions([action])).toThrow(/unresolved reference/);
  });
});
