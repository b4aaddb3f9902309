/**
 * The routing probe: which rule of a load balancer's listener would answer a request, and
 * with what status. It follows AWS's matching: rules in ascending priority, conditions ANDed,
 * the values of one condition ORed, host-header and http-header/query-string case-insensitive,
 * path-pattern and http-request-method case-sensitive, `*` and `?` wildcards; the default rule
 * when nothing matches.
 *
 * A forward answers 503 when a target group with weight > 0 has nowhere to send the request:
 * no registered targets, only draining ones, or only targets still in `initial` (ALB sends no
 * traffic before the first successful checks). When a group has no healthy target but some
 * unhealthy ones, it fails open as ALB does and sends to all of its registered targets
 * (`failOpen: true`, status 200).
 *
 * Reads state only; health is brought up to date on the service clock as it is observed.
 */
import { authenticate, type RouteAuthentication } from './auth-actions.js';
import { cidrContains, parseCidr, parseIpv4 } from './ip.js';
import { rulesOf } from './rules.js';
import type { ActionRecord, ConditionRecord, Elbv2State } from './state.js';
import { describeAllTargets } from './targets.js';
import { forwardedTargetGroups } from './usage.js';

export interface RouteRequest {
  loadBalancerArn: string;
  port: number;
  host: string;
  /** may carry a query string (`/a?b=c`), which is then matched by query-string conditions */
  path: string;
  method?: string;
  /** header names are matched case-insensitively */
  headers?: Record<string, string>;
  query?: Record<string, string>;
  sourceIp?: string;
  /** the request carries a valid ALB authentication session cookie (default: it does not) */
  authenticated?: boolean;
}

export interface RouteAction {
  type: string;
  targetGroupArns?: string[];
  fixedResponse?: { statusCode: number; contentType?: string; messageBody?: string };
  redirect?: { location: string; statusCode: number };
}

export interface RouteResult {
  /** the matching rule's ARN, or `default` when the listener's default rule answers */
  ruleArn: string;
  priority: number | 'default';
  action: RouteAction;
  status: number;
  /** `id:port` of the targets a forward may reach */
  targets?: string[];
  /** true when some target group had no healthy target and ALB's fail-open applied */
  failOpen?: boolean;
  /** the rule's authenticate action and what the request met there (auth-actions.ts) */
  authentication?: RouteAuthentication;
}

const compiled = new Map<string, RegExp>();

/** `*` = any run of characters, `?` = exactly one; anchored at both ends */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    compiled.set(key, regex);
  }
  return regex.test(value);
}

interface Request {
  host: string;
  path: string;
  method: string;
  headers: Map<string, string>;
  query: [string, string][];
  sourceIp: number | undefined;
}

function normalise(request: RouteRequest): Request {
  const [path = '/', queryString] = request.path.split(/\?(.*)/s, 2);
  const query = [...new URLSearchParams(queryString ?? '')];
  for (const [key, value] of Object.entries(request.query ?? {})) query.push([key, value]);
  return {
    host: request.host.replace(/:\d+$/, ''),
    path,
    method: request.method ?? 'GET',
    headers: new Map(
      Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    query,
    sourceIp: request.sourceIp === undefined ? undefined : parseIpv4(request.sourceIp),
  };
}

type Config = { Values?: unknown[]; RegexValues?: string[]; HttpHeaderName?: string };

function matchesAny(config: Config, value: string | undefined, ignoreCase: boolean): boolean {
  if (value === undefined) return false;
  if (config.RegexValues) return config.RegexValues.some((pattern) => new RegExp(pattern).test(value));
  return (
    (config.Values as string[] | undefined)?.some((pattern) => wildcardMatch(pattern, value, ignoreCase)) ??
    false
  );
}

function conditionMatches(condition: ConditionRecord, request: Request): boolean {
  switch (condition.Field) {
    case 'host-header':
      return matchesAny(condition.HostHeaderConfig as Config, request.host, true);
    case 'path-pattern':
      return matchesAny(condition.PathPatternConfig as Config, request.path, false);
    case 'http-request-method':
      return ((condition.HttpRequestMethodConfig as Config).Values as string[]).includes(request.method);
    case 'http-header': {
      const config = condition.HttpHeaderConfig as Config;
      return matchesAny(config, request.headers.get(config.HttpHeaderName!.toLowerCase()), true);
    }
    case 'query-string': {
      const pairs = (condition.QueryStringConfig as { Values: { Key?: string; Value: string }[] }).Values;
      return pairs.some((pair) =>
        request.query.some(
          ([key, value]) =>
            (pair.Key === undefined || wildcardMatch(pair.Key, key, true)) &&
            wildcardMatch(pair.Value, value, true),
        ),
      );
    }
    case 'source-ip': {
      const ip = request.sourceIp;
      if (ip === undefined) return false;
      const values = (condition.SourceIpConfig as Config).Values as string[];
      return values.some((value) => {
        const cidr = parseCidr(value);
        return cidr !== undefined && cidrContains(cidr, ip);
      });
    }
    default:
      return false;
  }
}

function forward(state: Elbv2State, action: ActionRecord) {
  const config = action.ForwardConfig as
    | { TargetGroups: { TargetGroupArn: string; Weight: number }[] }
    | undefined;
  const weighted =
    config?.TargetGroups ?? forwardedTargetGroups(action).map((arn) => ({ TargetGroupArn: arn, Weight: 1 }));
  const live = weighted.filter((entry) => entry.Weight > 0);
  const targets: string[] = [];
  let failOpen = false;
  let reachable = live.length > 0;
  for (const entry of live) {
    const group = state.targetGroups.get(entry.TargetGroupArn);
    const described = group ? describeAllTargets(state, group) : [];
    const serving = described.filter(
      (target) => target.TargetHealth.State === 'healthy' || target.TargetHealth.State === 'unavailable',
    );
    let chosen = serving;
    if (serving.length === 0 && described.some((target) => target.TargetHealth.State === 'unhealthy')) {
      chosen = described.filter((target) => target.TargetHealth.State !== 'draining');
      failOpen = true;
    }
    if (chosen.length === 0) reachable = false;
    for (const target of chosen) targets.push(`${target.Target.Id}:${target.Target.Port ?? ''}`);
  }
  return {
    action: { type: 'forward', targetGroupArns: weighted.map((entry) => entry.TargetGroupArn) },
    status: reachable ? 200 : 503,
    targets,
    failOpen,
  };
}

function redirect(
  action: ActionRecord,
  request: Request,
  listener: { protocol: string; port: number },
  raw: RouteRequest,
) {
  const config = action.RedirectConfig as Record<string, string>;
  const queryString = raw.path.includes('?') ? raw.path.slice(raw.path.indexOf('?') + 1) : '';
  const fill = (template: string) =>
    template
      .replaceAll('#{protocol}', listener.protocol)
      .replaceAll('#{host}', request.host)
      .replaceAll('#{port}', String(listener.port))
      .replaceAll('#{path}', request.path.replace(/^\//, ''))
      .replaceAll('#{query}', queryString);
  const protocol = fill(config.Protocol ?? '#{protocol}').toLowerCase();
  const query = fill(config.Query ?? '#{query}');
  const location = `${protocol}://${fill(config.Host ?? '#{host}')}:${fill(config.Port ?? '#{port}')}${fill(config.Path ?? '/#{path}')}${query ? `?${query}` : ''}`;
  const statusCode = config.StatusCode === 'HTTP_301' ? 301 : 302;
  return { action: { type: 'redirect', redirect: { location, statusCode } }, status: statusCode };
}

export function route(state: Elbv2State, raw: RouteRequest): RouteResult {
  const balancer = state.loadBalancers.get(raw.loadBalancerArn);
  if (!balancer) throw new Error(`route: load balancer '${raw.loadBalancerArn}' does not exist`);
  let listener: { arn: string; protocol: string; port: number } | undefined;
  for (const candidate of state.listeners.values())
    if (candidate.loadBalancerArn === balancer.arn && candidate.port === raw.port) listener = candidate;
  if (!listener)
    throw new Error(`route: load balancer '${balancer.name}' has no listener on port ${raw.port}`);
  const request = normalise(raw);
  for (const rule of rulesOf(state, listener.arn)) {
    if (
      rule.priority !== 'default' &&
      !rule.conditions.every((condition) => conditionMatches(condition, request))
    )
      continue;
    const action = rule.actions[rule.actions.length - 1]!;
    const ruleArn = rule.priority === 'default' ? 'default' : rule.arn;
    const auth = rule.actions.length > 1 ? rule.actions[0] : undefined;
    const met = auth ? authenticate(auth, raw.authenticated === true, state.ctx.region) : undefined;
    const base = { ruleArn, priority: rule.priority, ...(met ? { authentication: met.authentication } : {}) };
    if (met?.status !== undefined) {
      const location = met.authentication.location;
      return {
        ...base,
        action: {
          type: auth!.Type,
          ...(location === undefined ? {} : { redirect: { location, statusCode: met.status } }),
        },
        status: met.status,
      };
    }
    if (action.Type === 'forward') return { ...base, ...forward(state, action) };
    if (action.Type === 'redirect') return { ...base, ...redirect(action, request, listener, raw) };
    const config = action.FixedResponseConfig as {
      StatusCode: string;
      ContentType?: string;
      MessageBody?: string;
    };
    const statusCode = Number(config.StatusCode);
    return {
      ...base,
      action: {
        type: 'fixed-response',
        fixedResponse: { statusCode, contentType: config.ContentType, messageBody: config.MessageBody },
      },
      status: statusCode,
    };
  }
  throw new Error(`route: listener '${listener.arn}' has no default rule`);
}
