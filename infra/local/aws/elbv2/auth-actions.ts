/**
 * Authenticate actions (authenticate-cognito, authenticate-oidc), validated as ELBv2 does: only
 * on HTTPS listeners, at most one per action list and ordered before its terminal action, the
 * identity provider's fields required. Stored as Describe* returns them: ELBv2's defaults filled
 * in and the OIDC client secret never returned (it is not kept at all). The routing probe answers
 * an unauthenticated request as ALB does: a 302 to the identity provider, a 401 for `deny`, or the
 * rule's terminal action for `allow`.
 */
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
import type { ActionRecord } from './state.js';

export const AUTH_TYPES = ['authenticate-cognito', 'authenticate-oidc'] as const;
const UNAUTHENTICATED = ['deny', 'allow', 'authenticate'] as const;
const MAX_EXTRA_PARAMS = 10;

export interface AuthContext {
  listenerProtocol: string;
  owner: string;
}

function required(config: Input, field: string, at: string, owner: string): string {
  const value = optionalString(config, field, `${at}.${field}`);
  if (value === undefined || value === '') validationError(`${at}.${field} of ${owner} is required`);
  return value;
}

function common(config: Input, at: string): Record<string, unknown> {
  const extra = records(config, 'AuthenticationRequestExtraParams', `${at}.AuthenticationRequestExtraParams`);
  if (extra.length > MAX_EXTRA_PARAMS)
    validationError(`${at}.AuthenticationRequestExtraParams: at most ${MAX_EXTRA_PARAMS} parameters`);
  return {
    OnUnauthenticatedRequest:
      optionalEnum(config, 'OnUnauthenticatedRequest', UNAUTHENTICATED, `${at}.OnUnauthenticatedRequest`) ??
      'authenticate',
    Scope: optionalString(config, 'Scope', `${at}.Scope`) ?? 'openid',
    SessionCookieName:
      optionalString(config, 'SessionCookieName', `${at}.SessionCookieName`) ?? 'AWSELBAuthSessionCookie',
    SessionTimeout:
      optionalInt(config, 'SessionTimeout', { min: 1, max: 604800 }, `${at}.SessionTimeout`) ?? 604800,
  };
}

export function parseAuthAction(
  item: Input,
  type: (typeof AUTH_TYPES)[number],
  path: string,
  context: AuthContext,
): Record<string, unknown> {
  if (context.listenerProtocol !== 'HTTPS')
    fail(
      'InvalidLoadBalancerAction',
      `${path} of ${context.owner}: ${type} actions are supported only on HTTPS listeners, not ${context.listenerProtocol}`,
    );
  if (type === 'authenticate-cognito') {
    const at = `${path}.AuthenticateCognitoConfig`;
    const config = record(item, 'AuthenticateCognitoConfig', at);
    if (!config) validationError(`${at} of ${context.owner} is required for ${type}`);
    const userPoolArn = required(config, 'UserPoolArn', at, context.owner);
    if (!/^arn:aws[\w-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/\S+$/.test(userPoolArn))
      validationError(`${at}.UserPoolArn of ${context.owner} is not a Cognito user pool ARN: ${userPoolArn}`);
    return {
      AuthenticateCognitoConfig: {
        UserPoolArn: userPoolArn,
        UserPoolClientId: required(config, 'UserPoolClientId', at, context.owner),
        UserPoolDomain: required(config, 'UserPoolDomain', at, context.owner),
        ...common(config, at),
      },
    };
  }
  const at = `${path}.AuthenticateOidcConfig`;
  const config = record(item, 'AuthenticateOidcConfig', at);
  if (!config) validationError(`${at} of ${context.owner} is required for ${type}`);
  const endpoints: Record<string, string> = {};
  for (const field of ['Issuer', 'AuthorizationEndpoint', 'TokenEndpoint', 'UserInfoEndpoint']) {
    const url = required(config, field, at, context.owner);
    if (!/^https:\/\/\S+$/.test(url))
      validationError(`${at}.${field} of ${context.owner} must be an https URL: ${url}`);
    endpoints[field] = url;
  }
  const clientId = required(config, 'ClientId', at, context.owner);
  const secret = optionalString(config, 'ClientSecret', `${at}.ClientSecret`);
  const useExisting = optionalBool(config, 'UseExistingClientSecret', `${at}.UseExistingClientSecret`);
  if ((secret === undefined || secret === '') && useExisting !== true)
    validationError(
      `${at}.ClientSecret of ${context.owner} is required unless UseExistingClientSecret is true`,
    );
  // the secret is checked, never stored: Describe* does not return it
  return { AuthenticateOidcConfig: { ...endpoints, ClientId: clientId, ...common(config, at) } };
}

/** One authenticate action at most, ordered before the single terminal action. */
export function checkAuthOrder(actions: readonly ActionRecord[], field: string, owner: string): void {
  const auth = actions.filter((action) => (AUTH_TYPES as readonly string[]).includes(action.Type));
  if (auth.length === 0) return;
  if (auth.length > 1)
    fail(
      'TooManyActions',
      `${field} of ${owner} has ${auth.length} authenticate actions; at most one is allowed`,
    );
  const last = actions[actions.length - 1]!;
  if ((AUTH_TYPES as readonly string[]).includes(last.Type))
    fail(
      'InvalidLoadBalancerAction',
      `${field} of ${owner}: an authenticate action must be followed by a forward, redirect or fixed-response action`,
    );
}

/** What the routing probe reports about a rule's authenticate action. */
export interface RouteAuthentication {
  type: string;
  onUnauthenticatedRequest: string;
  /** what the request met: sent to the IdP, refused, let through unauthenticated, or authenticated */
  outcome: 'redirect-to-idp' | 'denied' | 'allowed' | 'authenticated';
  /** the IdP's authorization endpoint, for `redirect-to-idp` */
  location?: string;
}

/** ALB's answer to a request at an authenticate action; `status` undefined lets the terminal action answer. */
export function authenticate(
  action: ActionRecord,
  authenticated: boolean,
  region: string,
): { authentication: RouteAuthentication; status?: number } {
  const config = (action.AuthenticateCognitoConfig ?? action.AuthenticateOidcConfig) as Record<
    string,
    string
  >;
  const onUnauthenticatedRequest = String(config['OnUnauthenticatedRequest'] ?? 'authenticate');
  const base = { type: action.Type, onUnauthenticatedRequest };
  if (authenticated) return { authentication: { ...base, outcome: 'authenticated' } };
  if (onUnauthenticatedRequest === 'allow') return { authentication: { ...base, outcome: 'allowed' } };
  if (onUnauthenticatedRequest === 'deny')
    return { authentication: { ...base, outcome: 'denied' }, status: 401 };
  const location =
    action.Type === 'authenticate-cognito'
      ? `https://${config['UserPoolDomain']}.auth.${region}.amazoncognito.com/oauth2/authorize`
      : String(config['AuthorizationEndpoint']);
  return { authentication: { ...base, outcome: 'redirect-to-idp', location }, status: 302 };
}
