import { CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toSdkHealthCheck } from '../../../shared/aws/elbv2-stacks-convert.js';
import { processEvent } from '../../../shared/reconcile/stacks/process.js';
import { CLUSTER, changeEvent, type Harness, startHarness } from './harness.js';

vi.setConfig({ testTimeout: 120_000 });

/**
 * Ownership at every write, against the local endpoint: ELBv2's creates are idempotent by name,
 * so a Service or Ingress naming someone else's load balancer (or a target group slbc would name
 * the same) gets that resource's ARN back. slbc must refuse it before any call that changes it.
 */
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const PRIVATE = ['subnet-0private0000001', 'subnet-0private0000002', 'subnet-0private0000003'];
const NAME_ANNOTATION = 'service.beta.kubernetes.io/aws-load-balancer-name';

const service = (annotations: Record<string, string> = {}) => ({
  metadata: {
    name: 'web',
    namespace: 'shop',
    annotations: { 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip', ...annotations },
  },
  spec: {
    type: 'LoadBalancer',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
});

const ingress = (annotations: Record<string, string>) => ({
  metadata: {
    name: 'front',
    namespace: 'shop',
    annotations: {
      'kubernetes.io/ingress.class': 'alb',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      ...annotations,
    },
  },
  spec: {
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
          ],
        },
      },
    ],
  },
});

async function foreignSecurityGroup(): Promise<string> {
  const ec2 = new EC2Client({
    endpoint: h.aws.url,
    region: h.aws.region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const made = await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: 'theirs',
      Description: 'theirs',
      VpcId: h.aws.topology.vpc.id,
    }),
  );
  ec2.destroy();
  return made.GroupId ?? '';
}

/** What a third party's resource looks like: listeners, tags, attributes. */
async function lookOf(arn: string) {
  const listeners = (await h.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: arn }))).Listeners;
  const tags = (await h.elbv2.send(new DescribeTagsCommand({ ResourceArns: [arn] }))).TagDescriptions?.[0]
    ?.Tags;
  const attributes = (await h.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })))
    .Attributes;
  return { listeners, tags, attributes };
}

const writes = (action: string) => h.aws.counters.snapshot().byAction[`elbv2:${action}`] ?? 0;

describe('ownership at every write', () => {
  it('a Service naming an untagged NLB with the same settings gets it back from CreateLoadBalancer: refused, untouched, recorded on the Service', async () => {
    const group = await foreignSecurityGroup();
    const made = await h.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: 'theirs-nlb',
        Type: 'network',
        Scheme: 'internal',
        Subnets: PRIVATE,
        SecurityGroups: [group],
      }),
    );
    const arn = made.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    const before = await lookOf(arn);

    await h.deliver(
      changeEvent(
        'Service',
        service({
          [NAME_ANNOTATION]: 'theirs-nlb',
          'service.beta.kubernetes.io/aws-load-balancer-security-groups': group,
        }),
        'create',
      ),
    );

    // the idempotent create did answer with their ARN: the refusal comes from its tags
    expect(writes('CreateLoadBalancer')).toBe(2);
    expect(await lookOf(arn)).toEqual(before);
    expect(before.listeners).toEqual([]);
    for (const action of ['CreateListener', 'ModifyLoadBalancerAttributes', 'AddTags', 'SetSecurityGroups'])
      expect([action, writes(action)]).toEqual([action, 0]);
    const errors = await h.deps.state.errors.list(CLUSTER);
    expect(errors).toEqual([
      expect.objectContaining({
        kind: 'Service',
        namespace: 'shop',
        name: 'web',
        field: `metadata.annotations["${NAME_ANNOTATION}"]`,
        message: expect.stringContaining("load balancer 'theirs-nlb' exists and is not owned by this stack"),
      }),
    ]);
    expect(await h.deps.state.status.list(CLUSTER)).toEqual([]);
  });

  it('an Ingress naming an untagged ALB with other settings gets DuplicateLoadBalancerName: the same refusal on the Ingress', async () => {
    const made = await h.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: 'theirs-alb',
        Type: 'application',
        Scheme: 'internal',
        Subnets: PRIVATE,
      }),
    );
    const arn = made.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    const before = await lookOf(arn);
    await h.deliver(
      changeEvent('Service', {
        metadata: { name: 'web', namespace: 'shop' },
        spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      }),
    );
    await h.deliver(
      changeEvent(
        'Ingress',
        ingress({ 'alb.ingress.kubernetes.io/load-balancer-name': 'theirs-alb' }),
        'create',
      ),
    );

    expect(await lookOf(arn)).toEqual(before);
    expect(writes('CreateListener')).toBe(0);
    expect(writes('CreateRule')).toBe(0);
    const errors = await h.deps.state.errors.list(CLUSTER);
    expect(errors).toEqual([
      expect.objectContaining({
        kind: 'Ingress',
        namespace: 'shop',
        name: 'front',
        field: 'metadata.annotations["alb.ingress.kubernetes.io/load-balancer-name"]',
        message: expect.stringMatching(
          /load balancer 'theirs-alb' exists and is not owned by this stack \(a resource of that name exists with other settings\)/,
        ),
      }),
    ]);
  });

  it('a target group someone made under the name slbc computes is refused, never modified nor bound', async () => {
    // the name and settings slbc would create, from a dry run of the same pass
    const dry = await processEvent(
      { ...h.deps, planOnly: true },
      changeEvent('Service', service(), 'create'),
    );
    const plan = Object.values(dry.passes)[0]?.plan;
    const planned = plan?.changes.find((change) => change.op === 'createTargetGroup');
    if (planned?.op !== 'createTargetGroup') throw new Error('the dry run planned no target group');
    const spec = planned.spec;
    const theirs = await h.elbv2.send(
      new CreateTargetGroupCommand({
        Name: spec.name,
        Protocol: spec.protocol,
        Port: spec.port,
        VpcId: planned.vpcId,
        TargetType: spec.targetType,
        IpAddressType: spec.ipAddressType,
        ...toSdkHealthCheck(spec.healthCheckConfig),
      }),
    );
    const arn = theirs.TargetGroups?.[0]?.TargetGroupArn ?? '';
    const attributesBefore = (
      await h.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }))
    ).Attributes;

    await h.deliver(changeEvent('Service', service(), 'create'));

    expect(writes('CreateTargetGroup')).toBe(2);
    for (const action of [
      'ModifyTargetGroupAttributes',
      'ModifyTargetGroup',
      'CreateLoadBalancer',
      'AddTags',
    ])
      expect([action, writes(action)]).toEqual([action, 0]);
    expect(
      (await h.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }))).Attributes,
    ).toEqual(attributesBefore);
    expect(await h.deps.state.bindings.get(arn)).toBeUndefined();
    expect(h.published).toEqual([]);
    expect(await h.deps.state.errors.list(CLUSTER)).toEqual([
      expect.objectContaining({
        kind: 'Service',
        namespace: 'shop',
        name: 'web',
        message: expect.stringContaining(
          `Service shop/web: target group '${spec.name}' exists and is not owned`,
        ),
      }),
    ]);
  });
});
