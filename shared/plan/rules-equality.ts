import type { Action, Ref, RuleCondition } from '../model/stack.js';
import { isRef } from '../model/stack.js';

/**
 * Canonical forms of actions and conditions, so a desired rule and the rule AWS reports compare
 * equal when AWS would behave the same: forward tuples sorted (a lone tuple's weight ignored),
 * stickiness only when enabled, redirect defaults filled in, conditions sorted by field with their
 * values in order. An unresolved Ref (a resource not created yet) never equals an ARN.
 */
const refText = (value: string | Ref | undefined): string =>
  value === undefined ? '' : isRef(value) ? `ref:${value.$ref}` : value;

export function canonicalAction(action: Action): string {
  switch (action.type) {
    case 'forward': {
      const tuples = action.forwardConfig.targetGroups.map((tuple) => [
        tuple.targetGroupARN === undefined
          ? `name:${tuple.targetGroupName ?? ''}`
          : refText(tuple.targetGroupARN),
        tuple.weight ?? 1,
      ]);
      tuples.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      if (tuples.length === 1) tuples[0]![1] = 1;
      const sticky = action.forwardConfig.targetGroupStickinessConfig;
      return JSON.stringify([
        'forward',
        tuples,
        sticky?.enabled === true ? (sticky.durationSeconds ?? 0) : null,
      ]);
    }
    case 'redirect': {
      const r = action.redirectConfig;
      return JSON.stringify([
        'redirect',
        r.host ?? '#{host}',
        r.path ?? '/#{path}',
        r.port ?? '#{port}',
        r.protocol ?? '#{protocol}',
        r.query ?? '#{query}',
        r.statusCode,
      ]);
    }
    case 'fixed-response': {
      const f = action.fixedResponseConfig;
      return JSON.stringify(['fixed-response', f.contentType ?? '', f.messageBody ?? '', f.statusCode]);
    }
    case 'authenticate-cognito': {
      const c = action.authenticateCognitoConfig;
      return JSON.stringify([
        action.type,
        c.userPoolARN,
        c.userPoolClientID,
        c.userPoolDomain,
        ...authCommon(c),
      ]);
    }
    case 'authenticate-oidc': {
      // everything but the client secret, which ELBv2 never returns (the LBC's comparison sees the
      // same fields); a rotated secret is re-sent by `resendClientSecrets` (rules.ts)
      const c = action.authenticateOIDCConfig;
      return JSON.stringify([
        action.type,
        c.issuer,
        c.authorizationEndpoint,
        c.tokenEndpoint,
        c.userInfoEndpoint,
        c.clientId ?? '',
        ...authCommon(c),
      ]);
    }
  }
}

/** ELBv2's defaults filled in, extra parameters sorted by name (an empty map is none). */
function authCommon(c: {
  authenticationRequestExtraParams?: Record<string, string>;
  onUnauthenticatedRequest?: string;
  scope?: string;
  sessionCookieName?: string;
  sessionTimeout?: number;
}): unknown[] {
  return [
    Object.entries(c.authenticationRequestExtraParams ?? {}).sort(([a], [b]) => a.localeCompare(b)),
    c.onUnauthenticatedRequest ?? 'authenticate',
    c.scope ?? 'openid',
    c.sessionCookieName ?? 'AWSELBAuthSessionCookie',
    c.sessionTimeout ?? 604800,
  ];
}

/** Whether actions carry an OIDC client secret (which AWS never reads back). */
export function carriesClientSecret(actions: readonly Action[]): boolean {
  return actions.some((action) => action.type === 'authenticate-oidc');
}

export function canonicalActions(actions: readonly Action[]): string {
  return actions.map(canonicalAction).join('|');
}

function canonicalCondition(condition: RuleCondition): string {
  switch (condition.field) {
    case 'host-header':
      return JSON.stringify([
        condition.field,
        condition.hostHeaderConfig.values ?? [],
        condition.hostHeaderConfig.regexValues ?? [],
      ]);
    case 'path-pattern':
      return JSON.stringify([
        condition.field,
        condition.pathPatternConfig.values ?? [],
        condition.pathPatternConfig.regexValues ?? [],
      ]);
    case 'http-header': {
      const c = condition.httpHeaderConfig;
      return JSON.stringify([
        condition.field,
        c.httpHeaderName.toLowerCase(),
        c.values ?? [],
        c.regexValues ?? [],
      ]);
    }
    case 'http-request-method':
      return JSON.stringify([condition.field, condition.httpRequestMethodConfig.values]);
    case 'query-string':
      return JSON.stringify([
        condition.field,
        condition.queryStringConfig.values.map((pair) => [pair.key ?? '', pair.value]),
      ]);
    case 'source-ip':
      return JSON.stringify([condition.field, condition.sourceIPConfig.values]);
  }
}

export function canonicalConditions(conditions: readonly RuleCondition[]): string {
  return conditions.map(canonicalCondition).sort().join('|');
}

/** A rule's content: what the LBC's synthesizer matches desired and existing rules on. */
export function ruleContent(rule: {
  actions: readonly Action[];
  conditions: readonly RuleCondition[];
}): string {
  return `${canonicalConditions(rule.conditions)}=>${canonicalActions(rule.actions)}`;
}
