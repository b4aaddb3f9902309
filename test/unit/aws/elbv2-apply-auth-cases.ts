import type { Action, ListenerSpec, Ref } from '../../../shared/model/stack.js';
import type { ApplyCase } from './elbv2-apply-cases.js';

/**
 * Apply cases for listener attributes and authenticate actions (issue 12): the SDK calls each
 * applier sends. OIDC needs the client secret at apply time, so its cases are in the test itself.
 */
const resolved = (arn: string) => arn as unknown as Ref;

export const COGNITO: Action = {
  type: 'authenticate-cognito',
  authenticateCognitoConfig: {
    userPoolARN: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc',
    userPoolClientID: 'client-1',
    userPoolDomain: 'shop-auth',
    authenticationRequestExtraParams: { display: 'page' },
    onUnauthenticatedRequest: 'authenticate',
    scope: 'openid',
    sessionCookieName: 'AWSELBAuthSessionCookie',
    sessionTimeout: 604800,
  },
};

export const OIDC: Action = {
  type: 'authenticate-oidc',
  authenticateOIDCConfig: {
    issuer: 'https://idp.example.com',
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint: 'https://idp.example.com/token',
    userInfoEndpoint: 'https://idp.example.com/userinfo',
    clientCredentials: { secret: { namespace: 'shop', name: 'oidc' } },
    clientId: 'oidc-client',
    onUnauthenticatedRequest: 'deny',
    scope: 'openid email',
    sessionCookieName: 'shop-session',
    sessionTimeout: 3600,
  },
};

const FORWARD: Action = {
  type: 'forward',
  forwardConfig: { targetGroups: [{ targetGroupARN: resolved('arn:tg/1') }] },
};
const SDK_FORWARD = {
  Type: 'forward',
  Order: 2,
  ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'arn:tg/1' }] },
};

export const SDK_COGNITO = {
  Type: 'authenticate-cognito',
  Order: 1,
  AuthenticateCognitoConfig: {
    UserPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc',
    UserPoolClientId: 'client-1',
    UserPoolDomain: 'shop-auth',
    AuthenticationRequestExtraParams: { display: 'page' },
    OnUnauthenticatedRequest: 'authenticate',
    Scope: 'openid',
    SessionCookieName: 'AWSELBAuthSessionCookie',
    SessionTimeout: 604800,
  },
};

const ATTRIBUTES = [{ key: 'routing.http.response.server.enabled', value: 'false' }];
const LISTENER: ListenerSpec = {
  loadBalancerARN: resolved('arn:lb/1'),
  port: 80,
  protocol: 'HTTP',
  defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }],
  listenerAttributes: ATTRIBUTES,
  tags: {},
};

export const AUTH_APPLY_CASES: ApplyCase[] = [
  {
    name: 'modifyListenerAttributes: the keys the model sets, in one call',
    change: { op: 'modifyListenerAttributes', arn: 'arn:listener/1', attributes: ATTRIBUTES },
    calls: [
      [
        'ModifyListenerAttributesCommand',
        {
          ListenerArn: 'arn:listener/1',
          Attributes: [{ Key: 'routing.http.response.server.enabled', Value: 'false' }],
        },
      ],
    ],
    result: {},
  },
  {
    name: 'createListener with attributes: the create, then ModifyListenerAttributes on its ARN',
    change: { op: 'createListener', id: '80', spec: LISTENER },
    calls: [
      [
        'CreateListenerCommand',
        {
          LoadBalancerArn: 'arn:lb/1',
          Port: 80,
          Protocol: 'HTTP',
          DefaultActions: [{ Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '404' } }],
          Tags: [],
        },
      ],
      [
        'ModifyListenerAttributesCommand',
        {
          ListenerArn: 'arn:listener/new',
          Attributes: [{ Key: 'routing.http.response.server.enabled', Value: 'false' }],
        },
      ],
    ],
    result: { arn: 'arn:listener/new' },
  },
  {
    name: 'createRule with authenticate-cognito: order 1, the forward order 2',
    change: {
      op: 'createRule',
      id: '443:1',
      listenerArn: 'arn:listener/443',
      spec: {
        listenerARN: resolved('arn:listener/443'),
        priority: 1,
        actions: [COGNITO, FORWARD],
        conditions: [],
        tags: {},
      },
    },
    calls: [
      [
        'CreateRuleCommand',
        {
          ListenerArn: 'arn:listener/443',
          Priority: 1,
          Actions: [SDK_COGNITO, SDK_FORWARD],
          Conditions: [],
          Tags: [],
        },
      ],
    ],
    result: { arn: 'arn:rule/new' },
  },
];

export const OIDC_RULE = {
  op: 'modifyRule' as const,
  id: '443:1',
  arn: 'arn:rule/1',
  actions: [OIDC, FORWARD],
  conditions: [],
};

export const SDK_OIDC_WITH_SECRET = {
  Type: 'authenticate-oidc',
  Order: 1,
  AuthenticateOidcConfig: {
    Issuer: 'https://idp.example.com',
    AuthorizationEndpoint: 'https://idp.example.com/authorize',
    TokenEndpoint: 'https://idp.example.com/token',
    UserInfoEndpoint: 'https://idp.example.com/userinfo',
    ClientId: 'oidc-client',
    ClientSecret: 's3cret',
    OnUnauthenticatedRequest: 'deny',
    Scope: 'openid email',
    SessionCookieName: 'shop-session',
    SessionTimeout: 3600,
  },
};
export { SDK_FORWARD };
