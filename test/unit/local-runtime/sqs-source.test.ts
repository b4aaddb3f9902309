/**
 * The local SQS event source mapping against the in-process SQS service on a virtual clock.
 * The rules are Lambda's (Using Lambda with Amazon SQS): delete on success, leave the batch for
 * the visibility timeout on failure, partial batch responses with ReportBatchItemFailures.
 */
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { defaultTopology, virtualClock } from '../../../infra/local/aws/index.js';
import { createSqsService } from '../../../infra/local/aws/sqs/index.js';
import { SqsEventSource, type SqsEventSourceOptions } from '../../../infra/local/runtime/sqs-source.js';

const topology = defaultTopology();

function setup(attributes: Record<string, string> = {}) {
  const clock = virtualClock();
  const sqs = createSqsService({ account: topology.account, region: topology.region, topology, clock });
  const { QueueUrl } = sqs.handle('CreateQueue', {
    QueueName: 'recheck',
    Attributes: { VisibilityTimeout: '30', ...attributes },
  }) as { QueueUrl: string };
  const send = (body: string, DelaySeconds = 0) =>
    sqs.handle('SendMessage', { QueueUrl, MessageBody: body, DelaySeconds });
  const batches: string[][] = [];
  const source = (options: Partial<SqsEventSourceOptions> & Pick<SqsEventSourceOptions, 'invoke'>) =>
    new SqsEventSource({
      queue: sqs,
      queueUrl: QueueUrl,
      region: topology.region,
      maxConcurrency: 1,
      ...options,
    });
  const record = (event: SQSEvent) => batches.push(event.Records.map((r) => r.body));
  return { clock, sqs, QueueUrl, send, batches, source, record };
}

/** lets the queue's wake-ups (next tick) and the batches they start run to the end */
async function settle(source: SqsEventSource): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await source.idle();
  }
}

describe('SqsEventSource (Lambda event source mapping, local)', () => {
  it('invokes with batches of at most batchSize and deletes each batch that succeeds', async () => {
    const t = setup();
    for (let i = 0; i < 12; i++) t.send(`m${i}`);
    const source = t.source({ batchSize: 5, invoke: async (event) => t.record(event) });
    source.start();
    await settle(source);
    expect(t.batches.map((b) => b.length)).toEqual([5, 5, 2]);
    expect(t.batches.flat()).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`));
    expect(source.stats).toEqual({ batches: 3, failedBatches: 0, deleted: 12, retried: 0 });
    expect(t.sqs.counts(t.QueueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    await source.stop();
  });

  it('the event carries Lambda SQS record fields', async () => {
    const t = setup();
    t.send('hello');
    let event: SQSEvent | undefined;
    const source = t.source({ invoke: async (e) => (event = e) });
    source.start();
    await settle(source);
    expect(event?.Records[0]).toMatchObject({
      body: 'hello',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:recheck',
      awsRegion: 'eu-west-1',
      attributes: { ApproximateReceiveCount: '1' },
    });
    await source.stop();
  });

  it('a delayed message is invoked only once its delay has passed on the clock', async () => {
    const t = setup();
    t.send('later', 60);
    const source = t.source({ invoke: async (event) => t.record(event) });
    source.start();
    await settle(source);
    expect(t.batches).toEqual([]);
    t.clock.advance(60_000);
    await settle(source);
    expect(t.batches).toEqual([['later']]);
    await source.stop();
  });

  it('a failed batch is not deleted: it comes back after the visibility timeout with a higher receive count', async () => {
    const t = setup();
    t.send('flaky');
    const counts: string[] = [];
    let calls = 0;
    const failures: unknown[] = [];
    const source = t.source({
      invoke: async (event) => {
        counts.push(event.Records[0]!.attributes.ApproximateReceiveCount);
        if (++calls === 1) throw new Error('boom');
      },
      onBatchFailure: (error) => failures.push(error),
    });
    source.start();
    await settle(source);
    expect(counts).toEqual(['1']);
    expect(failures).toEqual([new Error('boom')]);
    t.clock.advance(29_999);
    await settle(source);
    expect(counts).toEqual(['1']);
    t.clock.advance(1);
    await settle(source);
    expect(counts).toEqual(['1', '2']);
    expect(source.stats).toEqual({ batches: 2, failedBatches: 1, deleted: 1, retried: 1 });
    await source.stop();
  });

  it('ReportBatchItemFailures keeps only the reported messages; an unknown identifier fails the whole batch', async () => {
    const t = setup();
    t.send('good');
    t.send('bad');
    let round = 0;
    const source = t.source({
      reportBatchItemFailures: true,
      invoke: async (event) => {
        round++;
        t.record(event);
        if (round === 1)
          return {
            batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({
              itemIdentifier: r.messageId,
            })),
          };
        if (round === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] };
        return {};
      },
    });
    source.start();
    await settle(source);
    t.clock.advance(30_000);
    await settle(source);
    t.clock.advance(30_000);
    await settle(source);
    expect(t.batches).toEqual([['good', 'bad'], ['bad'], ['bad']]);
    expect(source.stats).toEqual({ batches: 3, failedBatches: 1, deleted: 2, retried: 2 });
    await source.stop();
  });

  it('a message past maxReceiveCount goes to the dead-letter queue instead of the function', async () => {
    const t = setup();
    t.sqs.handle('CreateQueue', { QueueName: 'recheck-dlq' });
    const dlqArn = 'arn:aws:sqs:eu-west-1:000000000000:recheck-dlq';
    t.sqs.handle('SetQueueAttributes', {
      QueueUrl: t.QueueUrl,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) },
    });
    t.send('poison');
    const source = t.source({
      invoke: async (event) => {
        t.record(event);
        throw new Error('always');
      },
    });
    source.start();
    for (let i = 0; i < 3; i++) {
      await settle(source);
      t.clock.advance(30_000);
    }
    await settle(source);
    expect(t.batches).toEqual([['poison'], ['poison']]);
    const dlqUrl = t.QueueUrl.replace('recheck', 'recheck-dlq');
    expect(t.sqs.poll(dlqUrl, 10).map((m) => m.Body)).toEqual(['poison']);
    await source.stop();
  });

  it.each([
    { name: 'batchSize 0', options: { batchSize: 0 }, message: /batchSize must be 1 to 10, got 0/ },
    { name: 'batchSize 11', options: { batchSize: 11 }, message: /batchSize must be 1 to 10, got 11/ },
    {
      name: 'maxConcurrency 0',
      options: { maxConcurrency: 0 },
      message: /maxConcurrency must be a positive integer/,
    },
  ])('refuses $name, naming the queue', ({ options, message }) => {
    const t = setup();
    expect(() => t.source({ invoke: async () => undefined, ...options })).toThrow(message);
    expect(() => t.source({ invoke: async () => undefined, ...options })).toThrow(/recheck/);
  });
});
