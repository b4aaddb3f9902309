import { gzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createHandler, INGEST_METRICS } from '../../../functions/ingest/handler.js';
import type { BusEntry, EventPublisher } from '../../../shared/aws/event-publisher.js';
import { InvalidInputError, RetryableError } from '../../../shared/errors.js';
import { auditEvent, CLUSTER, fixture, lambdaEvent } from './support.js';

const context = {
  functionName: 'slbc-test-ingest',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:slbc-test-ingest',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

function setup(
  publish: EventPublisher['publish'] = async (entries) => ({
    published: entries.length,
    calls: 1,
    retried: 0,
  }),
) {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  const metrics = new Metrics({ namespace: 'test', serviceName: 'test' });
  const added = new Map<string, number>();
  vi.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
    added.set(name, (added.get(name) ?? 0) + value);
    return metrics;
  });
  vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
  const warnings = vi.spyOn(logger, 'warn');
  const errors = vi.spyOn(logger, 'error');
  const published: BusEntry[][] = [];
  const publisher: EventPublisher = {
    publish: async (entries) => {
      published.push([...entries]);
      return publish(entries);
    },
  };
  const handler = createHandler({ config: { clusters: [CLUSTER] }, publisher, logger, metrics });
  return { handler, added, warnings, errors, published };
}

describe('ingest handler', () => {
  it('publishes the kept changes and records the line counts', async () => {
    // Prepare
    const { handler, added, published } = setup();
    const event = lambdaEvent([
      fixture('03-pod-create-replicaset-controller-reconstructed.json'),
      fixture('02-pod-status-patch-podip-ready-eks-reconstructed.json'),
      auditEvent({ verb: 'get' }),
      'not json',
    ]);
    // Act
    const summary = await handler(event, context);
    // Assess
    expect(summary).toEqual({
      cluster: CLUSTER,
      linesIn: 4,
      kept: 2,
      published: 2,
      refused: 0,
      malformed: 1,
    });
    expect(published.map((batch) => batch.map((entry) => entry.detailType))).toEqual([
      ['Pod Changed', 'Pod Status Patched'],
    ]);
    expect(Object.fromEntries(added)).toEqual({
      [INGEST_METRICS.linesIn]: 4,
      [INGEST_METRICS.kept]: 2,
      [INGEST_METRICS.dropped]: 1,
      [INGEST_METRICS.refused]: 0,
      [INGEST_METRICS.malformed]: 1,
      [INGEST_METRICS.duplicates]: 0,
      [INGEST_METRICS.needsResync]: 0,
      [INGEST_METRICS.published]: 2,
      [INGEST_METRICS.retried]: 0,
    });
  });

  it('logs a malformed line with its log event ID', async () => {
    const { handler, warnings } = setup();
    const event = lambdaEvent([auditEvent({ apiVersion: 'audit.k8s.io/v2' })]);
    await handler(event, context);
    expect(warnings).toHaveBeenCalledWith(
      'malformed audit line skipped',
      expect.objectContaining({ logEventId: expect.stringMatching(/^\d+$/), field: 'apiVersion' }),
    );
  });

  it('refuses a payload from another cluster: counted and logged, nothing published, no throw', async () => {
    const { handler, added, errors, published } = setup();
    const summary = await handler(
      lambdaEvent([auditEvent()], { logGroup: '/aws/eks/prod-eu/cluster' }),
      context,
    );
    expect(summary).toMatchObject({ cluster: 'prod-eu', refused: 1, published: 0 });
    expect(published).toEqual([]);
    expect(added.get(INGEST_METRICS.refused)).toBe(1);
    expect(errors).toHaveBeenCalledWith(
      expect.stringMatching(/refused/),
      expect.objectContaining({ cluster: 'prod-eu' }),
    );
  });

  it('throws InvalidInputError on a corrupt payload, so Lambda retries and keeps it', async () => {
    const { handler, published } = setup();
    await expect(handler({ awslogs: { data: 'H4sI!!!!' } }, context)).rejects.toThrow(InvalidInputError);
    expect(published).toEqual([]);
  });

  it('fails the invocation when the publisher gives up', async () => {
    const { handler } = setup(async () => {
      throw new RetryableError('1 of 1 events not published; first error InternalFailure');
    });
    await expect(handler(lambdaEvent([auditEvent()]), context)).rejects.toThrow(RetryableError);
  });

  it('ignores and counts a genuine CONTROL_MESSAGE (its log event id is "")', async () => {
    const { handler, added, published, errors } = setup();
    // the shape CloudWatch Logs sends to check a destination: no log group or stream, id ""
    const control = {
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [
        {
          id: '',
          timestamp: 1_736_928_000_000,
          message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda function.',
        },
      ],
    };
    const event = { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(control))).toString('base64') } };
    const summary = await handler(event, context);
    expect(summary).toEqual({ linesIn: 0, kept: 0, published: 0, refused: 0, malformed: 0 });
    expect(published).toEqual([]);
    expect(added.get(INGEST_METRICS.controlMessages)).toBe(1);
    expect(added.get(INGEST_METRICS.linesIn)).toBeUndefined();
    expect(errors).not.toHaveBeenCalled();
  });

  it('a DATA_MESSAGE with an empty log event id still fails its schema, naming the field', async () => {
    const { handler } = setup();
    const data = {
      messageType: 'DATA_MESSAGE',
      owner: '000000000000',
      logGroup: `/aws/eks/${CLUSTER}/cluster`,
      logStream: 'kube-apiserver-audit-1',
      subscriptionFilters: ['slbc'],
      logEvents: [{ id: '', timestamp: 1, message: '{}' }],
    };
    const event = { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(data))).toString('base64') } };
    await expect(handler(event, context)).rejects.toThrow(/field logEvents\.0\.id/);
  });

  it('does not call the publisher for a CONTROL_MESSAGE', async () => {
    const { handler, published } = setup();
    const summary = await handler(lambdaEvent([], { messageType: 'CONTROL_MESSAGE' }), context);
    expect(summary).toEqual({ linesIn: 0, kept: 0, published: 0, refused: 0, malformed: 0 });
    expect(published).toEqual([]);
  });
});
