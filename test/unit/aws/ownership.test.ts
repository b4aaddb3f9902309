import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { stackCall } from '../../../shared/aws/elbv2-stacks-errors.js';
import {
  assertOwned,
  createByName,
  missingOwnership,
  NotOwnedError,
} from '../../../shared/aws/elbv2-stacks-ownership.js';
import { InvalidInputError } from '../../../shared/errors.js';
import type { Tags } from '../../../shared/model/stack.js';
import { attributeNotOwned } from '../../../shared/reconcile/stacks/ownership.js';
import { parseStackKey } from '../../../shared/state/keys.js';

const CLUSTER = 'elbv2.k8s.aws/cluster';
const INGRESS_STACK = 'ingress.k8s.aws/stack';
const SERVICE_STACK = 'service.k8s.aws/stack';
const SENT_INGRESS = {
  [CLUSTER]: 'demo',
  [INGRESS_STACK]: 'shop',
  'ingress.k8s.aws/resource': 'LoadBalancer',
};
const SENT_SERVICE = { [CLUSTER]: 'demo', [SERVICE_STACK]: 'shop/web' };

interface OwnershipCase {
  name: string;
  sent: Tags;
  actual: Tags;
  missing: string[];
}

const OWNERSHIP_CASES: OwnershipCase[] = [
  { name: 'a resource this create made (our tags)', sent: SENT_INGRESS, actual: SENT_INGRESS, missing: [] },
  {
    name: 'untagged (someone else made it)',
    sent: SENT_INGRESS,
    actual: {},
    missing: [`${CLUSTER}=demo`, `${INGRESS_STACK}=shop`],
  },
  {
    name: 'another cluster’s',
    sent: SENT_SERVICE,
    actual: { ...SENT_SERVICE, [CLUSTER]: 'other' },
    missing: [`${CLUSTER}=demo`],
  },
  {
    name: 'another stack of this cluster',
    sent: SENT_INGRESS,
    actual: { ...SENT_INGRESS, [INGRESS_STACK]: 'billing' },
    missing: [`${INGRESS_STACK}=shop`],
  },
  {
    name: 'a Service stack’s tag on an Ingress group’s name',
    sent: SENT_INGRESS,
    actual: { [CLUSTER]: 'demo', [SERVICE_STACK]: 'shop' },
    missing: [`${INGRESS_STACK}=shop`],
  },
  {
    name: 'extra tags do not matter',
    sent: SENT_SERVICE,
    actual: { ...SENT_SERVICE, team: 'x' },
    missing: [],
  },
  {
    name: 'a spec without a stack tag is never taken as ours',
    sent: { [CLUSTER]: 'demo' },
    actual: { [CLUSTER]: 'demo' },
    missing: [`${INGRESS_STACK}=(not sent)`],
  },
];

describe('missingOwnership: the cluster and stack tags we sent, compared with what the resource carries', () => {
  it.each(OWNERSHIP_CASES)('$name', ({ sent, actual, missing }) => {
    expect(missingOwnership(sent, actual)).toEqual(missing);
  });
});

/** A client answering DescribeTags with `tags` for `arn`, recording what it was sent. */
function describeTagsClient(arn: string, tags: Record<string, string>) {
  const sent: [string, unknown][] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: unknown }) {
      sent.push([command.constructor.name, command.input]);
      return {
        TagDescriptions: [
          { ResourceArn: arn, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        ],
      };
    },
  } as unknown as ElasticLoadBalancingV2Client;
  return { client, sent };
}

describe('assertOwned: DescribeTags on the ARN a create answered', () => {
  const arn = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer/app/theirs/1';

  it('ours: one DescribeTags, no error', async () => {
    const { client, sent } = describeTagsClient(arn, SENT_INGRESS);
    await assertOwned(client, stackCall, 'load balancer', 'theirs', arn, SENT_INGRESS);
    expect(sent).toEqual([['DescribeTagsCommand', { ResourceArns: [arn] }]]);
  });

  it('foreign: a permanent NotOwnedError naming the load balancer, its ARN and the tags it lacks', async () => {
    const { client } = describeTagsClient(arn, { team: 'payments' });
    const refused = assertOwned(client, stackCall, 'load balancer', 'theirs', arn, SENT_INGRESS);
    await expect(refused).rejects.toBeInstanceOf(NotOwnedError);
    await expect(refused).rejects.toThrow(
      `load balancer 'theirs' exists and is not owned by this stack (${arn} lacks ${CLUSTER}=demo, ${INGRESS_STACK}=shop)`,
    );
    await expect(refused).rejects.toMatchObject({
      retryable: false,
      subject: { kind: 'LoadBalancer', name: 'theirs' },
    });
  });
});

describe('createByName: a name taken with other settings is the same refusal', () => {
  const aws = (name: string) => Object.assign(new Error(`AWS says ${name}`), { name });

  it.each([
    { code: 'DuplicateLoadBalancerName', kind: 'load balancer' as const },
    { code: 'DuplicateTargetGroupName', kind: 'target group' as const },
  ])('$code → NotOwnedError', async ({ code, kind }) => {
    const refused = createByName(kind, 'k8s-x', () =>
      stackCall('Create', 'k8s-x', () => Promise.reject(aws(code))),
    );
    await expect(refused).rejects.toBeInstanceOf(NotOwnedError);
    await expect(refused).rejects.toThrow(
      `${kind} 'k8s-x' exists and is not owned by this stack (a resource of that name exists with other settings)`,
    );
  });

  it('any other error passes through as translated', async () => {
    const refused = createByName('load balancer', 'k8s-x', () =>
      stackCall('CreateLoadBalancer', 'k8s-x', () => Promise.reject(aws('TooManyLoadBalancers'))),
    );
    await expect(refused).rejects.not.toBeInstanceOf(NotOwnedError);
    await expect(refused).rejects.toThrow('CreateLoadBalancer k8s-x: TooManyLoadBalancers');
  });

  it('the create’s answer when it succeeds', async () => {
    await expect(createByName('target group', 'k8s-x', async () => 'arn:tg')).resolves.toBe('arn:tg');
  });
});

describe('attributeNotOwned: an unattributed refusal of a Service stack goes on the Service', () => {
  const refusal = new NotOwnedError(
    "target group 'k8s-shop-web-1' exists and is not owned by this stack (x)",
    {
      subject: { kind: 'TargetGroup', name: 'k8s-shop-web-1' },
    },
  );

  it.each([
    {
      name: 'Service stack',
      key: 'stack#demo#service/shop/web',
      error: refusal,
      subject: { kind: 'Service', name: 'shop/web' },
      message: `Service shop/web: ${refusal.message}`,
    },
    {
      name: 'Ingress group: stays on the group',
      key: 'stack#demo#ingress/shop',
      error: refusal,
      subject: refusal.subject,
      message: refusal.message,
    },
    {
      name: 'another permanent error is left as it is',
      key: 'stack#demo#service/shop/web',
      error: new InvalidInputError('CreateListener port 443: CertificateNotFound'),
      subject: undefined,
      message: 'CreateListener port 443: CertificateNotFound',
    },
  ])('$name', ({ key, error, subject, message }) => {
    const parsed = parseStackKey(key);
    if (!parsed) throw new Error(`bad key ${key}`);
    const out = attributeNotOwned(error, parsed) as InvalidInputError;
    expect(out.message).toBe(message);
    expect(out.subject).toEqual(subject);
  });
});
