/**
 * Local SQS through the real SDK client (JSON 1.0 with awsQuery-compatible errors). The clock is
 * virtual: delays, visibility timeouts and long polls move only when the test advances it.
 * Rules cited are from the Amazon SQS API Reference.
 */
import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/index.js';
import { rejection, useLocalAws } from './harness.js';

const clock = virtualClock();
const local = useLocalAws({ clock });
let sqs: SQSClient;
let queueSeq = 0;

beforeAll(() => {
  sqs = new SQSClient(local.config);
});

async function newQueue(attributes: Record<string, string> = {}): Promise<string> {
  const out = await sqs.send(
    new CreateQueueCommand({ QueueName: `q-${++queueSeq}`, Attributes: attributes }),
  );
  return out.QueueUrl!;
}

async function receive(QueueUrl: string, extra: Record<string, number> = {}) {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
      ...extra,
    }),
  );
  return out.Messages ?? [];
}

/** waits (wall time) until the endpoint has counted `n` calls of `action` */
async function untilCounted(action: string, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((local.aws.counters.snapshot().byAction[`sqs:${action}`] ?? 0) >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`${action} never reached the endpoint ${n} times`);
}

describe('local SQS: queues', () => {
  it('CreateQueue is idempotent for equal attributes and answers the queue URL on this endpoint', async () => {
    const url = await newQueue({ VisibilityTimeout: '5' });
    expect(url).toBe(`${local.aws.url}/000000000000/q-${queueSeq}`);
    const again = await sqs.send(
      new CreateQueueCommand({ QueueName: `q-${queueSeq}`, Attributes: { VisibilityTimeout: '5' } }),
    );
    expect(again.QueueUrl).toBe(url);
    // "If you provide the name of an existing queue along with ... attribute values that differ
    // from those of the existing queue, CreateQueue returns an error" (QueueAlreadyExists)
    const clash = await rejection(
      sqs.send(
        new CreateQueueCommand({ QueueName: `q-${queueSeq}`, Attributes: { VisibilityTimeout: '6' } }),
      ),
    );
    expect(clash.name).toBe('QueueNameExists');
    expect(clash['Code']).toBe('QueueAlreadyExists');
  });

  it('an unknown queue is QueueDoesNotExist (AWS.SimpleQueueService.NonExistentQueue)', async () => {
    const error = await rejection(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error['Code']).toBe('AWS.SimpleQueueService.NonExistentQueue');
    const send = await rejection(
      sqs.send(new SendMessageCommand({ QueueUrl: `${local.aws.url}/000000000000/nope`, MessageBody: 'x' })),
    );
    expect(send).toBeInstanceOf(QueueDoesNotExist);
  });

  it.each([
    // CreateQueue: DelaySeconds 0 to 900, VisibilityTimeout 0 to 43,200, MessageRetentionPeriod 60 to 1,209,600
    { name: 'DelaySeconds over 900', attributes: { DelaySeconds: '901' }, code: 'InvalidAttributeValue' },
    {
      name: 'VisibilityTimeout over 12 h',
      attributes: { VisibilityTimeout: '43201' },
      code: 'InvalidAttributeValue',
    },
    {
      name: 'retention under 60 s',
      attributes: { MessageRetentionPeriod: '59' },
      code: 'InvalidAttributeValue',
    },
    { name: 'an unknown attribute', attributes: { Colour: 'blue' }, code: 'InvalidAttributeName' },
    {
      name: 'a redrive to a queue that does not exist',
      attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:000000000000:none',
          maxReceiveCount: 3,
        }),
      },
      code: 'InvalidAttributeValue',
    },
  ])('CreateQueue refuses $name with $code naming the attribute', async ({ attributes, code }) => {
    const error = await rejection(
      sqs.send(new CreateQueueCommand({ QueueName: 'bad', Attributes: attributes })),
    );
    expect(error['Code']).toBe(code);
    expect(error.message).toContain(Object.keys(attributes)[0]!);
  });

  it('GetQueueAttributes counts visible, in-flight and delayed messages; ListQueues filters by prefix', async () => {
    const url = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'c', DelaySeconds: 60 }));
    await receive(url, { MaxNumberOfMessages: 1 });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
      ApproximateNumberOfMessagesDelayed: '1',
      VisibilityTimeout: '30',
      QueueArn: `arn:aws:sqs:eu-west-1:000000000000:q-${queueSeq}`,
    });
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `q-${queueSeq}` }));
    expect(listed.QueueUrls).toEqual([url]);
  });

  it('DeleteQueue frees the name only after 60 seconds (QueueDeletedRecently)', async () => {
    const url = await newQueue();
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    const name = `q-${queueSeq}`;
    const early = await rejection(sqs.send(new CreateQueueCommand({ QueueName: name })));
    expect(early['Code']).toBe('AWS.SimpleQueueService.QueueDeletedRecently');
    clock.advance(60_000);
    expect((await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl).toBe(url);
  });
});

describe('local SQS: messages on the endpoint clock', () => {
  it('SendMessage answers the body MD5 and a message is hidden for its DelaySeconds', async () => {
    const url = await newQueue();
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 30 }),
    );
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('later').digest('hex'));
    expect(await receive(url)).toEqual([]);
    clock.advance(29_999);
    expect(await receive(url)).toEqual([]);
    clock.advance(1);
    const [message] = await receive(url);
    expect(message).toMatchObject({ Body: 'later', MessageId: sent.MessageId });
  });

  it('a message not deleted comes back after the visibility timeout with ApproximateReceiveCount 2', async () => {
    const url = await newQueue({ VisibilityTimeout: '10' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'retry me' }));
    const [first] = await receive(url);
    expect(first?.Attributes?.ApproximateReceiveCount).toBe('1');
    clock.advance(9_000);
    expect(await receive(url)).toEqual([]);
    clock.advance(1_000);
    const [second] = await receive(url);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe('2');
    // only the latest receipt handle deletes the message
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle! }));
    clock.advance(10_000);
    const [third] = await receive(url);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third!.ReceiptHandle! }));
    clock.advance(10_000);
    expect(await receive(url)).toEqual([]);
  });

  it('ChangeMessageVisibility 0 makes an in-flight message visible at once; a deleted one is MessageNotInflight', async () => {
    const url = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const [message] = await receive(url);
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: message!.ReceiptHandle!,
        VisibilityTimeout: 0,
      }),
    );
    const [again] = await receive(url);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again!.ReceiptHandle! }));
    const error = await rejection(
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: again!.ReceiptHandle!,
          VisibilityTimeout: 5,
        }),
      ),
    );
    expect(error['Code']).toBe('AWS.SimpleQueueService.MessageNotInflight');
    const invalid = await rejection(
      sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })),
    );
    expect(invalid.name).toBe('ReceiptHandleIsInvalid');
  });

  it('WaitTimeSeconds: a long poll answers when a message arrives, or empty once the wait is over on the clock', async () => {
    const url = await newQueue();
    const before = local.aws.counters.snapshot().byAction['sqs:ReceiveMessage'] ?? 0;
    const waiting = receive(url, { WaitTimeSeconds: 20 });
    await untilCounted('ReceiveMessage', before + 1);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    expect((await waiting).map((m) => m.Body)).toEqual(['wake up']);

    const empty = receive(url, { WaitTimeSeconds: 5 });
    await untilCounted('ReceiveMessage', before + 2);
    clock.advance(5_000);
    expect(await empty).toEqual([]);
  });

  it.each([
    { name: 'MaxNumberOfMessages 11', input: { MaxNumberOfMessages: 11 } },
    { name: 'MaxNumberOfMessages 0', input: { MaxNumberOfMessages: 0 } },
    { name: 'WaitTimeSeconds 21', input: { WaitTimeSeconds: 21 } },
    { name: 'VisibilityTimeout 43201', input: { VisibilityTimeout: 43_201 } },
  ])('ReceiveMessage refuses $name (InvalidParameterValue naming it)', async ({ input }) => {
    const url = await newQueue();
    const error = await rejection(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, ...input })));
    expect(error['Code']).toBe('InvalidParameterValue');
    expect(error.message).toContain(Object.keys(input)[0]!);
  });

  it('SendMessage refuses DelaySeconds over 900 and a body with characters outside the allowed set', async () => {
    const url = await newQueue();
    const delay = await rejection(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })),
    );
    expect(delay['Code']).toBe('InvalidParameterValue');
    const body = await rejection(
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bell \u0007' })),
    );
    expect(body.name).toBe('InvalidMessageContents');
  });

  it('PurgeQueue deletes every message and refuses a second purge within 60 seconds', async () => {
    const url = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(await receive(url)).toEqual([]);
    const error = await rejection(sqs.send(new PurgeQueueCommand({ QueueUrl: url })));
    expect(error['Code']).toBe('AWS.SimpleQueueService.PurgeQueueInProgress');
  });
});

describe('local SQS: batches', () => {
  const entries = (n: number, body = 'x') =>
    Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: body }));

  it('SendMessageBatch takes 10 entries and reports each; DeleteMessageBatch deletes them', async () => {
    const url = await newQueue();
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10) }));
    expect(sent.Successful?.map((s) => s.Id)).toEqual(entries(10).map((e) => e.Id));
    const messages = await receive(url);
    expect(messages).toHaveLength(10);
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    expect(deleted.Successful).toHaveLength(10);
    clock.advance(30_000);
    expect(await receive(url)).toEqual([]);
  });

  it('an entry that fails alone lands in Failed while the others are sent', async () => {
    const url = await newQueue();
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', MessageBody: 'fine' },
          { Id: 'late', MessageBody: 'too late', DelaySeconds: 901 },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['ok']);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'late', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
  });

  it.each([
    // "up to 10 messages"; Ids distinct; "the maximum total payload size ... 1 MiB (1,048,576 bytes)"
    { name: '11 entries', batch: entries(11), code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest' },
    { name: 'no entries', batch: [], code: 'AWS.SimpleQueueService.EmptyBatchRequest' },
    {
      name: 'a repeated Id',
      batch: [
        { Id: 'same', MessageBody: 'a' },
        { Id: 'same', MessageBody: 'b' },
      ],
      code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    },
    {
      name: 'a bad Id',
      batch: [{ Id: 'no spaces', MessageBody: 'a' }],
      code: 'AWS.SimpleQueueService.InvalidBatchEntryId',
    },
    {
      name: 'over 1 MiB in total',
      batch: entries(2, 'x'.repeat(600_000)),
      code: 'AWS.SimpleQueueService.BatchRequestTooLong',
    },
  ])('SendMessageBatch with $name fails as a whole: $code', async ({ batch, code }) => {
    const url = await newQueue();
    const error = await rejection(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: batch })));
    expect(error['Code']).toBe(code);
    expect(await receive(url)).toEqual([]);
  });
});

describe('local SQS: dead-letter redrive', () => {
  it('after maxReceiveCount receives, the next receive moves the message to the dead-letter queue', async () => {
    const dlq = await newQueue();
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }),
    );
    const url = await newQueue({
      VisibilityTimeout: '10',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 2 }),
    });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (const count of ['1', '2']) {
      const [message] = await receive(url);
      expect(message?.Attributes?.ApproximateReceiveCount).toBe(count);
      clock.advance(10_000);
    }
    expect(await receive(url)).toEqual([]);
    const [dead] = await receive(dlq);
    expect(dead).toMatchObject({ MessageId: sent.MessageId, Body: 'poison' });
  });
});

describe('local SQS: faults', () => {
  it('a throttled call is retried by the SDK as throttling; without retries it surfaces ThrottlingException', async () => {
    const url = await newQueue();
    local.aws.faults.add({ match: 'sqs:SendMessage', failNext: 1 });
    const retrying = new SQSClient({ ...local.config, maxAttempts: 3 });
    const sent = await retrying.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after a retry' }));
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('after a retry').digest('hex'));
    local.aws.faults.add({ match: 'sqs:SendMessage', failNext: 1 });
    const error = await rejection(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })));
    expect(error.name).toBe('ThrottlingException');
  });
});
