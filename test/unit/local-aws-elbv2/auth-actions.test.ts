import { describe, expect, it } from 'vitest';
import { createAlb, createListener, createRule, fixed, type World, world } from './fixture.js';

/** Authenticate actions on the local ELBv2: validated as AWS does, described without the secret, probed. */
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e';

const cognito = (config: Record<string, unknown> = {}, order = 1) => ({
  Type: 'authenticate-cognito',
  Order: order,
  AuthenticateCognitoConfig: {
    UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc',
    UserPoolClientId: 'client-1',
    UserPoolDomain: 'shop-auth',
    ...config,
  },
});
const oidc = (config: Record<string, unknown> = {}, order = 1) => ({
  Type: 'authenticate-oidc',
  Order: order,
  AuthenticateOidcConfig: {
    Issuer: 'https://idp.example.com',
    AuthorizationEndpoint: 'https://idp.example.com/authorize',
    TokenEndpoint: 'https://idp.example.com/token',
    UserInfoEndpoint: 'https://idp.example.com/userinfo',
    ClientId: 'oidc-client',
    ClientSecret: 's3cret',
    ...config,
  },
});
const ok = (order = 2) => ({ ...fixed('200')[0], Order: order });

function https(w: World) {
  const balancer = createAlb(w);
  const listener = createListener(w, balancer, {
    Protocol: 'HTTPS',
    Port: '443',
    Certificates: [{ CertificateArn: CERT }],
  });
  return { balancer, listener };
}

describe('local ELBv2: authenticate actions are validated as AWS does', () => {
  it.each([
    [
      'on an HTTP listener',
      'http',
      [cognito(), ok()],
      'InvalidLoadBalancerAction',
      'only on HTTPS listeners',
    ],
    [
      'after the terminal action',
      'https',
      [ok(1), cognito({}, 2)],
      'InvalidLoadBalancerAction',
      'must be followed by',
    ],
    ['alone, without a terminal action', 'https', [cognito()], 'TooManyActions', '0 terminal actions'],
    [
      'two of them',
      'https',
      [cognito({}, 1), oidc({}, 2), ok(3)],
      'TooManyActions',
      '2 authenticate actions',
    ],
    [
      'cognito without UserPoolDomain',
      'https',
      [cognito({ UserPoolDomain: undefined }), ok()],
      'ValidationError',
      'UserPoolDomain',
    ],
    [
      'cognito with a bad user pool ARN',
      'https',
      [cognito({ UserPoolArn: 'pool-1' }), ok()],
      'ValidationError',
      'not a Cognito user pool ARN',
    ],
    [
      'oidc without ClientSecret',
      'https',
      [oidc({ ClientSecret: undefined }), ok()],
      'ValidationError',
      'ClientSecret',
    ],
    [
      'oidc with an http issuer',
      'https',
      [oidc({ Issuer: 'http://idp.example.com' }), ok()],
      'ValidationError',
      'must be an https URL',
    ],
    [
      'a session timeout over 7 days',
      'https',
      [cognito({ SessionTimeout: '604801' }), ok()],
      'ValidationError',
      'SessionTimeout',
    ],
  ])('%s is refused', (_name, protocol, actions, code, text) => {
    const w = world();
    const listener =
      protocol === 'https' ? https(w).listener : createListener(w, createAlb(w), { Protocol: 'HTTP' });
    const error = w.errorOf('CreateRule', {
      ListenerArn: listener,
      Priority: '1',
      Conditions: [{ Field: 'path-pattern', Values: ['/a'] }],
      Actions: actions,
    });
    expect(error.code).toBe(code);
    expect(error.message).toContain(text);
  });

  it('describes the action with ELBv2 defaults and never the client secret', () => {
    const w = world();
    const { listener } = https(w);
    const rule = createRule(w, listener, 1, { Actions: [oidc(), ok()] });
    const described = w.call<{ Rules: { RuleArn: string; Actions: Record<string, unknown>[] }[] }>(
      'DescribeRules',
      { RuleArns: [rule] },
    );
    const action = described.Rules[0]!.Actions[0]!;
    expect(action).toEqual({
      Type: 'authenticate-oidc',
      Order: 1,
      AuthenticateOidcConfig: {
        Issuer: 'https://idp.example.com',
        AuthorizationEndpoint: 'https://idp.example.com/authorize',
        TokenEndpoint: 'https://idp.example.com/token',
        UserInfoEndpoint: 'https://idp.example.com/userinfo',
        ClientId: 'oidc-client',
        OnUnauthenticatedRequest: 'authenticate',
        Scope: 'openid',
        SessionCookieName: 'AWSELBAuthSessionCookie',
        SessionTimeout: 604800,
      },
    });
    expect(JSON.stringify(described)).not.toContain('s3cret');
  });
});

describe('local ELBv2 routing probe: a rule with an authenticate action', () => {
  it.each([
    [
      'cognito, unauthenticated: 302 to the hosted UI',
      cognito(),
      false,
      302,
      'redirect-to-idp',
      'https://shop-auth.auth.us-east-1.amazoncognito.com/oauth2/authorize',
    ],
    [
      'oidc, unauthenticated: 302 to the authorization endpoint',
      oidc(),
      false,
      302,
      'redirect-to-idp',
      'https://idp.example.com/authorize',
    ],
    [
      'oidc deny, unauthenticated: 401',
      oidc({ OnUnauthenticatedRequest: 'deny' }),
      false,
      401,
      'denied',
      undefined,
    ],
    [
      'cognito allow, unauthenticated: the backend answers',
      cognito({ OnUnauthenticatedRequest: 'allow' }),
      false,
      200,
      'allowed',
      undefined,
    ],
    ['oidc, authenticated: the backend answers', oidc(), true, 200, 'authenticated', undefined],
  ])('%s', (_name, auth, authenticated, status, outcome, location) => {
    const w = world();
    const { balancer, listener } = https(w);
    createRule(w, listener, 1, {
      Conditions: [{ Field: 'path-pattern', Values: ['/app/*'] }],
      Actions: [auth, ok()],
    });
    const result = w.elbv2.route({
      loadBalancerArn: balancer,
      port: 443,
      host: 'shop.example.com',
      path: '/app/cart',
      authenticated,
    });
    expect(result.status).toBe(status);
    expect(result.authentication?.outcome).toBe(outcome);
    expect(result.authentication?.type).toBe(auth.Type);
    expect(result.authentication?.location).toBe(location);
    // a path without the rule is not authenticated
    const other = w.elbv2.route({ loadBalancerArn: balancer, port: 443, host: 'x', path: '/other' });
    expect(other.status).toBe(404);
    expect(other.authentication).toBeUndefined();
  });
});
