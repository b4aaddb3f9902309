import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeArchiveCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../../functions/ingest/handler.js';
import { type LocalAws, startLocalAws } from '../../../infra/local/aws/index.js';
import {
  createEventPublisher,
  eventBridgeSender,
  type PutEventsSender,
} from '../../../shared/aws/event-publisher.js';
import { RetryableError } from '../../../shared/errors.js';
import { ingestSubscriptionEvent } from '../../../shared/events/audit-ingest.js';
import { CLUSTER_SOURCE, type ClusterChangeDetail } from '../../../shared/events/contract.js';
import { auditEvent, CLUSTER, fixture, lambdaEvent } from '../../unit/ingest/support.js';

/**
 * The ingest handler against the local AWS endpoint: real SDK client, real PutEvents wire
 * protocol, a rule that delivers to an in-process Lambda and an archive on the bus.
 */

interface Delivered {
  'detail-type': string;
  source: string;
  detail: ClusterChangeDetail;
}

const context = {
  functionName: 'slbc-it-ingest',
  awsRequestId: 'it-1',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

const SAMPLES = [
  '01-pod-status-patch-eks-real-oomkilled.json',
  '02-pod-status-patch-podip-ready-eks-reconstructed.json',
  '03-pod-create-replicaset-controller-reconstructed.json',
  '04a-pod-delete-graceful-reconstructed.json',
  '04b-pod-delete-final-by-kubelet-reconstructed.json',
  '05-ingress-patch-kubectl-reconstructed.json',
  '06-endpointslice-update-metadata-only-reconstructed.json',
  '07-endpoints-update-requestresponse-reconstructed.json',
];

describe('ingest against the local AWS endpoint', () => {
  let aws: LocalAws;
  let client: EventBridgeClient;
  const delivered = new Map<string, Delivered[]>();

  /** A bus with a rule for everything ingest sends, delivering to a recording Lambda, and an archive. */
  async function bus(name: string): Promise<void> {
    await client.send(new CreateEventBusCommand({ Name: name }));
    const busArn = `arn:aws:events:${aws.region}:${aws.topology.account}:event-bus/${name}`;
    await client.send(new CreateArchiveCommand({ ArchiveName: `${name}-archive`, EventSourceArn: busArn }));
    await client.send(
      new PutRuleCommand({
        Name: 'cluster',
        EventBusName: name,
        EventPattern: JSON.stringify({ source: [CLUSTER_SOURCE] }),
      }),
    );
    const lambdaArn = `arn:aws:lambda:${aws.region}:${aws.topology.account}:function:${name}-sink`;
    await client.send(
      new PutTargetsCommand({
        Rule: 'cluster',
        EventBusName: name,
        Targets: [{ Id: 'sink', Arn: lambdaArn }],
      }),
    );
    delivered.set(name, []);
    aws.services.events.registerLambda(`${name}-sink`, async (event) => {
      delivered.get(name)?.push(event as Delivered);
    });
  }

  function handlerFor(busName: string, sender: PutEventsSender = eventBridgeSender(() => client)) {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const metrics = new Metrics({ namespace: 'it' });
    vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    return createHandler({
      config: { clusters: [CLUSTER] },
      publisher: createEventPublisher({ sender, busName, sleep: async () => {} }),
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics,
    });
  }

  const archived = async (busName: string) =>
    (await client.send(new DescribeArchiveCommand({ ArchiveName: `${busName}-archive` }))).EventCount;

  beforeAll(async () => {
    aws = await startLocalAws({ port: 0, eventBridge: { baseRetryDelayMs: 1, maxRetryDelayMs: 1 } });
    client = new EventBridgeClient({
      region: aws.region,
      endpoint: aws.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 3,
    });
  });
  afterAll(async () => {
    await aws?.stop();
  });

  it('delivers every kept sample once, with the detail-type and detail the pure pipeline gives', async () => {
    // Prepare
    await bus('slbc-it');
    const event = lambdaEvent(SAMPLES.map(fixture));
    const expected = ingestSubscriptionEvent(event, { clusters: [CLUSTER] }).entries;
    // Act
    const summary = await handlerFor('slbc-it')(event, context);
    await aws.services.events.drain();
    // Assess
    expect(summary).toMatchObject({ linesIn: 8, kept: 7, published: 7 });
    const received = delivered.get('slbc-it') ?? [];
    const byAuditId = (items: { auditId: string }[]) => items.map((detail) => detail.auditId).sort();
    expect(byAuditId(received.map((item) => item.detail))).toEqual(
      byAuditId(expected.map((entry) => JSON.parse(entry.detail))),
    );
    for (const entry of expected) {
      const detail = JSON.parse(entry.detail) as ClusterChangeDetail;
      const match = received.find((item) => item.detail.auditId === detail.auditId);
      expect(match?.['detail-type']).toBe(entry.detailType);
      expect(match?.source).toBe(CLUSTER_SOURCE);
      expect(match?.detail).toEqual(detail);
    }
    expect(await archived('slbc-it')).toBe(7);
  });

  it('retries entries PutEvents reports as failed and publishes nothing twice', async () => {
    // Prepare: on the first call, entries 2 and 5 go to a bus that does not exist, so the
    // endpoint fails them alone (FailedEntryCount 2, ResourceNotFoundException)
    await bus('slbc-retry');
    const real = eventBridgeSender(() => client);
    const failedCodes: string[] = [];
    let call = 0;
    const sender: PutEventsSender = {
      async putEvents(entries) {
        call += 1;
        const sent =
          call === 1
            ? entries.map((entry, i) => (i === 2 || i === 5 ? { ...entry, EventBusName: 'gone' } : entry))
            : entries;
        const output = await real.putEvents(sent);
        for (const result of output.Entries ?? []) if (result.ErrorCode) failedCodes.push(result.ErrorCode);
        return output;
      },
    };
    const lines = Array.from({ length: 12 }, (_, n) =>
      auditEvent({
        auditID: `retry-${n}`,
        objectRef: { resource: 'services', namespace: 'default', name: `svc-${n}` },
      }),
    );
    // Act
    const summary = await handlerFor('slbc-retry', sender)(lambdaEvent([...lines, lines[0]]), context);
    await aws.services.events.drain();
    // Assess
    expect(failedCodes).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException']);
    expect(summary).toMatchObject({ kept: 12, published: 12 });
    const auditIds = (delivered.get('slbc-retry') ?? []).map((item) => item.detail.auditId).sort();
    expect(auditIds).toEqual(lines.map((line) => line['auditID']).sort());
    expect(await archived('slbc-retry')).toBe(12);
  });

  it('rides out a throttled PutEvents call (the SDK retries it) without duplicates', async () => {
    await bus('slbc-throttle');
    const rule = aws.faults.add({ match: 'events:PutEvents', failNext: 1 });
    try {
      const lines = Array.from({ length: 3 }, (_, n) => auditEvent({ auditID: `throttle-${n}` }));
      await handlerFor('slbc-throttle')(lambdaEvent(lines), context);
      await aws.services.events.drain();
      expect((delivered.get('slbc-throttle') ?? []).map((item) => item.detail.auditId).sort()).toEqual([
        'throttle-0',
        'throttle-1',
        'throttle-2',
      ]);
    } finally {
      aws.faults.remove(rule);
    }
  });

  it('fails the invocation with RetryableError when entries keep failing', async () => {
    // the bus does not exist: every entry fails every attempt
    const handler = handlerFor('slbc-missing');
    const failure = handler(lambdaEvent([auditEvent()]), context);
    await expect(failure).rejects.toThrow(RetryableError);
    await expect(failure).rejects.toThrow(
      /1 of 1 events not published .* first error ResourceNotFoundException/,
    );
  });
});
