import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { applyElbv2Change, type Elbv2Change } from '../../../shared/aws/elbv2-stacks-apply.js';
import { type StackCall, stackCall } from '../../../shared/aws/elbv2-stacks-errors.js';
import { AUTH_APPLY_CASES, OIDC_RULE, SDK_FORWARD, SDK_OIDC_WITH_SECRET } from './elbv2-apply-auth-cases.js';
import { APPLY_CASES as BASE_CASES, FAKE_REPLIES } from './elbv2-apply-cases.js';

const APPLY_CASES = [...BASE_CASES, ...AUTH_APPLY_CASES];

/** A client that records each command (name, input) and answers with FAKE_REPLIES or `fail`. */
function fakeClient(fail?: Error) {
  const sent: [string, unknown][] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: unknown }) {
      sent.push([command.constructor.name, command.input]);
      if (fail) throw fail;
      return FAKE_REPLIES[command.constructor.name] ?? {};
    },
  } as unknown as ElasticLoadBalancingV2Client;
  return { client, sent };
}

describe('applyElbv2Change: one applier per op, the SDK calls it sends', () => {
  it('covers every op of Elbv2Change', () => {
    // a Record over the op union: a new op fails the type-check until it is listed here
    const every: Record<Elbv2Change['op'], true> = {
      createTargetGroup: true,
      modifyTargetGroup: true,
      modifyTargetGroupAttributes: true,
      deleteTargetGroup: true,
      createLoadBalancer: true,
      modifyLoadBalancerAttributes: true,
      setSecurityGroups: true,
      setSubnets: true,
      setIpAddressType: true,
      deleteLoadBalancer: true,
      createListener: true,
      modifyListener: true,
      modifyListenerAttributes: true,
      deleteListener: true,
      setRulePriorities: true,
      modifyRule: true,
      createRule: true,
      deleteRule: true,
      addTags: true,
    };
    const tested = new Set(APPLY_CASES.map((c) => c.change.op));
    expect([...tested].sort()).toEqual(Object.keys(every).sort());
  });

  it.each(APPLY_CASES)('$name', async ({ change, calls, result }) => {
    const { client, sent } = fakeClient();
    const actions: string[] = [];
    const call: StackCall = (action, subject, fn) => {
      actions.push(`${action} ${subject}`);
      return fn();
    };
    await expect(applyElbv2Change(client, call, change)).resolves.toEqual(result);
    expect(sent).toEqual(calls);
    expect(actions).toHaveLength(calls.length);
  });
});

describe('applyElbv2Change: errors', () => {
  const notFound = Object.assign(new Error('gone'), { name: 'ListenerNotFoundException' });
  const deletes = APPLY_CASES.filter((c) => c.change.op.startsWith('delete'));

  it.each(deletes)('$name: something already gone is a success', async ({ change }) => {
    const { client } = fakeClient(notFound);
    await expect(applyElbv2Change(client, stackCall, change)).resolves.toEqual({});
  });

  it('a create that fails names the action and its subject', async () => {
    const { client } = fakeClient(
      Object.assign(new Error('bad cert'), { name: 'CertificateNotFoundException' }),
    );
    const create = APPLY_CASES.find((c) => c.change.op === 'createListener')!.change;
    await expect(applyElbv2Change(client, stackCall, create)).rejects.toThrow(
      'CreateListener port 443: CertificateNotFound: bad cert',
    );
  });

  it('an op with no applier is refused by name', async () => {
    const { client, sent } = fakeClient();
    const bogus = { op: 'createSecurityGroup' } as unknown as Elbv2Change;
    await expect(applyElbv2Change(client, stackCall, bogus)).rejects.toThrow(
      'no applier for op "createSecurityGroup"',
    );
    expect(sent).toEqual([]);
  });
});

describe('applyElbv2Change: the OIDC client secret enters only the SDK call', () => {
  it('modifyRule with authenticate-oidc sends the secret the credentials give for its Secret', async () => {
    const { client, sent } = fakeClient();
    const asked: string[] = [];
    const credentials = (secret: { namespace: string; name: string }) => {
      asked.push(`${secret.namespace}/${secret.name}`);
      return { clientId: 'oidc-client', clientSecret: 's3cret' };
    };
    await applyElbv2Change(client, stackCall, OIDC_RULE, credentials);
    expect(asked).toEqual(['shop/oidc']);
    expect(sent).toEqual([
      [
        'ModifyRuleCommand',
        { RuleArn: 'arn:rule/1', Actions: [SDK_OIDC_WITH_SECRET, SDK_FORWARD], Conditions: [] },
      ],
    ]);
    // the plan's change itself never holds it
    expect(JSON.stringify(OIDC_RULE)).not.toContain('s3cret');
  });

  it('an unresolved Secret refuses the change before any call, naming the Secret', async () => {
    const { client, sent } = fakeClient();
    await expect(applyElbv2Change(client, stackCall, OIDC_RULE, () => undefined)).rejects.toThrow(
      'the client credentials of Secret shop/oidc were not resolved',
    );
    await expect(applyElbv2Change(client, stackCall, OIDC_RULE)).rejects.toThrow('Secret shop/oidc');
    expect(sent).toEqual([]);
  });
});
