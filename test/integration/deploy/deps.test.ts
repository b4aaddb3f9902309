import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeps as stacksDeps } from '../../../functions/stacks/deps.js';
import { defaultDeps as targetsDeps } from '../../../functions/targets/deps.js';
import { type LocalAws, startLocalAws } from '../../../infra/local/aws/index.js';
import { defaultTopology } from '../../../infra/local/aws/topology.js';

/**
 * The production wiring of stacks and targets (functions/<name>/deps.ts) on its first calls, as
 * a cold Lambda would make them: every port whose adapter and SDK client are imported on first
 * use (EC2, WAFv2, Shield, EKS, EventBridge, SQS) loads and answers through the real SDK, here
 * against the local AWS endpoint the SDK reaches through AWS_ENDPOINT_URL.
 */

const CLUSTER = 'demo';
const topology = defaultTopology();
const VPC = topology.vpc.id;
// an API endpoint to sign a token for; nothing connects to it
topology.clusters[0] = {
  ...topology.clusters[0]!,
  endpoint: 'https://127.0.0.1:1',
  certificateAuthority: 'Q0E=',
};

let aws: LocalAws;
let queueUrl: string;
const saved = { ...process.env };

beforeAll(async () => {
  aws = await startLocalAws({ port: 0, topology });
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const sqs = new SQSClient({ endpoint: aws.url, region: aws.region, credentials });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'slbc-deps-recheck' }))).QueueUrl!;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: aws.url,
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    SLBC_CLUSTERS: CLUSTER,
    SLBC_BUS_NAME: 'default',
    SLBC_TABLE_NAME: 'slbc-deps-test',
    SLBC_RECHECK_QUEUE_URL: queueUrl,
  });
});

afterAll(async () => {
  process.env = saved;
  await aws?.stop();
});

describe('stacks: the ports loaded on first call answer', () => {
  it("EKS: the cluster's VPC, then EC2: its CIDRs and subnets", async () => {
    const deps = stacksDeps();
    expect(await deps.clusterVpc(CLUSTER)).toBe(VPC);
    expect(await deps.ec2.vpcCidrs(VPC)).toContain(topology.vpc.cidr);
    const subnets = await deps.ec2.subnets(VPC);
    expect(subnets.length).toBeGreaterThan(0);
  });

  it('Shield: the subscription state; WAFv2: the web ACL of an unknown load balancer', async () => {
    const deps = stacksDeps();
    // the local endpoint answers GetSubscriptionState ACTIVE
    expect(await deps.addons!.shieldSubscribed()).toBe(true);
    const arn = `arn:aws:elasticloadbalancing:${aws.region}:000000000000:loadbalancer/app/none/0123456789abcdef`;
    // the local WAFv2 knows no such load balancer: its answer, translated, proves the call went out
    await expect(deps.addons!.webAclFor(arn)).rejects.toThrow(
      /^GetWebACLForResource arn:.*WAFNonexistentItem/,
    );
  });

  it('EventBridge: publishes on the bus', async () => {
    const deps = stacksDeps();
    const result = await deps.publisher.publish([
      { source: 'slbc.internal', detailType: 'Reconcile Requested', detail: '{"cluster":"demo"}' },
    ]);
    expect(result).toMatchObject({ published: 1, calls: 1 });
  });

  it("the Kubernetes API: signs a token for the cluster's endpoint", async () => {
    const deps = stacksDeps();
    // the status writer goes through it: DescribeCluster and the token done, the PATCH is sent
    // to an endpoint nothing listens on
    await expect(
      deps.statusWriter!.setHostname(
        CLUSTER,
        { kind: 'Service', namespace: 'a', name: 'b' },
        'x.example.com',
      ),
    ).rejects.toThrow(/^Kubernetes API PATCH \/api\/v1\/namespaces\/a\/services\/b\/status/);
  });
});

describe('targets: the ports loaded on first call answer', () => {
  it('SQS: sends the delayed re-check to the queue', async () => {
    const deps = targetsDeps();
    const message = { version: 1 as const, cluster: CLUSTER, targetGroupArn: 'arn:tg/a' };
    await deps.recheck!.send(message, 0);
    const sqs = new SQSClient({ endpoint: aws.url, region: aws.region });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(received.Messages?.map((m) => JSON.parse(m.Body!))).toEqual([message]);
  });

  it("EKS: the cluster's Kubernetes API for readiness gates", async () => {
    const deps = targetsDeps();
    const api = await deps.gates!.kubeApiFor(CLUSTER);
    expect(typeof api.patchPodConditions).toBe('function');
  });
});
