import { describe, expect, it } from 'vitest';
import type { Service } from '../../../shared/k8s/objects.js';
import { parseAction } from '../../../shared/model/ingress/actions.js';
import { type MemberContext, resolveBackend } from '../../../shared/model/ingress/backend.js';
import { buildRuleConditions, parseConditions } from '../../../shared/model/ingress/conditions.js';
import type { RuleCondition, ValuesOrRegex } from '../../../shared/model/stack.js';
import { environment, ingress, service } from './helpers.js';

const hostCondition = (config: ValuesOrRegex): RuleCondition => ({
  field: 'host-header',
  hostHeaderConfig: config,
});
const pathCondition = (config: ValuesOrRegex): RuleCondition => ({
  field: 'path-pattern',
  pathPatternConfig: config,
});
const none = { values: [], regexValues: [] };

describe('rule conditions: the rule host and path merged with conditions.* annotations', () => {
  it.each([
    {
      name: 'host only',
      host: 'example.com',
      path: none,
      extra: [],
      expected: [hostCondition({ values: ['example.com'] })],
    },
    {
      name: 'wildcard host',
      host: '*.example.com',
      path: none,
      extra: [],
      expected: [hostCondition({ values: ['*.example.com'] })],
    },
    {
      name: 'exact path',
      host: undefined,
      path: { values: ['/exact'] },
      extra: [],
      expected: [pathCondition({ values: ['/exact'] })],
    },
    {
      name: 'prefix path',
      host: undefined,
      path: { values: ['/prefix', '/prefix/*'] },
      extra: [],
      expected: [pathCondition({ values: ['/prefix', '/prefix/*'] })],
    },
    {
      name: 'regex path',
      host: undefined,
      path: { regexValues: ['^api/.+$'] },
      extra: [],
      expected: [pathCondition({ regexValues: ['^api/.+$'] })],
    },
    {
      name: 'host and path',
      host: 'example.com',
      path: { values: ['/path'] },
      extra: [],
      expected: [hostCondition({ values: ['example.com'] }), pathCondition({ values: ['/path'] })],
    },
    {
      name: 'annotation host appended',
      host: 'example.com',
      path: none,
      extra: [hostCondition({ values: ['another-example.com'] })],
      expected: [hostCondition({ values: ['example.com', 'another-example.com'] })],
    },
    {
      name: 'annotation host regex alone',
      host: undefined,
      path: none,
      extra: [hostCondition({ regexValues: ['^.+\\.example\\.com$'] })],
      expected: [hostCondition({ regexValues: ['^.+\\.example\\.com$'] })],
    },
    {
      name: 'annotation path appended',
      host: undefined,
      path: { values: ['/api', '/api/*'] },
      extra: [pathCondition({ values: ['/another-api/*'] })],
      expected: [pathCondition({ values: ['/api', '/api/*', '/another-api/*'] })],
    },
    {
      name: 'regex path plus annotation regex',
      host: undefined,
      path: { regexValues: ['^api/.+$'] },
      extra: [pathCondition({ regexValues: ['^/another\\-api/.+$'] })],
      expected: [pathCondition({ regexValues: ['^api/.+$', '^/another\\-api/.+$'] })],
    },
    {
      name: 'other conditions come first',
      host: 'a.com',
      path: none,
      extra: [{ field: 'source-ip', sourceIPConfig: { values: ['10.0.0.0/8'] } } as RuleCondition],
      expected: [
        { field: 'source-ip', sourceIPConfig: { values: ['10.0.0.0/8'] } },
        hostCondition({ values: ['a.com'] }),
      ],
    },
    {
      name: 'nothing at all matches everything',
      host: undefined,
      path: none,
      extra: [],
      expected: [pathCondition({ values: ['/*'] })],
    },
  ])('$name', ({ host, path, extra, expected }) => {
    expect(buildRuleConditions(host, path, extra)).toEqual({ value: expected });
  });

  it.each([
    {
      name: 'host values plus annotation regex',
      host: 'example.com',
      path: none,
      extra: [hostCondition({ regexValues: ['^another-example.com$', '^yet-another-example.com$'] })],
      error:
        'host condition must specify exactly one of Values and RegexValues, got both Values [example.com] and RegexValues [^another-example.com$ ^yet-another-example.com$]',
    },
    {
      name: 'regex path plus annotation values',
      host: undefined,
      path: { regexValues: ['^api/.+$'] },
      extra: [pathCondition({ values: ['/another-api/*', '/yet-another-api/*'] })],
      error:
        'path condition must specify exactly one of Values and RegexValues, got both Values [/another-api/* /yet-another-api/*] and RegexValues [^api/.+$]',
    },
  ])('$name', ({ host, path, extra, error }) =>
    expect(buildRuleConditions(host, path, extra)).toEqual({ error }),
  );
});

describe('conditions.* validation', () => {
  it.each([
    {
      name: 'host both',
      json: [
        {
          field: 'host-header',
          hostHeaderConfig: { values: ['example.com'], regexValues: ['^example\\.com$'] },
        },
      ],
      error: 'invalid hostHeaderConfig: precisely one of values and regexValues can be specified',
    },
    {
      name: 'host neither',
      json: [{ field: 'host-header', hostHeaderConfig: {} }],
      error: 'invalid hostHeaderConfig: values or regexValues must be specified',
    },
    {
      name: 'header both',
      json: [
        {
          field: 'http-header',
          httpHeaderConfig: {
            httpHeaderName: 'HeaderName',
            values: ['HeaderValue1', 'HeaderValue2'],
            regexValues: ['^HeaderValue[12]$'],
          },
        },
      ],
      error: 'invalid httpHeaderConfig: precisely one of values and regexValues can be specified',
    },
    {
      name: 'header neither',
      json: [{ field: 'http-header', httpHeaderConfig: { httpHeaderName: 'HeaderName' } }],
      error: 'invalid httpHeaderConfig: values or regexValues must be specified',
    },
    {
      name: 'path both',
      json: [
        { field: 'path-pattern', pathPatternConfig: { values: ['/mypath'], regexValues: ['^/mypath$'] } },
      ],
      error: 'invalid pathPatternConfig: precisely one of values and regexValues can be specified',
    },
    {
      name: 'path neither',
      json: [{ field: 'path-pattern', pathPatternConfig: {} }],
      error: 'invalid pathPatternConfig: values or regexValues must be specified',
    },
    { name: 'missing host config', json: [{ field: 'host-header' }], error: 'missing hostHeaderConfig' },
    {
      name: 'empty methods',
      json: [{ field: 'http-request-method', httpRequestMethodConfig: { values: [] } }],
      error: 'invalid httpRequestMethodConfig: values cannot be empty',
    },
    {
      name: 'empty query',
      json: [{ field: 'query-string', queryStringConfig: { values: [] } }],
      error: 'invalid queryStringConfig: Values cannot be empty',
    },
    {
      name: 'empty query value',
      json: [{ field: 'query-string', queryStringConfig: { values: [{ key: 'k' }] } }],
      error: 'value cannot be empty',
    },
    {
      name: 'empty source ip',
      json: [{ field: 'source-ip', sourceIpConfig: { values: [] } }],
      error: 'invalid sourceIPConfig: values cannot be empty',
    },
  ])('$name', ({ json, error }) => expect(parseConditions(json)).toEqual({ error }));

  it('accepts v1 camel-case field names', () => {
    expect(
      parseConditions([{ Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'a', Value: 'b' }] } }]),
    ).toEqual({
      value: [{ field: 'query-string', queryStringConfig: { values: [{ key: 'a', value: 'b' }] } }],
    });
  });
});

describe('actions.* parsing', () => {
  it.each([
    {
      name: 'forward simplified ARN',
      json: { type: 'forward', targetGroupARN: 'tg-arn' },
      action: { type: 'forward', forwardConfig: { targetGroups: [{ targetGroupARN: 'tg-arn' }] } },
    },
    {
      name: 'forward legacy camel-case',
      json: { Type: 'forward', TargetGroupArn: 'tg-arn' },
      action: { type: 'forward', forwardConfig: { targetGroups: [{ targetGroupARN: 'tg-arn' }] } },
    },
    {
      name: 'forward simplified name',
      json: { type: 'forward', targetGroupName: 'tg-name' },
      action: { type: 'forward', forwardConfig: { targetGroups: [{ targetGroupName: 'tg-name' }] } },
    },
    {
      name: 'forward advanced',
      json: {
        type: 'forward',
        forwardConfig: {
          targetGroups: [
            { serviceName: 'service-1', servicePort: 'http', weight: 20 },
            { serviceName: 'service-2', servicePort: 80, weight: 20 },
            { targetGroupARN: 'tg-arn', weight: 60 },
            { targetGroupName: 'tg-name', weight: 80 },
          ],
          targetGroupStickinessConfig: { enabled: true, durationSeconds: 200 },
        },
      },
      action: {
        type: 'forward',
        forwardConfig: {
          targetGroups: [
            { serviceName: 'service-1', servicePort: 'http', weight: 20 },
            { serviceName: 'service-2', servicePort: 80, weight: 20 },
            { targetGroupARN: 'tg-arn', weight: 60 },
            { targetGroupName: 'tg-name', weight: 80 },
          ],
          targetGroupStickinessConfig: { enabled: true, durationSeconds: 200 },
        },
      },
    },
    {
      name: 'numeric-string port becomes a number',
      json: {
        type: 'forward',
        forwardConfig: {
          targetGroups: [
            { serviceName: 'service-1', servicePort: '80', weight: 40 },
            { serviceName: 'service-2', servicePort: 443, weight: 60 },
          ],
        },
      },
      action: {
        type: 'forward',
        forwardConfig: {
          targetGroups: [
            { serviceName: 'service-1', servicePort: 80, weight: 40 },
            { serviceName: 'service-2', servicePort: 443, weight: 60 },
          ],
        },
      },
    },
    {
      name: 'redirect',
      json: {
        type: 'redirect',
        redirectConfig: {
          host: 'aws.amazon.com',
          path: '/eks/',
          port: '443',
          protocol: 'HTTPS',
          query: 'k=v',
          statusCode: 'HTTP_302',
        },
      },
      action: {
        type: 'redirect',
        redirectConfig: {
          host: 'aws.amazon.com',
          path: '/eks/',
          port: '443',
          protocol: 'HTTPS',
          query: 'k=v',
          statusCode: 'HTTP_302',
        },
      },
    },
    {
      name: 'legacy ssl-redirect',
      json: { type: 'redirect', redirectConfig: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' } },
      action: {
        type: 'redirect',
        redirectConfig: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' },
      },
    },
    {
      name: 'fixed response',
      json: {
        type: 'fixed-response',
        fixedResponseConfig: { contentType: 'text/plain', statusCode: '503', messageBody: '503 error text' },
      },
      action: {
        type: 'fixed-response',
        fixedResponseConfig: { contentType: 'text/plain', messageBody: '503 error text', statusCode: '503' },
      },
    },
  ])('$name', ({ json, action }) => expect(parseAction(json)).toEqual({ value: action }));

  it.each([
    {
      name: 'unweighted multiple groups',
      json: {
        type: 'forward',
        forwardConfig: { targetGroups: [{ targetGroupARN: 'a' }, { targetGroupARN: 'b' }] },
      },
      error: 'weight must be set when route to multiple target groups',
    },
    { name: 'unknown type', json: { type: 'teleport' }, error: 'unknown action type: teleport' },
  ])('$name', ({ json, error }) => expect(parseAction(json)).toEqual({ error }));
});

function context(annotations: Record<string, string>, services: Service[]): MemberContext {
  return {
    env: environment(),
    groupId: 'awesome-ns/ing',
    stackTags: {},
    ingress: ingress('ing', annotations, {}, 'awesome-ns'),
    services: new Map(services.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s])),
  };
}

describe('backends that do not exist (the LBC default: tolerate with a 503)', () => {
  it('a missing Service becomes a 503 fixed response', () => {
    const result = resolveBackend(context({}, [service('svc-1', {}, 'awesome-ns')]), {
      service: { name: 'svc-2', port: { name: 'http' } },
    });
    expect(result).toEqual({
      value: {
        action: {
          type: 'fixed-response',
          fixedResponseConfig: {
            contentType: 'text/plain',
            statusCode: '503',
            messageBody: 'Backend service does not exist',
          },
        },
        conditions: [],
        targetGroups: [],
      },
    });
  });
  it('a missing action becomes a 503 fixed response', () => {
    const result = resolveBackend(context({}, []), {
      service: { name: 'fake-my-svc', port: { name: 'use-annotation' } },
    });
    expect(result).toMatchObject({
      value: {
        action: { fixedResponseConfig: { statusCode: '503', messageBody: 'Backend action does not exist' } },
      },
    });
  });
  it('a missing Service in a weighted forward is an error', () => {
    const annotations = {
      'alb.ingress.kubernetes.io/actions.split': JSON.stringify({
        type: 'forward',
        forwardConfig: {
          targetGroups: [
            { serviceName: 'svc-1', servicePort: 'http', weight: 1 },
            { serviceName: 'svc-2', servicePort: 'http', weight: 1 },
          ],
        },
      }),
    };
    const result = resolveBackend(context(annotations, [service('svc-1', {}, 'awesome-ns')]), {
      service: { name: 'split', port: { name: 'use-annotation' } },
    });
    expect(result).toMatchObject({ error: 'services "svc-2" not found' });
  });
  it('a resource backend is an error', () => {
    expect(
      resolveBackend(context({}, []), {
        resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static-assets' },
      }),
    ).toMatchObject({
      error: 'missing required "service" field',
    });
  });
});
