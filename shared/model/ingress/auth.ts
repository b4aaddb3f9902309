import {
  type Annotations,
  annotationField,
  field,
  INGRESS_PREFIX,
  isObject,
  parseInt64,
  parseJson,
  parseString,
} from '../annotations/parse.js';
import type { AuthenticateAction } from '../stack.js';
import { userPoolArnProblem } from '../validate/arn.js';
import type { Built } from './target-groups.js';

/**
 * `auth-type` cognito / oidc (pkg/ingress/auth_config_builder.go, model_build_actions.go): the
 * authenticate action an HTTPS rule runs before its backend action, with the LBC's defaults. The OIDC
 * client credentials stay in their Secret; the action carries a reference the deploy resolves.
 */

const key = (suffix: string) => `${INGRESS_PREFIX}/${suffix}`;
const failed = (suffix: string, error: string) => ({ error, field: annotationField(key(suffix)) });

const UNAUTHENTICATED = ['authenticate', 'allow', 'deny'] as const;
/** ELBv2: SessionTimeout 1..604800 s (7 days, also the LBC's default) */
const MAX_SESSION_TIMEOUT = 604800;
const MAX_EXTRA_PARAMS = 10;

function requiredStrings<K extends string>(
  json: unknown,
  names: readonly K[],
  suffix: string,
): Built<Record<K, string>> {
  const values = {} as Record<K, string>;
  for (const name of names) {
    const value = field(json, name);
    if (typeof value !== 'string' || value === '')
      return failed(suffix, `${name} must be a non-empty string`);
    values[name] = value;
  }
  return { value: values };
}

function extraParams(json: unknown, suffix: string): Built<Record<string, string> | undefined> {
  const raw = field(json, 'authenticationRequestExtraParams');
  if (raw === undefined || raw === null) return { value: undefined };
  if (!isObject(raw) || !Object.values(raw).every((value) => typeof value === 'string')) {
    return failed(suffix, 'authenticationRequestExtraParams must map names to strings');
  }
  if (Object.keys(raw).length > MAX_EXTRA_PARAMS) {
    return failed(suffix, `authenticationRequestExtraParams holds at most ${MAX_EXTRA_PARAMS} parameters`);
  }
  return { value: raw as Record<string, string> };
}

const isHttpsUrl = (value: string) => /^https:\/\/[^\s/]+/.test(value);

/** The authenticate action these annotations ask for (Ingress, with a single backend Service's over them), or none. */
export function buildAuthAction(
  annotations: Annotations,
  namespace: string,
): Built<AuthenticateAction | undefined> {
  const type = parseString(annotations, key('auth-type')) ?? 'none';
  if (type === 'none') return { value: undefined };
  if (type !== 'cognito' && type !== 'oidc') return failed('auth-type', `unknown authType: ${type}`);

  const onUnauthenticatedRequest =
    parseString(annotations, key('auth-on-unauthenticated-request')) ?? 'authenticate';
  if (!(UNAUTHENTICATED as readonly string[]).includes(onUnauthenticatedRequest)) {
    return failed(
      'auth-on-unauthenticated-request',
      `must be one of ${UNAUTHENTICATED.join(', ')}: ${onUnauthenticatedRequest}`,
    );
  }
  const timeout = parseInt64(annotations, key('auth-session-timeout'));
  if (!timeout.ok) return failed('auth-session-timeout', timeout.error);
  const sessionTimeout = timeout.value ?? MAX_SESSION_TIMEOUT;
  if (sessionTimeout < 1 || sessionTimeout > MAX_SESSION_TIMEOUT) {
    return failed(
      'auth-session-timeout',
      `must be within [1, ${MAX_SESSION_TIMEOUT}] seconds: ${sessionTimeout}`,
    );
  }
  const common = {
    onUnauthenticatedRequest: onUnauthenticatedRequest as (typeof UNAUTHENTICATED)[number],
    scope: parseString(annotations, key('auth-scope')) ?? 'openid',
    sessionCookieName: parseString(annotations, key('auth-session-cookie')) ?? 'AWSELBAuthSessionCookie',
    sessionTimeout,
  };

  const suffix = type === 'cognito' ? 'auth-idp-cognito' : 'auth-idp-oidc';
  const json = parseJson(annotations, key(suffix));
  if (!json.ok) return failed(suffix, json.error);
  if (json.value === undefined) {
    return failed(suffix, type === 'cognito' ? 'missing IDPConfigCognito' : 'missing IDPConfigOIDC');
  }
  if (!isObject(json.value)) return failed(suffix, 'must be a JSON object');
  const params = extraParams(json.value, suffix);
  if ('error' in params) return params;
  const extra = params.value === undefined ? {} : { authenticationRequestExtraParams: params.value };

  if (type === 'cognito') {
    const idp = requiredStrings(json.value, ['userPoolARN', 'userPoolClientID', 'userPoolDomain'], suffix);
    if ('error' in idp) return idp;
    const arnProblem = userPoolArnProblem(idp.value.userPoolARN);
    if (arnProblem) return failed(suffix, `userPoolARN: ${arnProblem}`);
    return {
      value: {
        type: 'authenticate-cognito',
        authenticateCognitoConfig: { ...idp.value, ...extra, ...common },
      },
    };
  }
  const idp = requiredStrings(
    json.value,
    ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'userInfoEndpoint', 'secretName'],
    suffix,
  );
  if ('error' in idp) return idp;
  const { secretName, ...endpoints } = idp.value;
  for (const [name, url] of Object.entries(endpoints)) {
    if (!isHttpsUrl(url)) return failed(suffix, `${name} must be an https:// URL: ${url}`);
  }
  return {
    value: {
      type: 'authenticate-oidc',
      authenticateOIDCConfig: {
        ...endpoints,
        clientCredentials: { secret: { namespace, name: secretName } },
        ...extra,
        ...common,
      },
    },
  };
}
