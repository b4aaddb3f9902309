import type { ShieldClient } from '@aws-sdk/client-shield';
import type { WAFV2Client } from '@aws-sdk/client-wafv2';
import { describe, expect, it } from 'vitest';
import { fromSdkActions, toSdkActions } from '../../../shared/aws/elbv2-stacks-convert.js';
import { stackCall } from '../../../shared/aws/elbv2-stacks-errors.js';
import { createLoadBalancerAddons } from '../../../shared/aws/lb-addons.js';
import { canonicalActions } from '../../../shared/plan/rules-equality.js';
import { COGNITO, OIDC } from './elbv2-apply-auth-cases.js';

/** A client that records each command and answers from `replies` (an Error is thrown). */
function fake(replies: Record<string, unknown>) {
  const sent: [string, unknown][] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: unknown }) {
      sent.push([command.constructor.name, command.input]);
      const reply = replies[command.constructor.name];
      if (reply instanceof Error) throw reply;
      return reply ?? {};
    },
  };
  return { client, sent };
}
const awsError = (name: string, status = 400) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

function addons(waf: Record<string, unknown>, shield: Record<string, unknown>) {
  const w = fake(waf);
  const s = fake(shield);
  return {
    port: createLoadBalancerAddons(
      { wafv2: w.client as unknown as WAFV2Client, shield: s.client as unknown as ShieldClient },
      stackCall,
    ),
    wafSent: w.sent,
    shieldSent: s.sent,
  };
}

describe('the WAFv2 and Shield port', () => {
  it.each([
    { name: 'an associated web ACL: its ARN', reply: { WebACL: { ARN: 'arn:acl' } }, expected: 'arn:acl' },
    { name: 'none associated: empty', reply: {}, expected: '' },
  ])('webAclFor, $name', async ({ reply, expected }) => {
    const { port, wafSent } = addons({ GetWebACLForResourceCommand: reply }, {});
    await expect(port.webAclFor('arn:lb/1')).resolves.toBe(expected);
    expect(wafSent).toEqual([['GetWebACLForResourceCommand', { ResourceArn: 'arn:lb/1' }]]);
  });

  it.each([
    {
      name: 'a protection: its ID and name',
      reply: { Protection: { Id: 'p-1', Name: 'managed by aws-load-balancer-controller' } },
      expected: { id: 'p-1', name: 'managed by aws-load-balancer-controller' },
    },
    { name: 'ResourceNotFoundException: none', reply: awsError('ResourceNotFoundException'), expected: null },
  ])('protectionFor, $name', async ({ reply, expected }) => {
    const { port } = addons({}, { DescribeProtectionCommand: reply });
    await expect(port.protectionFor('arn:lb/1')).resolves.toEqual(expected);
  });

  it('shieldSubscribed reads GetSubscriptionState once (ACTIVE only)', async () => {
    const { port, shieldSent } = addons(
      {},
      { GetSubscriptionStateCommand: { SubscriptionState: 'INACTIVE' } },
    );
    await expect(port.shieldSubscribed()).resolves.toBe(false);
    await expect(port.shieldSubscribed()).resolves.toBe(false);
    expect(shieldSent).toHaveLength(1);
  });

  it.each([
    {
      name: 'associateWebAcl',
      change: { op: 'associateWebAcl' as const, loadBalancerArn: 'arn:lb/1', webAclArn: 'arn:acl' },
      calls: [['AssociateWebACLCommand', { ResourceArn: 'arn:lb/1', WebACLArn: 'arn:acl' }]],
    },
    {
      name: 'disassociateWebAcl',
      change: { op: 'disassociateWebAcl' as const, loadBalancerArn: 'arn:lb/1', webAclArn: 'arn:acl' },
      calls: [['DisassociateWebACLCommand', { ResourceArn: 'arn:lb/1' }]],
    },
    {
      name: 'createShieldProtection',
      change: { op: 'createShieldProtection' as const, loadBalancerArn: 'arn:lb/1', name: 'managed' },
      calls: [['CreateProtectionCommand', { ResourceArn: 'arn:lb/1', Name: 'managed' }]],
    },
    {
      name: 'deleteShieldProtection',
      change: { op: 'deleteShieldProtection' as const, loadBalancerArn: 'arn:lb/1', protectionId: 'p-1' },
      calls: [['DeleteProtectionCommand', { ProtectionId: 'p-1' }]],
    },
  ])('$name sends its one call', async ({ change, calls }) => {
    const { port, wafSent, shieldSent } = addons({}, {});
    await port.apply(change);
    expect([...wafSent, ...shieldSent]).toEqual(calls);
  });

  it('an association or protection already gone counts as removed', async () => {
    const { port } = addons(
      { DisassociateWebACLCommand: awsError('WAFNonexistentItemException') },
      { DeleteProtectionCommand: awsError('ResourceNotFoundException') },
    );
    await expect(
      port.apply({ op: 'disassociateWebAcl', loadBalancerArn: 'arn:lb/1', webAclArn: 'arn:acl' }),
    ).resolves.toEqual({});
    await expect(
      port.apply({ op: 'deleteShieldProtection', loadBalancerArn: 'arn:lb/1', protectionId: 'p-1' }),
    ).resolves.toEqual({});
  });
});

describe('authenticate actions read back equal to what was written (no spurious plan)', () => {
  it.each([
    { name: 'cognito', action: COGNITO },
    { name: 'oidc (Describe returns no secret)', action: OIDC },
  ])('$name', ({ action }) => {
    const written = toSdkActions([action], () => ({ clientId: 'oidc-client', clientSecret: 's3cret' }));
    const described = written.map((sdk) => {
      const copy = structuredClone(sdk);
      if (copy.AuthenticateOidcConfig) delete copy.AuthenticateOidcConfig.ClientSecret;
      return copy;
    });
    expect(canonicalActions(fromSdkActions(described))).toBe(canonicalActions([action]));
  });
});
