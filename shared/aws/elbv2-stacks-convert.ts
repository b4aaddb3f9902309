import type {
  Action as SdkAction,
  RuleCondition as SdkCondition,
  TargetGroup as SdkTargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { SlbcError } from '../errors.js';
import type { Action, HealthCheckConfig, Ref, RuleCondition, TargetGroupTuple } from '../model/stack.js';
import { isRef } from '../model/stack.js';
import type { TagMap } from '../plan/stack-actual.js';
import { type ClientCredentials, fromSdkAuthAction, toSdkAuthAction } from './elbv2-stacks-convert-auth.js';

export type { ClientCredentials, OidcCredentials } from './elbv2-stacks-convert-auth.js';

/**
 * Converters between the SDK's ELBv2 shapes and the model's (actions, conditions, health checks,
 * tags). Reading and writing go through the same pair, so what slbc writes reads back equal and
 * the plan sees no change where there is none.
 */

/** A Ref left in a change means the apply skipped a dependency: a bug, never sent to AWS. */
export const str = (value: string | Ref | undefined): string | undefined => {
  if (value !== undefined && isRef(value)) throw new SlbcError(`unresolved reference ${value.$ref}`);
  return value;
};

/** `credentials` supplies OIDC client secrets, at apply time only (elbv2-stacks-convert-auth.ts). */
export function toSdkActions(actions: readonly Action[], credentials?: ClientCredentials): SdkAction[] {
  return actions.map((action, index): SdkAction => {
    const Order = index + 1;
    switch (action.type) {
      case 'authenticate-cognito':
      case 'authenticate-oidc':
        return toSdkAuthAction(action, Order, credentials);
      case 'forward': {
        const sticky = action.forwardConfig.targetGroupStickinessConfig;
        const tuples = action.forwardConfig.targetGroups.map((tuple) => ({
          TargetGroupArn: str(tuple.targetGroupARN),
          ...(tuple.weight === undefined ? {} : { Weight: tuple.weight }),
        }));
        return {
          Type: 'forward',
          Order,
          ForwardConfig: {
            TargetGroups: tuples,
            ...(sticky
              ? {
                  TargetGroupStickinessConfig: {
                    Enabled: sticky.enabled,
                    ...(sticky.durationSeconds === undefined
                      ? {}
                      : { DurationSeconds: sticky.durationSeconds }),
                  },
                }
              : {}),
          },
        };
      }
      case 'redirect': {
        const r = action.redirectConfig;
        return {
          Type: 'redirect',
          Order,
          RedirectConfig: {
            ...(r.host === undefined ? {} : { Host: r.host }),
            ...(r.path === undefined ? {} : { Path: r.path }),
            ...(r.port === undefined ? {} : { Port: r.port }),
            ...(r.protocol === undefined ? {} : { Protocol: r.protocol }),
            ...(r.query === undefined ? {} : { Query: r.query }),
            StatusCode: r.statusCode as 'HTTP_301',
          },
        };
      }
      case 'fixed-response': {
        const f = action.fixedResponseConfig;
        return {
          Type: 'fixed-response',
          Order,
          FixedResponseConfig: {
            StatusCode: f.statusCode,
            ...(f.contentType === undefined ? {} : { ContentType: f.contentType }),
            ...(f.messageBody === undefined ? {} : { MessageBody: f.messageBody }),
          },
        };
      }
      default:
        throw new SlbcError(`unknown action type ${(action as { type: string }).type}`);
    }
  });
}

export function fromSdkActions(actions: readonly SdkAction[] | undefined): Action[] {
  return [...(actions ?? [])]
    .sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))
    .map((action): Action => {
      const auth = fromSdkAuthAction(action);
      if (auth) return auth;
      if (action.Type === 'redirect') {
        const r: Partial<NonNullable<SdkAction['RedirectConfig']>> = action.RedirectConfig ?? {};
        return {
          type: 'redirect',
          redirectConfig: {
            ...(r.Host === undefined ? {} : { host: r.Host }),
            ...(r.Path === undefined ? {} : { path: r.Path }),
            ...(r.Port === undefined ? {} : { port: r.Port }),
            ...(r.Protocol === undefined ? {} : { protocol: r.Protocol }),
            ...(r.Query === undefined ? {} : { query: r.Query }),
            statusCode: r.StatusCode ?? 'HTTP_301',
          },
        };
      }
      if (action.Type === 'fixed-response') {
        const f = action.FixedResponseConfig ?? { StatusCode: '200' };
        return {
          type: 'fixed-response',
          fixedResponseConfig: {
            statusCode: f.StatusCode ?? '200',
            ...(f.ContentType === undefined ? {} : { contentType: f.ContentType }),
            ...(f.MessageBody === undefined ? {} : { messageBody: f.MessageBody }),
          },
        };
      }
      const tuples: TargetGroupTuple[] =
        action.ForwardConfig?.TargetGroups?.map((tuple) => ({
          targetGroupARN: tuple.TargetGroupArn ?? '',
          ...(tuple.Weight === undefined ? {} : { weight: tuple.Weight }),
        })) ?? (action.TargetGroupArn ? [{ targetGroupARN: action.TargetGroupArn }] : []);
      const sticky = action.ForwardConfig?.TargetGroupStickinessConfig;
      return {
        type: 'forward',
        forwardConfig: {
          targetGroups: tuples,
          ...(sticky?.Enabled
            ? {
                targetGroupStickinessConfig: {
                  enabled: true,
                  ...(sticky.DurationSeconds === undefined
                    ? {}
                    : { durationSeconds: sticky.DurationSeconds }),
                },
              }
            : {}),
        },
      };
    });
}

export function toSdkConditions(conditions: readonly RuleCondition[]): SdkCondition[] {
  return conditions.map((c): SdkCondition => {
    switch (c.field) {
      case 'host-header':
        return {
          Field: c.field,
          HostHeaderConfig: {
            Values: c.hostHeaderConfig.values,
            RegexValues: c.hostHeaderConfig.regexValues,
          },
        };
      case 'path-pattern':
        return {
          Field: c.field,
          PathPatternConfig: {
            Values: c.pathPatternConfig.values,
            RegexValues: c.pathPatternConfig.regexValues,
          },
        };
      case 'http-header':
        return {
          Field: c.field,
          HttpHeaderConfig: {
            HttpHeaderName: c.httpHeaderConfig.httpHeaderName,
            Values: c.httpHeaderConfig.values,
            RegexValues: c.httpHeaderConfig.regexValues,
          },
        };
      case 'http-request-method':
        return { Field: c.field, HttpRequestMethodConfig: { Values: c.httpRequestMethodConfig.values } };
      case 'query-string':
        return {
          Field: c.field,
          QueryStringConfig: {
            Values: c.queryStringConfig.values.map((v) => ({ Key: v.key, Value: v.value })),
          },
        };
      case 'source-ip':
        return { Field: c.field, SourceIpConfig: { Values: c.sourceIPConfig.values } };
      default:
        throw new SlbcError(`unknown condition field ${(c as { field: string }).field}`);
    }
  });
}

const valuesOrRegex = (
  config: { Values?: string[]; RegexValues?: string[] } | undefined,
  legacy?: string[],
) => {
  const regexValues = config?.RegexValues ?? [];
  const values = config?.Values ?? legacy ?? [];
  return regexValues.length > 0 ? { regexValues } : { values };
};

export function fromSdkConditions(conditions: readonly SdkCondition[] | undefined): RuleCondition[] {
  return (conditions ?? []).flatMap((c): RuleCondition[] => {
    switch (c.Field) {
      case 'host-header':
        return [{ field: 'host-header', hostHeaderConfig: valuesOrRegex(c.HostHeaderConfig, c.Values) }];
      case 'path-pattern':
        return [{ field: 'path-pattern', pathPatternConfig: valuesOrRegex(c.PathPatternConfig, c.Values) }];
      case 'http-header':
        return [
          {
            field: 'http-header',
            httpHeaderConfig: {
              httpHeaderName: c.HttpHeaderConfig?.HttpHeaderName ?? '',
              ...valuesOrRegex(c.HttpHeaderConfig),
            },
          },
        ];
      case 'http-request-method':
        return [
          {
            field: 'http-request-method',
            httpRequestMethodConfig: { values: c.HttpRequestMethodConfig?.Values ?? [] },
          },
        ];
      case 'query-string':
        return [
          {
            field: 'query-string',
            queryStringConfig: {
              values: (c.QueryStringConfig?.Values ?? []).map((v) => ({
                ...(v.Key === undefined ? {} : { key: v.Key }),
                value: v.Value ?? '',
              })),
            },
          },
        ];
      case 'source-ip':
        return [{ field: 'source-ip', sourceIPConfig: { values: c.SourceIpConfig?.Values ?? [] } }];
      default:
        return [];
    }
  });
}

export function toSdkHealthCheck(check: HealthCheckConfig) {
  const http = check.protocol === 'HTTP' || check.protocol === 'HTTPS';
  const matcher = check.matcher;
  return {
    HealthCheckProtocol: check.protocol,
    HealthCheckPort: String(check.port),
    ...(http && check.path !== undefined ? { HealthCheckPath: check.path } : {}),
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThresholdCount,
    UnhealthyThresholdCount: check.unhealthyThresholdCount,
    ...(http && matcher !== undefined
      ? { Matcher: 'httpCode' in matcher ? { HttpCode: matcher.httpCode } : { GrpcCode: matcher.grpcCode } }
      : {}),
  };
}

export function fromSdkHealthCheck(group: SdkTargetGroup): HealthCheckConfig {
  const protocol = (group.HealthCheckProtocol ?? 'TCP') as HealthCheckConfig['protocol'];
  const http = protocol === 'HTTP' || protocol === 'HTTPS';
  const port = group.HealthCheckPort ?? 'traffic-port';
  return {
    port: port === 'traffic-port' ? port : Number(port),
    protocol,
    ...(http && group.HealthCheckPath !== undefined ? { path: group.HealthCheckPath } : {}),
    ...(http && group.Matcher
      ? {
          matcher:
            group.Matcher.GrpcCode !== undefined
              ? { grpcCode: group.Matcher.GrpcCode }
              : { httpCode: group.Matcher.HttpCode ?? '200' },
        }
      : {}),
    intervalSeconds: group.HealthCheckIntervalSeconds ?? 30,
    timeoutSeconds: group.HealthCheckTimeoutSeconds ?? 5,
    healthyThresholdCount: group.HealthyThresholdCount ?? 5,
    unhealthyThresholdCount: group.UnhealthyThresholdCount ?? 2,
  };
}

export const tagsArray = (tags: TagMap) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
