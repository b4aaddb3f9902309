/**
 * Listener and rule actions: forward (one target group, or weighted ForwardConfig), redirect
 * and fixed-response, validated as AWS does and stored in the shape AWS describes them (a
 * single-group forward carries both TargetGroupArn and a one-entry ForwardConfig).
 * Authenticate actions (auth-actions.ts) go before the terminal action on HTTPS listeners;
 * jwt-validation is refused with a clear error rather than accepted and ignored.
 */

import { AUTH_TYPES, checkAuthOrder, parseAuthAction } from './auth-actions.js';
import {
  fail,
  type Input,
  optionalBool,
  optionalEnum,
  optionalInt,
  optionalString,
  record,
  records,
  validationError,
} from './input.js';
import type { ActionRecord, Elbv2State, LoadBalancerRecord } from './state.js';
import { forwardedTargetGroups } from './usage.js';

const ACTION_TYPES = [
  'forward',
  'redirect',
  'fixed-response',
  'authenticate-oidc',
  'authenticate-cognito',
  'jwt-validation',
] as const;
const CONTENT_TYPES = [
  'text/plain',
  'text/css',
  'text/html',
  'application/javascript',
  'application/json',
] as const;

/** which target group protocols each NLB listener protocol can forward to */
const NETWORK_PROTOCOLS: Record<string, readonly string[]> = {
  TCP: ['TCP', 'TCP_UDP'],
  TLS: ['TCP', 'TLS'],
  UDP: ['UDP', 'TCP_UDP'],
  TCP_UDP: ['TCP_UDP'],
  QUIC: ['QUIC', 'TCP_QUIC'],
  TCP_QUIC: ['TCP_QUIC'],
};

export interface ActionContext {
  balancer: LoadBalancerRecord;
  listenerProtocol: string;
  /** names the object in errors, e.g. `listener 'arn…'` */
  owner: string;
}

function checkTargetGroup(state: Elbv2State, arn: string, context: ActionContext): void {
  const group = state.targetGroups.get(arn);
  if (!group) fail('TargetGroupNotFound', `Target group '${arn}' of ${context.owner} not found`);
  const { balancer } = context;
  if (balancer.type === 'application') {
    const fits = group.targetType === 'lambda' || group.protocol === 'HTTP' || group.protocol === 'HTTPS';
    if (!fits)
      fail(
        'InvalidConfigurationRequest',
        `Target group '${group.name}' (protocol ${group.protocol}, target type ${group.targetType}) cannot be used with Application Load Balancer '${balancer.name}'`,
      );
  } else {
    if (group.targetType === 'lambda' || group.protocol === 'HTTP' || group.protocol === 'HTTPS')
      fail(
        'InvalidConfigurationRequest',
        `Target group '${group.name}' (protocol ${group.protocol}, target type ${group.targetType}) cannot be used with Network Load Balancer '${balancer.name}'`,
      );
    if (!NETWORK_PROTOCOLS[context.listenerProtocol]?.includes(group.protocol ?? ''))
      fail(
        'IncompatibleProtocols',
        `Target group '${group.name}' with protocol ${group.protocol} cannot be used by a ${context.listenerProtocol} listener`,
      );
  }
  const other = group.loadBalancerArns.find((user) => user !== balancer.arn);
  if (other)
    fail(
      'TargetGroupAssociationLimit',
      `Target group '${group.name}' is already associated with load balancer '${other}'`,
    );
}

/** the unique-target-groups-per-load-balancer quota: groups it uses already plus the new ones */
function checkUniqueTargetGroups(
  state: Elbv2State,
  groups: { TargetGroupArn: string }[],
  context: ActionContext,
): void {
  const balancerArn = context.balancer.arn;
  let used = 0;
  for (const group of state.targetGroups.values()) if (group.loadBalancerArns.includes(balancerArn)) used++;
  const added = groups.filter(
    (group) => !state.targetGroups.get(group.TargetGroupArn)?.loadBalancerArns.includes(balancerArn),
  );
  const limit = state.deps.quotas.targetGroupsPerLoadBalancer;
  if (used + added.length > limit)
    fail(
      'TooManyUniqueTargetGroupsPerLoadBalancer',
      `Load balancer '${context.balancer.name}' would use ${used + added.length} target groups; the limit is ${limit}`,
    );
}

function parseForward(
  state: Elbv2State,
  item: Input,
  path: string,
  context: ActionContext,
): Record<string, unknown> {
  const single = optionalString(item, 'TargetGroupArn', `${path}.TargetGroupArn`);
  const config = record(item, 'ForwardConfig', `${path}.ForwardConfig`);
  const weighted = config
    ? records(config, 'TargetGroups', `${path}.ForwardConfig.TargetGroups`).map((entry, index) => {
        const entryPath = `${path}.ForwardConfig.TargetGroups.member.${index + 1}`;
        const arn = optionalString(entry, 'TargetGroupArn', `${entryPath}.TargetGroupArn`);
        if (!arn) validationError(`${entryPath}.TargetGroupArn is required`);
        return {
          TargetGroupArn: arn,
          Weight: optionalInt(entry, 'Weight', { min: 0, max: 999 }, `${entryPath}.Weight`) ?? 1,
        };
      })
    : [];
  if (!single && weighted.length === 0)
    validationError(
      `${path} of ${context.owner}: a forward action needs TargetGroupArn or ForwardConfig.TargetGroups`,
    );
  if (single && weighted.length > 0 && (weighted.length !== 1 || weighted[0]?.TargetGroupArn !== single))
    fail(
      'InvalidLoadBalancerAction',
      `${path} of ${context.owner}: TargetGroupArn and ForwardConfig name different target groups`,
    );
  const groups = weighted.length > 0 ? weighted : [{ TargetGroupArn: single!, Weight: 1 }];
  const limit = state.deps.quotas.targetGroupsPerAction;
  if (groups.length > limit)
    fail(
      'TooManyTargetGroups',
      `${path} of ${context.owner} forwards to ${groups.length} target groups; the limit is ${limit}`,
    );
  if (new Set(groups.map((group) => group.TargetGroupArn)).size !== groups.length)
    validationError(`${path} of ${context.owner} names a target group more than once`);
  if (context.balancer.type === 'network' && groups.length > 1)
    fail(
      'InvalidLoadBalancerAction',
      `${path} of ${context.owner}: Network Load Balancers forward to a single target group`,
    );
  for (const group of groups) checkTargetGroup(state, group.TargetGroupArn, context);
  checkUniqueTargetGroups(state, groups, context);

  const stickinessInput =
    config &&
    record(config, 'TargetGroupStickinessConfig', `${path}.ForwardConfig.TargetGroupStickinessConfig`);
  const enabled = stickinessInput ? (optionalBool(stickinessInput, 'Enabled') ?? false) : false;
  const duration =
    stickinessInput && optionalInt(stickinessInput, 'DurationSeconds', { min: 1, max: 604800 });
  if (enabled && duration === undefined)
    validationError(
      `${path} of ${context.owner}: TargetGroupStickinessConfig.DurationSeconds is required when stickiness is enabled`,
    );
  const stickiness = enabled ? { Enabled: true, DurationSeconds: duration } : { Enabled: false };
  return {
    ...(groups.length === 1 ? { TargetGroupArn: groups[0]!.TargetGroupArn } : {}),
    ForwardConfig: { TargetGroups: groups, TargetGroupStickinessConfig: stickiness },
  };
}

function parseRedirect(item: Input, path: string, context: ActionContext): Record<string, unknown> {
  const config = record(item, 'RedirectConfig', `${path}.RedirectConfig`);
  if (!config)
    validationError(`${path}.RedirectConfig of ${context.owner} is required for a redirect action`);
  const at = `${path}.RedirectConfig`;
  const statusCode = optionalEnum(
    config,
    'StatusCode',
    ['HTTP_301', 'HTTP_302'] as const,
    `${at}.StatusCode`,
  );
  if (!statusCode) validationError(`${at}.StatusCode of ${context.owner} is required`);
  const protocol =
    optionalEnum(config, 'Protocol', ['HTTP', 'HTTPS', '#{protocol}'] as const, `${at}.Protocol`) ??
    '#{protocol}';
  const port = optionalString(config, 'Port', `${at}.Port`) ?? '#{port}';
  if (port !== '#{port}' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))
    validationError(`${at}.Port '${port}' of ${context.owner} must be 1-65535 or '#{port}'`);
  const host = optionalString(config, 'Host', `${at}.Host`) ?? '#{host}';
  const redirectPath = optionalString(config, 'Path', `${at}.Path`) ?? '/#{path}';
  if (!redirectPath.startsWith('/'))
    validationError(`${at}.Path '${redirectPath}' of ${context.owner} must start with '/'`);
  const query = optionalString(config, 'Query', `${at}.Query`) ?? '#{query}';
  if (
    protocol === '#{protocol}' &&
    port === '#{port}' &&
    host === '#{host}' &&
    redirectPath === '/#{path}' &&
    query === '#{query}'
  )
    fail(
      'InvalidLoadBalancerAction',
      `${at} of ${context.owner} would redirect to the same URL: change at least one component`,
    );
  return {
    RedirectConfig: {
      Protocol: protocol,
      Port: port,
      Host: host,
      Path: redirectPath,
      Query: query,
      StatusCode: statusCode,
    },
  };
}

function parseFixedResponse(item: Input, path: string, context: ActionContext): Record<string, unknown> {
  const at = `${path}.FixedResponseConfig`;
  const config = record(item, 'FixedResponseConfig', at);
  if (!config) validationError(`${at} of ${context.owner} is required for a fixed-response action`);
  const statusCode = optionalString(config, 'StatusCode', `${at}.StatusCode`);
  if (!statusCode || !/^[245]\d\d$/.test(statusCode))
    validationError(
      `${at}.StatusCode '${statusCode ?? ''}' of ${context.owner} must be a 2XX, 4XX or 5XX code`,
    );
  const contentType = optionalEnum(config, 'ContentType', CONTENT_TYPES, `${at}.ContentType`);
  const body = optionalString(config, 'MessageBody', `${at}.MessageBody`);
  if (body !== undefined && body.length > 1024)
    validationError(`${at}.MessageBody of ${context.owner} cannot be longer than 1024 characters`);
  return { FixedResponseConfig: { StatusCode: statusCode, ContentType: contentType, MessageBody: body } };
}

/** Parses `Actions` / `DefaultActions`; exactly one terminal action, sorted by Order. */
export function parseActions(
  state: Elbv2State,
  input: Input,
  field: string,
  context: ActionContext,
): ActionRecord[] {
  const items = records(input, field);
  if (items.length === 0) validationError(`${field} of ${context.owner} is required`);
  const actions = items.map((item, index): ActionRecord => {
    const path = `${field}.member.${index + 1}`;
    const type = optionalEnum(item, 'Type', ACTION_TYPES, `${path}.Type`);
    if (!type) validationError(`${path}.Type of ${context.owner} is required`);
    const order = optionalInt(item, 'Order', { min: 1, max: 50000 }, `${path}.Order`) ?? index + 1;
    if (type !== 'forward' && context.balancer.type === 'network')
      fail(
        'InvalidLoadBalancerAction',
        `${path} of ${context.owner}: Network Load Balancers support only forward actions`,
      );
    if (type === 'forward') return { Type: type, Order: order, ...parseForward(state, item, path, context) };
    if (type === 'redirect') return { Type: type, Order: order, ...parseRedirect(item, path, context) };
    if (type === 'fixed-response')
      return { Type: type, Order: order, ...parseFixedResponse(item, path, context) };
    if (type === 'authenticate-cognito' || type === 'authenticate-oidc')
      return { Type: type, Order: order, ...parseAuthAction(item, type, path, context) };
    return fail(
      'InvalidLoadBalancerAction',
      `${path} of ${context.owner}: '${type}' actions are not supported by the local endpoint`,
    );
  });
  actions.sort((a, b) => a.Order - b.Order);
  if (new Set(actions.map((action) => action.Order)).size !== actions.length)
    validationError(`${field} of ${context.owner}: action orders must be unique`);
  const terminal = actions.filter((action) => !(AUTH_TYPES as readonly string[]).includes(action.Type));
  if (terminal.length !== 1)
    fail(
      'TooManyActions',
      `${field} of ${context.owner} has ${terminal.length} terminal actions; exactly one is allowed`,
    );
  checkAuthOrder(actions, field, context.owner);
  return actions;
}

/** Re-checks stored forward actions against a changed listener (e.g. an NLB going TCP → UDP). */
export function recheckForwards(
  state: Elbv2State,
  actions: readonly ActionRecord[],
  context: ActionContext,
): void {
  for (const action of actions)
    for (const arn of forwardedTargetGroups(action)) checkTargetGroup(state, arn, context);
}
