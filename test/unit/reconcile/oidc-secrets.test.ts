import { describe, expect, it } from 'vitest';
import type { Action, StackBuild } from '../../../shared/model/stack.js';
import { RESOURCE_TYPES, ref } from '../../../shared/model/stack.js';
import { resolveOidcSecrets, type SecretSource } from '../../../shared/reconcile/stacks/oidc-secrets.js';

/** The OIDC client credentials: read from the named Secret, the secret kept out of the model and plan. */

const oidc = (name: string): Action => ({
  type: 'authenticate-oidc',
  authenticateOIDCConfig: {
    issuer: 'https://idp.example.com',
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint: 'https://idp.example.com/token',
    userInfoEndpoint: 'https://idp.example.com/userinfo',
    clientCredentials: { secret: { namespace: 'shop', name } },
    onUnauthenticatedRequest: 'authenticate',
    scope: 'openid',
    sessionCookieName: 'AWSELBAuthSessionCookie',
    sessionTimeout: 604800,
  },
});
const forward: Action = { type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } };
const forwardTo = (id: string): Action => ({
  type: 'forward',
  forwardConfig: {
    targetGroups: [{ targetGroupARN: ref(RESOURCE_TYPES.targetGroup, id, 'targetGroupARN') }],
  },
});
const group = (member: string) => ({ source: { kind: 'Ingress' as const, namespace: 'shop', name: member } });

/** two members: `app` with auth from `secretName`, `web` without auth */
function build(secretName: string): StackBuild {
  const rule = (member: string, priority: number, actions: Action[]) => ({
    spec: { listenerARN: 'arn:listener/443', priority, actions, conditions: [], tags: {} },
    source: { kind: 'Ingress' as const, namespace: 'shop', name: member },
  });
  return {
    stack: {
      id: 'shop',
      kind: 'ingress',
      stackTags: {},
      members: [],
      resources: {
        [RESOURCE_TYPES.listenerRule]: {
          '443:1': rule('app', 1, [oidc(secretName), forwardTo('shop/app-web:80')]),
          '443:2': rule('app', 2, [oidc(secretName), forward]),
          '443:3': rule('web', 3, [forwardTo('shop/web-web:80')]),
        },
        [RESOURCE_TYPES.listener]: {},
        [RESOURCE_TYPES.targetGroup]: { 'shop/app-web:80': group('app'), 'shop/web-web:80': group('web') },
      },
    } as unknown as StackBuild['stack'],
    memberErrors: [],
    stackErrors: [],
  };
}

const SECRETS: Record<string, Record<string, string>> = {
  good: { clientID: 'client-1 \n', clientSecret: 's3cret\n' },
  legacy: { clientId: 'client-legacy', clientSecret: 's3cret' },
  'no-secret': { clientID: 'client-1' },
  'no-id': { clientSecret: 's3cret' },
};
const source: SecretSource = { read: async (_cluster, _namespace, name) => SECRETS[name] };

describe('resolveOidcSecrets', () => {
  it.each([
    {
      name: 'clientID and clientSecret, trimmed as the LBC trims them',
      secret: 'good',
      clientId: 'client-1',
    },
    { name: 'the legacy clientId key', secret: 'legacy', clientId: 'client-legacy' },
  ])('$name', async ({ secret, clientId }) => {
    const built = build(secret);
    const credentials = await resolveOidcSecrets(source, 'demo', built);
    const rules = built.stack.resources[RESOURCE_TYPES.listenerRule];
    expect(Object.keys(rules)).toEqual(['443:1', '443:2', '443:3']);
    expect(Object.keys(built.stack.resources[RESOURCE_TYPES.targetGroup])).toHaveLength(2);
    const action = rules['443:1']!.spec.actions[0]!;
    expect(action.type === 'authenticate-oidc' && action.authenticateOIDCConfig.clientId).toBe(clientId);
    expect(credentials({ namespace: 'shop', name: secret })?.clientSecret).toBe('s3cret');
    expect(JSON.stringify(built)).not.toContain('s3cret');
    expect(built.memberErrors).toEqual([]);
  });

  it.each([
    { name: 'a missing Secret', secret: 'gone', text: 'Secret shop/gone not found' },
    {
      name: 'a Secret without clientSecret',
      secret: 'no-secret',
      text: 'missing clientSecret, secret: shop/no-secret',
    },
    { name: 'a Secret without clientID', secret: 'no-id', text: 'missing clientID, secret: shop/no-id' },
  ])(
    '$name: the member is refused, none of its rules is left without authentication',
    async ({ secret, text }) => {
      const built = build(secret);
      const credentials = await resolveOidcSecrets(source, 'demo', built);
      expect(Object.keys(built.stack.resources[RESOURCE_TYPES.listenerRule])).toEqual(['443:3']);
      // its target group goes with its rules; the other member's stays
      expect(Object.keys(built.stack.resources[RESOURCE_TYPES.targetGroup])).toEqual(['shop/web-web:80']);
      expect(built.memberErrors).toHaveLength(1);
      expect(built.memberErrors[0]).toMatchObject({ kind: 'Ingress', namespace: 'shop', name: 'app' });
      expect(built.memberErrors[0]!.message).toContain('Ingress shop/app');
      expect(built.memberErrors[0]!.message).toContain(text);
      expect(credentials({ namespace: 'shop', name: secret })).toBeUndefined();
    },
  );

  it('no Secret source wired: fails closed the same way', async () => {
    const built = build('good');
    await resolveOidcSecrets(undefined, 'demo', built);
    expect(built.memberErrors[0]!.message).toContain('Secret shop/good cannot be read');
    expect(Object.keys(built.stack.resources[RESOURCE_TYPES.listenerRule])).toEqual(['443:3']);
  });
});
