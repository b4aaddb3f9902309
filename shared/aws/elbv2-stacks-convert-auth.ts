import type {
  AuthenticateCognitoActionConfig,
  AuthenticateOidcActionConfig,
  Action as SdkAction,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { SlbcError } from '../errors.js';
import type { AuthenticateAction, AuthenticateOidcAction } from '../model/stack.js';

/**
 * The authenticate actions' SDK shapes. The plan carries an OIDC action's Secret reference and
 * client ID, never the client secret: `ClientCredentials` supplies it at apply time only, and an
 * action whose Secret was not resolved is refused before any call (fail closed, naming the Secret).
 */
export interface OidcCredentials {
  clientId: string;
  clientSecret: string;
}

/** The credentials read from a Secret (`namespace/name`), or undefined when it was not read. */
export type ClientCredentials = (secret: { namespace: string; name: string }) => OidcCredentials | undefined;

type OnUnauthenticated = 'authenticate' | 'allow' | 'deny';

export function toSdkAuthAction(
  action: AuthenticateAction,
  Order: number,
  credentials: ClientCredentials | undefined,
): SdkAction {
  if (action.type === 'authenticate-cognito') {
    const c = action.authenticateCognitoConfig;
    return {
      Type: 'authenticate-cognito',
      Order,
      AuthenticateCognitoConfig: {
        UserPoolArn: c.userPoolARN,
        UserPoolClientId: c.userPoolClientID,
        UserPoolDomain: c.userPoolDomain,
        ...common(c),
      },
    };
  }
  const c = action.authenticateOIDCConfig;
  const resolved = oidcCredentials(action, credentials);
  return {
    Type: 'authenticate-oidc',
    Order,
    AuthenticateOidcConfig: {
      Issuer: c.issuer,
      AuthorizationEndpoint: c.authorizationEndpoint,
      TokenEndpoint: c.tokenEndpoint,
      UserInfoEndpoint: c.userInfoEndpoint,
      ClientId: resolved.clientId,
      ClientSecret: resolved.clientSecret,
      ...common(c),
    },
  };
}

function oidcCredentials(
  action: AuthenticateOidcAction,
  credentials: ClientCredentials | undefined,
): OidcCredentials {
  const secret = action.authenticateOIDCConfig.clientCredentials?.secret;
  if (!secret) throw new SlbcError('authenticate-oidc action without a client credentials Secret reference');
  const found = credentials?.(secret);
  if (!found) {
    throw new SlbcError(
      `authenticate-oidc: the client credentials of Secret ${secret.namespace}/${secret.name} were not resolved`,
      { subject: { kind: 'Secret', name: `${secret.namespace}/${secret.name}` } },
    );
  }
  return found;
}

function common(c: CommonFields) {
  return {
    ...(c.authenticationRequestExtraParams && Object.keys(c.authenticationRequestExtraParams).length > 0
      ? { AuthenticationRequestExtraParams: c.authenticationRequestExtraParams }
      : {}),
    OnUnauthenticatedRequest: c.onUnauthenticatedRequest,
    Scope: c.scope,
    SessionCookieName: c.sessionCookieName,
    SessionTimeout: c.sessionTimeout,
  };
}

interface CommonFields {
  authenticationRequestExtraParams?: Record<string, string>;
  onUnauthenticatedRequest: OnUnauthenticated;
  scope: string;
  sessionCookieName: string;
  sessionTimeout: number;
}

/** What Describe* returns: ELBv2 fills the defaults in, and never returns ClientSecret. */
export function fromSdkAuthAction(action: SdkAction): AuthenticateAction | undefined {
  if (action.Type === 'authenticate-cognito') {
    const c: AuthenticateCognitoActionConfig = action.AuthenticateCognitoConfig ?? {
      UserPoolArn: '',
      UserPoolClientId: '',
      UserPoolDomain: '',
    };
    return {
      type: 'authenticate-cognito',
      authenticateCognitoConfig: {
        userPoolARN: c.UserPoolArn ?? '',
        userPoolClientID: c.UserPoolClientId ?? '',
        userPoolDomain: c.UserPoolDomain ?? '',
        ...fromCommon(c),
      },
    };
  }
  if (action.Type === 'authenticate-oidc') {
    const c: Partial<AuthenticateOidcActionConfig> = action.AuthenticateOidcConfig ?? {};
    return {
      type: 'authenticate-oidc',
      authenticateOIDCConfig: {
        issuer: c.Issuer ?? '',
        authorizationEndpoint: c.AuthorizationEndpoint ?? '',
        tokenEndpoint: c.TokenEndpoint ?? '',
        userInfoEndpoint: c.UserInfoEndpoint ?? '',
        ...(c.ClientId === undefined ? {} : { clientId: c.ClientId }),
        ...fromCommon(c),
      },
    };
  }
  return undefined;
}

function fromCommon(c: {
  AuthenticationRequestExtraParams?: Record<string, string> | undefined;
  OnUnauthenticatedRequest?: string | undefined;
  Scope?: string | undefined;
  SessionCookieName?: string | undefined;
  SessionTimeout?: number | undefined;
}): CommonFields {
  const extra = c.AuthenticationRequestExtraParams;
  return {
    ...(extra && Object.keys(extra).length > 0 ? { authenticationRequestExtraParams: extra } : {}),
    onUnauthenticatedRequest: (c.OnUnauthenticatedRequest ?? 'authenticate') as OnUnauthenticated,
    scope: c.Scope ?? 'openid',
    sessionCookieName: c.SessionCookieName ?? 'AWSELBAuthSessionCookie',
    sessionTimeout: c.SessionTimeout ?? 604800,
  };
}
