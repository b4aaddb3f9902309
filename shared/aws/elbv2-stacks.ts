import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type Action as SdkAction,
  type RuleCondition as SdkCondition,
  type TargetGroup as SdkTargetGroup,
  SetIpAddressTypeCommand,
  SetRulePrioritiesCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvalidInputError, NotFoundError, RetryableError, SlbcError } from '../errors.js';
import type { Action, HealthCheckConfig, Ref, RuleCondition, TargetGroupTuple } from '../model/stack.js';
import { isRef } from '../model/stack.js';
import type {
  ActualListener,
  ActualLoadBalancer,
  ActualRule,
  ActualStack,
  ActualTargetGroup,
  TagMap,
} from '../plan/stack-actual.js';
import type { Change } from '../plan/stack-changes.js';

/**
 * The ELBv2 port of the stacks function: find a stack's resources by their tags (DescribeTags,
 * 20 ARNs per call) and apply one resolved plan change. Pagination folded in, SDK errors
 * translated (throttling and 5xx retryable; a missing resource NotFound; the rest the input's fault).
 */
export type Elbv2Change = Exclude<
  Change,
  {
    op:
      | 'createSecurityGroup'
      | 'authorizeSecurityGroupIngress'
      | 'revokeSecurityGroupIngress'
      | 'deleteSecurityGroup';
  }
>;

export interface ApplyResult {
  arn?: string;
  dnsName?: string;
}

export interface Elbv2Stacks {
  /** resources whose tags carry every one of `tags` (cluster + stack) */
  findStack(tags: TagMap): Promise<Omit<ActualStack, 'securityGroups'>>;
  apply(change: Elbv2Change): Promise<ApplyResult>;
  targetGroupArnByName(name: string): Promise<string>;
}

const TAG_BATCH = 20;
const RETRYABLE =
  /^(Throttling|ThrottlingException|RequestLimitExceeded|ServiceUnavailable|InternalFailure|ResourceInUse|DependencyViolation)$/;

export function translateStackError(error: unknown, action: string, subject: string): SlbcError {
  if (error instanceof SlbcError) return error;
  const name = (error as { name?: string }).name ?? 'Error';
  const code = name.replace(/Exception$/, '');
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = `${action} ${subject}: ${code}: ${(error as Error).message ?? ''}`.trim();
  const detail = { cause: error, subject: { kind: 'Stack', name: subject } };
  if (/NotFound$/.test(code)) return new NotFoundError(message, detail);
  // ResourceInUse: a target group still referenced while AWS catches up; the next pass re-plans
  if (RETRYABLE.test(name) || RETRYABLE.test(code) || status === undefined || status >= 500)
    return new RetryableError(message, detail);
  return new InvalidInputError(message, detail);
}

const str = (value: string | Ref | undefined): string | undefined => {
  if (value !== undefined && isRef(value)) throw new SlbcError(`unresolved reference ${value.$ref}`);
  return value;
};

export function toSdkActions(actions: readonly Action[]): SdkAction[] {
  return actions.map((action, index): SdkAction => {
    const Order = index + 1;
    switch (action.type) {
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

function sdkHealthCheck(check: HealthCheckConfig) {
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

function fromSdkHealthCheck(group: SdkTargetGroup): HealthCheckConfig {
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

const tagsArray = (tags: TagMap) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export function createElbv2Stacks(client: ElasticLoadBalancingV2Client): Elbv2Stacks {
  const call = async <T>(action: string, subject: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw translateStackError(error, action, subject);
    }
  };

  async function tagsOf(arns: string[]): Promise<Map<string, TagMap>> {
    const out = new Map<string, TagMap>();
    for (let i = 0; i < arns.length; i += TAG_BATCH) {
      const part = arns.slice(i, i + TAG_BATCH);
      const result = await call('DescribeTags', `${part.length} resources`, () =>
        client.send(new DescribeTagsCommand({ ResourceArns: part })),
      );
      for (const description of result.TagDescriptions ?? []) {
        const tags: TagMap = {};
        for (const tag of description.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
        out.set(description.ResourceArn ?? '', tags);
      }
    }
    return out;
  }

  const matches = (tags: TagMap | undefined, want: TagMap) =>
    tags !== undefined && Object.entries(want).every(([key, value]) => tags[key] === value);

  async function findStack(want: TagMap): Promise<Omit<ActualStack, 'securityGroups'>> {
    const balancers: ActualLoadBalancer[] = [];
    let marker: string | undefined;
    const allBalancers = [];
    do {
      const page = await call('DescribeLoadBalancers', 'all', () =>
        client.send(
          new DescribeLoadBalancersCommand({ ...(marker ? { Marker: marker } : {}), PageSize: 400 }),
        ),
      );
      allBalancers.push(...(page.LoadBalancers ?? []));
      marker = page.NextMarker;
    } while (marker);
    const lbTags = await tagsOf(allBalancers.map((lb) => lb.LoadBalancerArn ?? ''));
    for (const lb of allBalancers) {
      const arn = lb.LoadBalancerArn ?? '';
      const tags = lbTags.get(arn);
      if (!matches(tags, want)) continue;
      const attributes = await call('DescribeLoadBalancerAttributes', arn, () =>
        client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })),
      );
      balancers.push({
        arn,
        name: lb.LoadBalancerName ?? '',
        type: lb.Type === 'network' ? 'network' : 'application',
        scheme: lb.Scheme === 'internet-facing' ? 'internet-facing' : 'internal',
        ipAddressType: (lb.IpAddressType ?? 'ipv4') as ActualLoadBalancer['ipAddressType'],
        dnsName: lb.DNSName ?? '',
        subnetIds: (lb.AvailabilityZones ?? []).flatMap((zone) => (zone.SubnetId ? [zone.SubnetId] : [])),
        securityGroups: lb.SecurityGroups ?? [],
        attributes: Object.fromEntries(
          (attributes.Attributes ?? []).map((a) => [a.Key ?? '', a.Value ?? '']),
        ),
        tags: tags ?? {},
      });
    }
    const listeners: ActualListener[] = [];
    const rules: ActualRule[] = [];
    for (const lb of balancers) {
      let listenerMarker: string | undefined;
      do {
        const page = await call('DescribeListeners', lb.arn, () =>
          client.send(
            new DescribeListenersCommand({
              LoadBalancerArn: lb.arn,
              ...(listenerMarker ? { Marker: listenerMarker } : {}),
            }),
          ),
        );
        for (const listener of page.Listeners ?? []) {
          listeners.push({
            arn: listener.ListenerArn ?? '',
            loadBalancerArn: lb.arn,
            port: listener.Port ?? 0,
            protocol: (listener.Protocol ?? 'HTTP') as ActualListener['protocol'],
            defaultActions: fromSdkActions(listener.DefaultActions),
            certificates: (listener.Certificates ?? []).flatMap((c) =>
              c.CertificateArn ? [c.CertificateArn] : [],
            ),
            ...(listener.SslPolicy ? { sslPolicy: listener.SslPolicy } : {}),
            ...(listener.AlpnPolicy ? { alpnPolicy: listener.AlpnPolicy } : {}),
          });
        }
        listenerMarker = page.NextMarker;
      } while (listenerMarker);
    }
    for (const listener of listeners) {
      const found = [];
      let ruleMarker: string | undefined;
      do {
        const page = await call('DescribeRules', listener.arn, () =>
          client.send(
            new DescribeRulesCommand({
              ListenerArn: listener.arn,
              ...(ruleMarker ? { Marker: ruleMarker } : {}),
            }),
          ),
        );
        found.push(...(page.Rules ?? []).filter((rule) => !rule.IsDefault));
        ruleMarker = page.NextMarker;
      } while (ruleMarker);
      const ruleTags = await tagsOf(found.map((rule) => rule.RuleArn ?? ''));
      for (const rule of found) {
        rules.push({
          arn: rule.RuleArn ?? '',
          listenerArn: listener.arn,
          priority: Number(rule.Priority),
          actions: fromSdkActions(rule.Actions),
          conditions: fromSdkConditions(rule.Conditions),
          tags: ruleTags.get(rule.RuleArn ?? '') ?? {},
        });
      }
    }
    const allGroups: SdkTargetGroup[] = [];
    marker = undefined;
    do {
      const page = await call('DescribeTargetGroups', 'all', () =>
        client.send(
          new DescribeTargetGroupsCommand({ ...(marker ? { Marker: marker } : {}), PageSize: 400 }),
        ),
      );
      allGroups.push(...(page.TargetGroups ?? []));
      marker = page.NextMarker;
    } while (marker);
    const groupTags = await tagsOf(allGroups.map((group) => group.TargetGroupArn ?? ''));
    const targetGroups: ActualTargetGroup[] = [];
    for (const group of allGroups) {
      const arn = group.TargetGroupArn ?? '';
      const tags = groupTags.get(arn);
      if (!matches(tags, want)) continue;
      const attributes = await call('DescribeTargetGroupAttributes', arn, () =>
        client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
      );
      targetGroups.push({
        arn,
        name: group.TargetGroupName ?? '',
        targetType: group.TargetType === 'instance' ? 'instance' : 'ip',
        protocol: (group.Protocol ?? 'HTTP') as ActualTargetGroup['protocol'],
        ...(group.ProtocolVersion ? { protocolVersion: group.ProtocolVersion } : {}),
        port: group.Port ?? 0,
        vpcId: group.VpcId ?? '',
        ipAddressType: group.IpAddressType === 'ipv6' ? 'ipv6' : 'ipv4',
        healthCheck: fromSdkHealthCheck(group),
        attributes: Object.fromEntries(
          (attributes.Attributes ?? []).map((a) => [a.Key ?? '', a.Value ?? '']),
        ),
        tags: tags ?? {},
      });
    }
    return { loadBalancers: balancers, listeners, rules, targetGroups };
  }

  async function apply(change: Elbv2Change): Promise<ApplyResult> {
    switch (change.op) {
      case 'createTargetGroup': {
        const s = change.spec;
        const result = await call('CreateTargetGroup', s.name, () =>
          client.send(
            new CreateTargetGroupCommand({
              Name: s.name,
              Protocol: s.protocol,
              ...(s.protocolVersion ? { ProtocolVersion: s.protocolVersion } : {}),
              Port: s.port,
              VpcId: change.vpcId,
              TargetType: s.targetType,
              IpAddressType: s.ipAddressType,
              ...sdkHealthCheck(s.healthCheckConfig),
              Tags: tagsArray(s.tags),
            }),
          ),
        );
        const arn = result.TargetGroups?.[0]?.TargetGroupArn ?? '';
        if (s.targetGroupAttributes.length > 0) {
          await call('ModifyTargetGroupAttributes', arn, () =>
            client.send(
              new ModifyTargetGroupAttributesCommand({
                TargetGroupArn: arn,
                Attributes: s.targetGroupAttributes.map((a) => ({ Key: a.key, Value: a.value })),
              }),
            ),
          );
        }
        return { arn };
      }
      case 'modifyTargetGroup':
        await call('ModifyTargetGroup', change.arn, () =>
          client.send(
            new ModifyTargetGroupCommand({
              TargetGroupArn: change.arn,
              ...sdkHealthCheck(change.healthCheck),
            }),
          ),
        );
        return {};
      case 'modifyTargetGroupAttributes':
        await call('ModifyTargetGroupAttributes', change.arn, () =>
          client.send(
            new ModifyTargetGroupAttributesCommand({
              TargetGroupArn: change.arn,
              Attributes: change.attributes.map((a) => ({ Key: a.key, Value: a.value })),
            }),
          ),
        );
        return {};
      case 'createLoadBalancer': {
        const s = change.spec;
        const result = await call('CreateLoadBalancer', s.name, () =>
          client.send(
            new CreateLoadBalancerCommand({
              Name: s.name,
              Type: s.type,
              Scheme: s.scheme,
              IpAddressType: s.ipAddressType,
              SubnetMappings: s.subnetMapping.map((m) => ({ SubnetId: m.subnetID })),
              ...(s.securityGroups.length > 0
                ? { SecurityGroups: s.securityGroups.map((g) => str(g) ?? '') }
                : {}),
              Tags: tagsArray(s.tags),
            }),
          ),
        );
        const lb = result.LoadBalancers?.[0];
        const arn = lb?.LoadBalancerArn ?? '';
        if (s.loadBalancerAttributes.length > 0) {
          await call('ModifyLoadBalancerAttributes', arn, () =>
            client.send(
              new ModifyLoadBalancerAttributesCommand({
                LoadBalancerArn: arn,
                Attributes: s.loadBalancerAttributes.map((a) => ({ Key: a.key, Value: a.value })),
              }),
            ),
          );
        }
        return { arn, dnsName: lb?.DNSName ?? '' };
      }
      case 'modifyLoadBalancerAttributes':
        await call('ModifyLoadBalancerAttributes', change.arn, () =>
          client.send(
            new ModifyLoadBalancerAttributesCommand({
              LoadBalancerArn: change.arn,
              Attributes: change.attributes.map((a) => ({ Key: a.key, Value: a.value })),
            }),
          ),
        );
        return {};
      case 'setSecurityGroups':
        await call('SetSecurityGroups', change.arn, () =>
          client.send(
            new SetSecurityGroupsCommand({
              LoadBalancerArn: change.arn,
              SecurityGroups: change.securityGroups.map((g) => str(g) ?? ''),
            }),
          ),
        );
        return {};
      case 'setSubnets':
        await call('SetSubnets', change.arn, () =>
          client.send(new SetSubnetsCommand({ LoadBalancerArn: change.arn, Subnets: change.subnetIds })),
        );
        return {};
      case 'setIpAddressType':
        await call('SetIpAddressType', change.arn, () =>
          client.send(
            new SetIpAddressTypeCommand({ LoadBalancerArn: change.arn, IpAddressType: change.ipAddressType }),
          ),
        );
        return {};
      case 'createListener': {
        const s = change.spec;
        const result = await call('CreateListener', `port ${s.port}`, () =>
          client.send(
            new CreateListenerCommand({
              LoadBalancerArn: str(s.loadBalancerARN),
              Port: s.port,
              Protocol: s.protocol,
              DefaultActions: toSdkActions(s.defaultActions),
              ...(s.certificates?.length
                ? {
                    Certificates: s.certificates
                      .slice(0, 1)
                      .map((c) => ({ CertificateArn: c.certificateARN })),
                  }
                : {}),
              ...(s.sslPolicy ? { SslPolicy: s.sslPolicy } : {}),
              ...(s.alpnPolicy ? { AlpnPolicy: s.alpnPolicy } : {}),
              Tags: tagsArray(s.tags),
            }),
          ),
        );
        return { arn: result.Listeners?.[0]?.ListenerArn ?? '' };
      }
      case 'modifyListener': {
        const s = change.spec;
        await call('ModifyListener', change.arn, () =>
          client.send(
            new ModifyListenerCommand({
              ListenerArn: change.arn,
              Port: s.port,
              Protocol: s.protocol,
              DefaultActions: toSdkActions(s.defaultActions),
              ...(s.certificates?.length
                ? {
                    Certificates: s.certificates
                      .slice(0, 1)
                      .map((c) => ({ CertificateArn: c.certificateARN })),
                  }
                : {}),
              ...(s.sslPolicy ? { SslPolicy: s.sslPolicy } : {}),
            }),
          ),
        );
        return {};
      }
      case 'setRulePriorities':
        await call('SetRulePriorities', change.listenerArn, () =>
          client.send(
            new SetRulePrioritiesCommand({
              RulePriorities: change.priorities.map((p) => ({ RuleArn: p.ruleArn, Priority: p.priority })),
            }),
          ),
        );
        return {};
      case 'modifyRule':
        await call('ModifyRule', change.arn, () =>
          client.send(
            new ModifyRuleCommand({
              RuleArn: change.arn,
              Actions: toSdkActions(change.actions),
              Conditions: toSdkConditions(change.conditions),
            }),
          ),
        );
        return {};
      case 'createRule': {
        const s = change.spec;
        const listenerArn = str(change.listenerArn) ?? '';
        const result = await call('CreateRule', `${listenerArn} priority ${s.priority}`, () =>
          client.send(
            new CreateRuleCommand({
              ListenerArn: listenerArn,
              Priority: s.priority,
              Actions: toSdkActions(s.actions),
              Conditions: toSdkConditions(s.conditions),
              Tags: tagsArray(s.tags),
            }),
          ),
        );
        return { arn: result.Rules?.[0]?.RuleArn ?? '' };
      }
      case 'deleteRule':
        await ignoreNotFound(
          call('DeleteRule', change.arn, () => client.send(new DeleteRuleCommand({ RuleArn: change.arn }))),
        );
        return {};
      case 'deleteListener':
        await ignoreNotFound(
          call('DeleteListener', change.arn, () =>
            client.send(new DeleteListenerCommand({ ListenerArn: change.arn })),
          ),
        );
        return {};
      case 'deleteTargetGroup':
        await ignoreNotFound(
          call('DeleteTargetGroup', change.arn, () =>
            client.send(new DeleteTargetGroupCommand({ TargetGroupArn: change.arn })),
          ),
        );
        return {};
      case 'deleteLoadBalancer':
        await ignoreNotFound(
          call('DeleteLoadBalancer', change.arn, () =>
            client.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: change.arn })),
          ),
        );
        return {};
      case 'addTags':
        await call('AddTags', change.arn, () =>
          client.send(new AddTagsCommand({ ResourceArns: [change.arn], Tags: tagsArray(change.tags) })),
        );
        return {};
    }
  }

  return {
    findStack,
    apply,
    async targetGroupArnByName(name) {
      const result = await call('DescribeTargetGroups', name, () =>
        client.send(new DescribeTargetGroupsCommand({ Names: [name] })),
      );
      const arn = result.TargetGroups?.[0]?.TargetGroupArn;
      if (!arn)
        throw new NotFoundError(`target group ${name} not found`, { subject: { kind: 'TargetGroup', name } });
      return arn;
    },
  };
}

async function ignoreNotFound(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
