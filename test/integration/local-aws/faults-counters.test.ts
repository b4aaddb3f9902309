import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalAws } from '../../../infra/local/aws/index.js';
import { rejection, useLocalAws } from './harness.js';

const entry = { Source: 'slbc.test', DetailType: 'ping', Detail: '{}', EventBusName: 'default' };

describe('fault injection', () => {
  const local = useLocalAws();
  afterEach(() => local.aws.faults.clear());

  it.each([
    {
      name: 'EventBridge (JSON 1.1)',
      code: 'ThrottlingException',
      call: () => new EventBridgeClient(local.config).send(new PutEventsCommand({ Entries: [entry] })),
      match: 'events:PutEvents',
    },
    {
      name: 'STS (awsQuery)',
      code: 'Throttling',
      call: () => new STSClient(local.config).send(new GetCallerIdentityCommand({})),
      match: 'sts:*',
    },
    {
      name: 'ELBv2 (awsQuery)',
      code: 'Throttling',
      call: () => new ElasticLoadBalancingV2Client(local.config).send(new DescribeTargetGroupsCommand({})),
      match: 'elbv2:Describe*',
    },
    {
      name: 'EC2 (EC2 query)',
      code: 'RequestLimitExceeded',
      call: () => new EC2Client(local.config).send(new DescribeVpcsCommand({})),
      match: 'ec2:DescribeVpcs',
    },
  ])('throttles $name with its protocol code $code', async ({ call, match, code }) => {
    local.aws.faults.add({ match, throttleRate: 1 });
    const error = await rejection(call());
    expect(error.name).toBe(code);
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
  });

  it('fails exactly the next N calls, which the SDK retries as throttling', async () => {
    local.aws.faults.add({ match: 'events:PutEvents', failNext: 2 });
    const client = new EventBridgeClient({ ...local.config, maxAttempts: 3 });
    const result = await client.send(new PutEventsCommand({ Entries: [entry] }));
    expect(result.FailedEntryCount).toBe(0);
    expect(result.$metadata.attempts).toBe(3);
    expect(local.aws.faults.list()).toEqual([]);
  });

  it('answers a fixed error code and status', async () => {
    local.aws.faults.add({
      match: 'ec2:*',
      errorCode: 'InternalError',
      errorStatus: 500,
      errorMessage: 'boom',
    });
    const error = await rejection(new EC2Client(local.config).send(new DescribeVpcsCommand({})));
    expect(error.name).toBe('InternalError');
    expect(error.message).toBe('boom');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(500);
  });

  it('adds latency to matching calls only', async () => {
    local.aws.faults.add({ match: 'sts:GetCallerIdentity', latencyMs: 150 });
    const sts = new STSClient(local.config);
    const started = performance.now();
    await sts.send(new GetCallerIdentityCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('takes rules over HTTP and validates them', async () => {
    const post = (body: string) => fetch(`${local.aws.url}/_local/faults`, { method: 'POST', body });
    const bad = await post(JSON.stringify({ match: 'no-colon', throttleRate: 2 }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/match.*service:Action.*throttleRate/s);
    const good = await post(JSON.stringify({ rules: [{ match: 'sts:*', failNext: 1 }], seed: 7 }));
    expect(good.status).toBe(200);
    const listed = await (await fetch(`${local.aws.url}/_local/faults`)).json();
    expect(listed).toMatchObject({ rules: [{ match: 'sts:*', failNext: 1, remaining: 1 }] });
    const error = await rejection(new STSClient(local.config).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('Throttling');
    await post(JSON.stringify({ match: 'sts:*', throttleRate: 1 }));
    expect((await fetch(`${local.aws.url}/_local/faults`, { method: 'DELETE' })).status).toBe(200);
    await new STSClient(local.config).send(new GetCallerIdentityCommand({}));
  });
});

describe('counters and inspection', () => {
  const local = useLocalAws();

  it('counts calls per service and action, and mutating ELBv2 calls apart', async () => {
    local.aws.counters.reset();
    const elbv2 = new ElasticLoadBalancingV2Client(local.config);
    await elbv2.send(
      new CreateTargetGroupCommand({
        Name: 'tg-count',
        Protocol: 'HTTP',
        Port: 80,
        VpcId: 'vpc-0local00000000001',
        TargetType: 'ip',
      }),
    );
    await elbv2.send(new DescribeTargetGroupsCommand({}));
    await elbv2.send(new DescribeTargetGroupsCommand({}));
    await new EC2Client(local.config).send(new DescribeVpcsCommand({}));
    expect(local.aws.counters.snapshot()).toEqual({
      total: 4,
      byService: { elbv2: 3, ec2: 1 },
      byAction: { 'elbv2:CreateTargetGroup': 1, 'elbv2:DescribeTargetGroups': 2, 'ec2:DescribeVpcs': 1 },
      elbv2Mutations: 1,
    });
    const overHttp = await (await fetch(`${local.aws.url}/_local/counters`)).json();
    expect(overHttp).toMatchObject({ total: 4, elbv2Mutations: 1 });
    expect((await fetch(`${local.aws.url}/_local/counters/reset`, { method: 'POST' })).status).toBe(200);
    expect(local.aws.counters.snapshot().total).toBe(0);
  });

  it('serves health and a state dump of every service', async () => {
    const health = await (await fetch(`${local.aws.url}/_local/health`)).json();
    expect(health).toEqual({
      status: 'ok',
      services: expect.arrayContaining(['ec2', 'elbv2', 'events', 'sts', 'eks', 'dynamodb']),
    });
    const state = (await (await fetch(`${local.aws.url}/_local/state`)).json()) as Record<string, unknown>;
    expect(Object.keys(state)).toEqual(
      expect.arrayContaining(['ec2', 'elbv2', 'events', 'eks', 'counters', 'faults']),
    );
    expect(state['ec2']).toMatchObject({ vpc: { id: 'vpc-0local00000000001' } });
    expect(local.aws.dump()).toMatchObject({ eks: [expect.objectContaining({ name: 'demo' })] });
  });

  it('fails to start on a port in use, naming the address', async () => {
    const error = await rejection(startLocalAws({ port: local.aws.port }));
    expect(error.message).toContain(`cannot listen on 127.0.0.1:${local.aws.port}`);
    expect(error.message).toContain('EADDRINUSE');
  });

  it('answers an unknown local API path with 404 JSON', async () => {
    const response = await fetch(`${local.aws.url}/_local/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('GET /_local/nothing') });
  });
});
