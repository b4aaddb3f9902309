import { describe, expect, it } from 'vitest';
import type { Ingress } from '../../../shared/k8s/objects.js';
import { buildIngressGroupStack } from '../../../shared/model/ingress/build.js';
import type { StackBuild } from '../../../shared/model/stack.js';
import { environment, pathsIngress, service } from './helpers.js';

const A = 'alb.ingress.kubernetes.io';
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/c1';
const HTTPS_ONLY = { [`${A}/listen-ports`]: '[{"HTTPS":443}]', [`${A}/certificate-arn`]: CERT };
const BOTH = { [`${A}/listen-ports`]: '[{"HTTP":80},{"HTTPS":443}]', [`${A}/certificate-arn`]: CERT };
const POOL = 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123';
const COGNITO = {
  [`${A}/auth-type`]: 'cognito',
  [`${A}/auth-idp-cognito`]: JSON.stringify({
    userPoolARN: POOL,
    userPoolClientID: 'client',
    userPoolDomain: 'login',
  }),
};
const OIDC_IDP = {
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/auth',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
  secretName: 'oidc-secret',
};
const OIDC = { [`${A}/auth-type`]: 'oidc', [`${A}/auth-idp-oidc`]: JSON.stringify(OIDC_IDP) };
const WAF =
  'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/my-acl/0123abcd-0000-1111-2222-333344445555';

function build(members: Ingress[], services = [service('svc-1')]): StackBuild {
  return buildIngressGroupStack({
    env: environment(),
    group: { id: { namespace: '', name: 'g' }, members, memberErrors: [] },
    services,
  });
}
const rule = (result: StackBuild, id: string) =>
  result.stack.resources['AWS::ElasticLoadBalancingV2::ListenerRule'][id]?.spec;
const listener = (result: StackBuild, id: string) =>
  result.stack.resources['AWS::ElasticLoadBalancingV2::Listener'][id]?.spec;
const loadBalancer = (result: StackBuild) =>
  result.stack.resources['AWS::ElasticLoadBalancingV2::LoadBalancer']['LoadBalancer']?.spec;
const errors = (result: StackBuild) => result.memberErrors.map((error) => [error.field, error.message]);

describe('auth-type cognito and oidc', () => {
  it('cognito: authenticate-cognito before the forward, with the LBC defaults', () => {
    const result = build([pathsIngress('ing-1', ['/a'], { ...HTTPS_ONLY, ...COGNITO })]);
    expect(result.memberErrors).toEqual([]);
    expect(rule(result, '443:1')?.actions.map((action) => action.type)).toEqual([
      'authenticate-cognito',
      'forward',
    ]);
    expect(rule(result, '443:1')?.actions[0]).toEqual({
      type: 'authenticate-cognito',
      authenticateCognitoConfig: {
        userPoolARN: POOL,
        userPoolClientID: 'client',
        userPoolDomain: 'login',
        onUnauthenticatedRequest: 'authenticate',
        scope: 'openid',
        sessionCookieName: 'AWSELBAuthSessionCookie',
        sessionTimeout: 604800,
      },
    });
  });

  it('oidc: carries a reference to the Secret in the Ingress namespace, never its content', () => {
    const result = build([
      pathsIngress('ing-1', ['/a'], {
        ...HTTPS_ONLY,
        ...OIDC,
        [`${A}/auth-scope`]: 'openid email',
        [`${A}/auth-session-cookie`]: 'my-cookie',
        [`${A}/auth-session-timeout`]: '3600',
        [`${A}/auth-on-unauthenticated-request`]: 'deny',
      }),
    ]);
    expect(result.memberErrors).toEqual([]);
    const { secretName: _secret, ...endpoints } = OIDC_IDP;
    expect(rule(result, '443:1')?.actions[0]).toEqual({
      type: 'authenticate-oidc',
      authenticateOIDCConfig: {
        ...endpoints,
        clientCredentials: { secret: { namespace: 'ns-1', name: 'oidc-secret' } },
        onUnauthenticatedRequest: 'deny',
        scope: 'openid email',
        sessionCookieName: 'my-cookie',
        sessionTimeout: 3600,
      },
    });
  });

  it("a single backend Service's auth annotations override the Ingress's", () => {
    const result = build(
      [pathsIngress('ing-1', ['/a'], { ...HTTPS_ONLY, ...COGNITO })],
      [service('svc-1', { [`${A}/auth-type`]: 'none' })],
    );
    expect(rule(result, '443:1')?.actions.map((action) => action.type)).toEqual(['forward']);
  });

  it('with ssl-redirect the HTTP listener only redirects, so HTTP and HTTPS together are fine', () => {
    const result = build([
      pathsIngress('ing-1', ['/a'], { ...BOTH, ...COGNITO, [`${A}/ssl-redirect`]: '443' }),
    ]);
    expect(result.memberErrors).toEqual([]);
    expect(listener(result, '80')?.defaultActions[0]?.type).toBe('redirect');
    expect(rule(result, '443:1')?.actions[0]?.type).toBe('authenticate-cognito');
  });

  it.each([
    {
      name: 'an HTTP listener without ssl-redirect (it would serve the paths unauthenticated)',
      annotations: { ...BOTH, ...COGNITO },
      field: 'auth-type',
      message: 'HTTP listener port 80 would serve this Ingress unauthenticated',
    },
    {
      name: 'unknown type',
      annotations: { ...HTTPS_ONLY, [`${A}/auth-type`]: 'saml' },
      field: 'auth-type',
      message: 'unknown authType: saml',
    },
    {
      name: 'cognito without its IdP',
      annotations: { ...HTTPS_ONLY, [`${A}/auth-type`]: 'cognito' },
      field: 'auth-idp-cognito',
      message: 'missing IDPConfigCognito',
    },
    {
      name: 'oidc without its IdP',
      annotations: { ...HTTPS_ONLY, [`${A}/auth-type`]: 'oidc' },
      field: 'auth-idp-oidc',
      message: 'missing IDPConfigOIDC',
    },
    {
      name: 'oidc without secretName',
      annotations: {
        ...HTTPS_ONLY,
        ...OIDC,
        [`${A}/auth-idp-oidc`]: JSON.stringify({ ...OIDC_IDP, secretName: '' }),
      },
      field: 'auth-idp-oidc',
      message: 'secretName must be a non-empty string',
    },
    {
      name: 'oidc with an http endpoint',
      annotations: {
        ...HTTPS_ONLY,
        ...OIDC,
        [`${A}/auth-idp-oidc`]: JSON.stringify({ ...OIDC_IDP, tokenEndpoint: 'http://x' }),
      },
      field: 'auth-idp-oidc',
      message: 'tokenEndpoint must be an https:// URL',
    },
    {
      name: 'cognito with a bad pool ARN',
      annotations: {
        ...HTTPS_ONLY,
        ...COGNITO,
        [`${A}/auth-idp-cognito`]: '{"userPoolARN":"pool","userPoolClientID":"c","userPoolDomain":"d"}',
      },
      field: 'auth-idp-cognito',
      message: 'not a Cognito user pool ARN',
    },
    {
      name: 'broken JSON',
      annotations: { ...HTTPS_ONLY, ...COGNITO, [`${A}/auth-idp-cognito`]: '{' },
      field: 'auth-idp-cognito',
      message: 'failed to parse json annotation',
    },
    {
      name: 'session timeout 0',
      annotations: { ...HTTPS_ONLY, ...COGNITO, [`${A}/auth-session-timeout`]: '0' },
      field: 'auth-session-timeout',
      message: 'must be within [1, 604800]',
    },
    {
      name: 'unknown on-unauthenticated-request',
      annotations: { ...HTTPS_ONLY, ...COGNITO, [`${A}/auth-on-unauthenticated-request`]: 'ignore' },
      field: 'auth-on-unauthenticated-request',
      message: 'must be one of authenticate, allow, deny',
    },
  ])('refuses $name', ({ annotations, field, message }) => {
    const result = build([pathsIngress('ing-1', ['/a'], annotations)]);
    expect(result.memberErrors).toHaveLength(1);
    expect(result.memberErrors[0]?.field).toBe(`metadata.annotations["${A}/${field}"]`);
    expect(result.memberErrors[0]?.message).toContain(message);
    expect(result.stackErrors).toHaveLength(1);
  });
});

describe('wafv2-acl-arn and shield-advanced-protection on the load balancer', () => {
  it.each([
    { annotations: {}, expected: {} },
    { annotations: { [`${A}/wafv2-acl-arn`]: WAF }, expected: { wafv2AclArn: WAF } },
    { annotations: { [`${A}/wafv2-acl-arn`]: 'none' }, expected: { wafv2AclArn: 'none' } },
    {
      annotations: { [`${A}/shield-advanced-protection`]: 'true' },
      expected: { shieldAdvancedProtection: true },
    },
    {
      annotations: { [`${A}/shield-advanced-protection`]: 'false' },
      expected: { shieldAdvancedProtection: false },
    },
  ])('$annotations', ({ annotations, expected }) => {
    const spec = loadBalancer(build([pathsIngress('ing-1', ['/a'], annotations)]));
    expect({
      wafv2AclArn: spec?.wafv2AclArn,
      shieldAdvancedProtection: spec?.shieldAdvancedProtection,
    }).toEqual({
      wafv2AclArn: undefined,
      shieldAdvancedProtection: undefined,
      ...expected,
    });
  });

  it.each([
    {
      annotations: { [`${A}/wafv2-acl-arn`]: 'my-acl' },
      field: 'wafv2-acl-arn',
      message: 'not a regional WAFv2 web ACL ARN',
    },
    {
      annotations: { [`${A}/shield-advanced-protection`]: 'yes' },
      field: 'shield-advanced-protection',
      message: 'failed to parse bool annotation',
    },
  ])('refuses $annotations', ({ annotations, field, message }) => {
    const result = build([pathsIngress('ing-1', ['/a'], annotations)]);
    expect(errors(result)[0]?.[0]).toBe(`metadata.annotations["${A}/${field}"]`);
    expect(errors(result)[0]?.[1]).toContain(message);
  });

  it.each([
    {
      name: 'two web ACLs',
      key: 'wafv2-acl-arn',
      values: [WAF, 'none'],
      message: `conflicting WAFv2 WebACL ARNs: [${WAF} none]`,
    },
    {
      name: 'shield on and off',
      key: 'shield-advanced-protection',
      values: ['true', 'false'],
      message: 'conflicting enable shield advanced protection',
    },
  ])('$name: the later member is refused with the LBC text', ({ key, values, message }) => {
    const result = build([
      pathsIngress('ing-1', ['/a'], { [`${A}/${key}`]: values[0] }),
      pathsIngress('ing-2', ['/b'], { [`${A}/${key}`]: values[1] }),
    ]);
    expect(result.stack.members.map((member) => member.name)).toEqual(['ing-1']);
    expect(errors(result)).toEqual([
      [
        `metadata.annotations["${A}/${key}"]`,
        `Ingress ns-1/ing-2 metadata.annotations["${A}/${key}"]: ${message}`,
      ],
    ]);
  });
});

describe('listener-attributes.<PROTOCOL>-<port>', () => {
  const KEY = `${A}/listener-attributes.HTTP-80`;
  it('sets the listener attributes, sorted, merged across members', () => {
    const result = build([
      pathsIngress('ing-1', ['/a'], { [KEY]: 'routing.http.response.server.enabled=false' }),
      pathsIngress('ing-2', ['/b'], { [KEY]: 'routing.http.response.server.enabled=false,a.key=1' }),
    ]);
    expect(result.memberErrors).toEqual([]);
    expect(listener(result, '80')?.listenerAttributes).toEqual([
      { key: 'a.key', value: '1' },
      { key: 'routing.http.response.server.enabled', value: 'false' },
    ]);
  });

  it('is absent from a listener nobody sets it on', () => {
    expect(listener(build([pathsIngress('ing-1', ['/a'])]), '80')).not.toHaveProperty('listenerAttributes');
  });

  it('a conflicting value refuses the later member with the LBC text', () => {
    const result = build([
      pathsIngress('ing-1', ['/a'], { [KEY]: 'routing.http.response.server.enabled=false' }),
      pathsIngress('ing-2', ['/b'], { [KEY]: 'routing.http.response.server.enabled=true' }),
    ]);
    expect(errors(result)).toEqual([
      [
        `metadata.annotations["${KEY}"]`,
        `Ingress ns-1/ing-2 metadata.annotations["${KEY}"]: conflicting listener attributes routing.http.response.server.enabled: false | true for ingress ns-1/ing-2`,
      ],
    ]);
  });

  it.each([
    { key: `${A}/listener-attributes.HTTPS-80`, value: 'a=1', message: 'names no listener of this Ingress' },
    { key: `${A}/listener-attributes.HTTP-8080`, value: 'a=1', message: 'names no listener of this Ingress' },
    { key: KEY, value: '=1', message: 'failed to parse stringMap annotation' },
  ])('refuses $key=$value', ({ key, value, message }) => {
    const result = build([pathsIngress('ing-1', ['/a'], { [key]: value })]);
    expect(errors(result)[0]?.[0]).toBe(`metadata.annotations["${key}"]`);
    expect(errors(result)[0]?.[1]).toContain(message);
  });
});
