import { describe, expect, it } from 'vitest';
import type { Action, ListenerSpec } from '../../../../shared/model/stack.js';
import { RESOURCE_TYPES, type Ref, ref } from '../../../../shared/model/stack.js';
import { planRules } from '../../../../shared/plan/rules.js';
import { canonicalAction } from '../../../../shared/plan/rules-equality.js';
import { planAddons, SHIELD_PROTECTION_NAME } from '../../../../shared/plan/stack/addons.js';
import { planListeners } from '../../../../shared/plan/stack/listeners.js';
import type { ActualListener, ActualLoadBalancer, ActualRule } from '../../../../shared/plan/stack-actual.js';

/** Issue 12: the plan side of authenticate actions, listener attributes, WAFv2 and Shield. */

const ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/1111';
const OTHER_ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/other/2222';
const LB_REF = ref(RESOURCE_TYPES.loadBalancer, 'LoadBalancer', 'loadBalancerARN');

const lb = (extra: Partial<ActualLoadBalancer>): ActualLoadBalancer => ({
  arn: 'arn:lb/1',
  name: 'k8s-shop',
  type: 'application',
  scheme: 'internal',
  ipAddressType: 'ipv4',
  dnsName: 'shop.elb',
  subnetIds: [],
  securityGroups: [],
  attributes: {},
  tags: {},
  ...extra,
});

describe('planAddons: web ACL and Shield only when AWS differs (the LBC synthesizers)', () => {
  const cases: {
    name: string;
    spec: { wafv2AclArn?: string; shieldAdvancedProtection?: boolean };
    existing?: ActualLoadBalancer;
    subscribed?: boolean;
    ops: string[];
    error?: string;
  }[] = [
    { name: 'no annotation: nothing read, nothing done', spec: {}, existing: lb({}), ops: [] },
    {
      name: 'new load balancer with an ACL: associated on its Ref',
      spec: { wafv2AclArn: ACL },
      ops: [`associateWebAcl ${ACL}`],
    },
    {
      name: 'same ACL associated: nothing',
      spec: { wafv2AclArn: ACL },
      existing: lb({ webAclArn: ACL }),
      ops: [],
    },
    {
      name: 'another ACL associated: associate the desired one (AWS replaces it)',
      spec: { wafv2AclArn: ACL },
      existing: lb({ webAclArn: OTHER_ACL }),
      ops: [`associateWebAcl ${ACL}`],
    },
    {
      name: 'none with an ACL associated: disassociate',
      spec: { wafv2AclArn: 'none' },
      existing: lb({ webAclArn: OTHER_ACL }),
      ops: [`disassociateWebAcl ${OTHER_ACL}`],
    },
    {
      name: 'none with nothing associated: nothing',
      spec: { wafv2AclArn: 'none' },
      existing: lb({ webAclArn: '' }),
      ops: [],
    },
    {
      name: 'association not read: a plan error, no change',
      spec: { wafv2AclArn: ACL },
      existing: lb({}),
      ops: [],
      error: 'web ACL association of k8s-shop was not read',
    },
    {
      name: 'shield wanted, none, subscribed: create with the LBC name',
      spec: { shieldAdvancedProtection: true },
      existing: lb({ shieldProtection: null }),
      subscribed: true,
      ops: [`createShieldProtection ${SHIELD_PROTECTION_NAME}`],
    },
    {
      name: 'shield wanted without a subscription: a plan error, never silent',
      spec: { shieldAdvancedProtection: true },
      existing: lb({ shieldProtection: null }),
      subscribed: false,
      ops: [],
      error: 'no active Shield Advanced subscription',
    },
    {
      name: 'shield wanted and present: nothing',
      spec: { shieldAdvancedProtection: true },
      existing: lb({ shieldProtection: { id: 'p-1', name: SHIELD_PROTECTION_NAME } }),
      subscribed: true,
      ops: [],
    },
    {
      name: 'shield off, the LBC-named protection: deleted',
      spec: { shieldAdvancedProtection: false },
      existing: lb({ shieldProtection: { id: 'p-1', name: SHIELD_PROTECTION_NAME } }),
      ops: ['deleteShieldProtection p-1'],
    },
    {
      name: 'shield off, a protection someone else named: left alone',
      spec: { shieldAdvancedProtection: false },
      existing: lb({ shieldProtection: { id: 'p-2', name: 'security team' } }),
      ops: [],
    },
  ];
  it.each(cases)('$name', ({ spec, existing, subscribed, ops, error }) => {
    const plan = planAddons({
      spec,
      ...(existing ? { existing } : {}),
      loadBalancerArn: existing?.arn ?? LB_REF,
      ...(subscribed === undefined ? {} : { shieldSubscribed: subscribed }),
    });
    expect(
      plan.changes.map((change) => {
        if (change.op === 'associateWebAcl' || change.op === 'disassociateWebAcl')
          return `${change.op} ${change.webAclArn}`;
        if (change.op === 'createShieldProtection') return `${change.op} ${change.name}`;
        if (change.op === 'deleteShieldProtection') return `${change.op} ${change.protectionId}`;
        return change.op;
      }),
    ).toEqual(ops);
    if (error) expect(plan.errors.map((e) => e.message).join()).toContain(error);
    else expect(plan.errors).toEqual([]);
  });
});

const FIXED: Action[] = [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }];
const ARN = (arn: string) => arn as unknown as Ref;
const listenerSpec = (attributes?: Record<string, string>): ListenerSpec => ({
  loadBalancerARN: ARN('arn:lb/1'),
  port: 80,
  protocol: 'HTTP',
  defaultActions: FIXED,
  tags: {},
  ...(attributes
    ? { listenerAttributes: Object.entries(attributes).map(([key, value]) => ({ key, value })) }
    : {}),
});
const actualListener = (attributes?: Record<string, string>): ActualListener => ({
  arn: 'arn:listener/80',
  loadBalancerArn: 'arn:lb/1',
  port: 80,
  protocol: 'HTTP',
  defaultActions: FIXED,
  certificates: [],
  ...(attributes ? { attributes } : {}),
});

describe('planListeners: listener attributes, only the keys the model sets', () => {
  const KEY = 'routing.http.response.server.enabled';
  const cases: {
    name: string;
    want: Record<string, string> | undefined;
    have: Record<string, string>;
    expected: { key: string; value: string }[];
  }[] = [
    {
      name: 'AWS holds the value: nothing',
      want: { [KEY]: 'false' },
      have: { [KEY]: 'false', other: '1' },
      expected: [],
    },
    {
      name: 'AWS differs: one modifyListenerAttributes with the changed key',
      want: { [KEY]: 'false' },
      have: { [KEY]: 'true' },
      expected: [{ key: KEY, value: 'false' }],
    },
    {
      name: 'the model sets none: AWS values left alone',
      want: undefined,
      have: { [KEY]: 'true' },
      expected: [],
    },
  ];
  it.each(cases)('$name', ({ want, have, expected }) => {
    const plan = planListeners(
      { '80': { spec: listenerSpec(want) } },
      [actualListener(have)],
      new Map(),
      new Map(),
    );
    const planned = plan.listeners[0]!;
    expect(planned.change).toBeUndefined();
    const attributes = planned.attributes;
    if (expected.length === 0) expect(attributes).toBeUndefined();
    else
      expect(attributes).toEqual({
        op: 'modifyListenerAttributes',
        arn: 'arn:listener/80',
        attributes: expected,
      });
  });
});

const OIDC = (clientId?: string): Action => ({
  type: 'authenticate-oidc',
  authenticateOIDCConfig: {
    issuer: 'https://idp.example.com',
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint: 'https://idp.example.com/token',
    userInfoEndpoint: 'https://idp.example.com/userinfo',
    clientCredentials: { secret: { namespace: 'shop', name: 'oidc' } },
    ...(clientId === undefined ? {} : { clientId }),
    onUnauthenticatedRequest: 'authenticate',
    scope: 'openid',
    sessionCookieName: 'AWSELBAuthSessionCookie',
    sessionTimeout: 604800,
  },
});
/** what Describe returns for the same action: no Secret reference, no secret, the client ID */
const OIDC_READ: Action = {
  type: 'authenticate-oidc',
  authenticateOIDCConfig: {
    issuer: 'https://idp.example.com',
    authorizationEndpoint: 'https://idp.example.com/authorize',
    tokenEndpoint: 'https://idp.example.com/token',
    userInfoEndpoint: 'https://idp.example.com/userinfo',
    clientId: 'client-1',
    onUnauthenticatedRequest: 'authenticate',
    scope: 'openid',
    sessionCookieName: 'AWSELBAuthSessionCookie',
    sessionTimeout: 604800,
  },
};

describe('rule equality: authenticate actions compared on everything but the client secret', () => {
  it.each([
    {
      name: 'the desired action (Secret reference, resolved client ID) equals what AWS describes',
      desired: OIDC('client-1'),
      equal: true,
    },
    { name: 'another client ID in the Secret differs', desired: OIDC('client-2'), equal: false },
    { name: 'a client ID not resolved never equals', desired: OIDC(), equal: false },
    {
      name: 'another scope differs',
      desired: {
        ...OIDC('client-1'),
        authenticateOIDCConfig: {
          ...(OIDC('client-1') as { authenticateOIDCConfig: object }).authenticateOIDCConfig,
          scope: 'openid email',
        },
      } as Action,
      equal: false,
    },
  ])('$name', ({ desired, equal }) => {
    expect(canonicalAction(desired) === canonicalAction(OIDC_READ)).toBe(equal);
  });
});

describe('planRules: a rotated OIDC secret is re-sent as the LBC does, only when asked', () => {
  const forward: Action = {
    type: 'forward',
    forwardConfig: { targetGroups: [{ targetGroupARN: 'arn:tg/1' }] },
  };
  const conditions = [{ field: 'path-pattern' as const, pathPatternConfig: { values: ['/app'] } }];
  const actual: ActualRule = {
    arn: 'arn:rule/1',
    listenerArn: 'arn:listener/443',
    priority: 1,
    actions: [OIDC_READ, forward],
    conditions,
    tags: {},
  };
  const desired = [
    {
      id: '443:1',
      spec: {
        listenerARN: ARN('arn:listener/443'),
        priority: 1,
        actions: [OIDC('client-1'), forward],
        conditions,
        tags: {},
      },
    },
  ];
  it.each([
    {
      name: 'a pass that applies: one modifyRule on the same rule',
      resend: true,
      ops: ['modifyRule arn:rule/1'],
    },
    { name: 'a dry run: no change (the rule matches by content)', resend: false, ops: [] },
  ])('$name', ({ resend, ops }) => {
    const changes = planRules({
      listenerArn: 'arn:listener/443',
      desired,
      actual: [actual],
      room: { left: 10 },
      resendClientSecrets: resend,
    });
    expect(changes.map((change) => `${change.op} ${'arn' in change ? change.arn : ''}`)).toEqual(ops);
    // the plan never holds a secret value, only the reference
    expect(JSON.stringify(changes)).not.toMatch(/clientSecret"/);
  });
});
