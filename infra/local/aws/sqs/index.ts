/**
 * The local endpoint's SQS (JSON 1.0, `X-Amz-Target: AmazonSQS.<Action>`): standard queues
 * with delays, visibility timeouts, long polling and dead-letter redrive, all on the endpoint's
 * clock. The in-process API (`poll`, `deleteMessage`, `onVisible`) lets the local runtime act
 * as Lambda's event source mapping. See docs/local-aws.md.
 */
import { AwsApiError } from '../api-error.js';
import type { ServiceContext } from '../context.js';
import type { LocalService } from '../service.js';
import { settingsAsAttributes } from './attributes.js';
import { batchEntries, batchTooLong, MAX_BATCH_BYTES, perEntry } from './batch.js';
import { invalidParameter, receiptHandleInvalid, sqsError } from './errors.js';
import {
  attributeBytes,
  type Input,
  integer,
  messageAttributes,
  messageBody,
  requiredString,
} from './input.js';
import { MAX_VISIBILITY_SECONDS, Queue, type ReceivedMessage } from './queue.js';
import { queueActions } from './queue-actions.js';
import { QueueRegistry } from './registry.js';

export type { ReceivedMessage } from './queue.js';

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface SqsService extends LocalService {
  readonly name: 'sqs';
  /** queue URLs name this scheme and authority; the server sets its own once it listens */
  setEndpointUrl(url: string): void;
  /** ReceiveMessage without waiting: up to `max` (1..10) visible messages, now */
  poll(queueUrl: string, max: number, visibilityTimeoutSeconds?: number): ReceivedMessage[];
  /** DeleteMessage: only the latest receipt handle of a message deletes it */
  deleteMessage(queueUrl: string, receiptHandle: string): void;
  /** calls `listener` on a later tick whenever a message of the queue becomes visible */
  onVisible(queueUrl: string, listener: () => void): () => void;
  queueArn(queueUrl: string): string;
  counts(queueUrl: string): QueueCounts;
  /** answers every waiting ReceiveMessage now (empty); later calls do not wait */
  endLongPolls(): void;
}

const MAX_RECEIVE = 10;
const MAX_WAIT_SECONDS = 20;

export function createSqsService(ctx: ServiceContext): SqsService {
  const { clock } = ctx;
  const registry = new QueueRegistry(ctx.account, ctx.region, clock);
  let stopped = false;

  const queueOf = (input: Input) => registry.byUrl(requiredString(input, 'QueueUrl'));

  const receive = (queue: Queue, max: number, visibility?: number) => {
    const seconds = visibility ?? queue.settings.visibilityTimeout;
    return queue.receive(max, seconds);
  };

  /** Long polling: waits on the clock until a message is visible or the wait is over. */
  const receiveWaiting = async (queue: Queue, max: number, visibility: number | undefined, wait: number) => {
    const deadline = clock.now() + wait * 1000;
    for (;;) {
      const messages = receive(queue, max, visibility);
      const left = deadline - clock.now();
      if (messages.length > 0 || left <= 0 || stopped || registry.byName(queue.name) !== queue)
        return messages;
      await new Promise<void>((resolve) => {
        const done = () => {
          cancelTimer();
          unsubscribe();
          resolve();
        };
        const cancelTimer = clock.setTimer(left, done);
        const unsubscribe = registry.onVisible(queue.name, done);
      });
    }
  };

  const send = (queue: Queue, entry: Input) => {
    const attributes = messageAttributes(entry['MessageAttributes']);
    const limit = queue.settings.maximumMessageSize - attributeBytes(attributes);
    const body = messageBody(entry['MessageBody'], limit);
    const delay = integer(entry, 'DelaySeconds', 0, 900, queue.settings.delaySeconds);
    const message = queue.send(body, delay, attributes);
    return { MessageId: message.id, MD5OfMessageBody: message.md5OfBody };
  };

  const handlers: Record<string, (input: Input) => unknown> = {
    ...queueActions(ctx, registry),
    SendMessage: (input) => send(queueOf(input), input),
    SendMessageBatch(input) {
      const queue = queueOf(input);
      const entries = batchEntries(input);
      let bytes = 0;
      for (const entry of entries)
        bytes +=
          Buffer.byteLength(String(entry['MessageBody'] ?? ''), 'utf8') +
          attributeBytes(entry['MessageAttributes'] as Record<string, unknown> | undefined);
      if (bytes > MAX_BATCH_BYTES) throw batchTooLong(bytes);
      return perEntry(entries, (entry) => ({ Id: entry['Id'] as string, ...send(queue, entry) }));
    },
    ReceiveMessage(input) {
      const queue = queueOf(input);
      const max = integer(input, 'MaxNumberOfMessages', 1, MAX_RECEIVE, 1);
      const visibility =
        input['VisibilityTimeout'] === undefined
          ? undefined
          : integer(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS, 0);
      const wait = integer(
        input,
        'WaitTimeSeconds',
        0,
        MAX_WAIT_SECONDS,
        queue.settings.receiveMessageWaitTimeSeconds,
      );
      if (wait === 0) return { Messages: receive(queue, max, visibility) };
      return receiveWaiting(queue, max, visibility, wait).then((Messages) => ({ Messages }));
    },
    DeleteMessage(input) {
      deleteByReceipt(queueOf(input), requiredString(input, 'ReceiptHandle'));
      return {};
    },
    DeleteMessageBatch(input) {
      const queue = queueOf(input);
      return perEntry(batchEntries(input), (entry) => {
        deleteByReceipt(queue, requiredString(entry, 'ReceiptHandle'));
        return { Id: entry['Id'] as string };
      });
    },
    ChangeMessageVisibility(input) {
      const queue = queueOf(input);
      const handle = requiredString(input, 'ReceiptHandle');
      const seconds = integer(input, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS, Number.NaN);
      if (Number.isNaN(seconds)) throw invalidParameter('VisibilityTimeout', undefined, 'is required');
      if (Queue.messageIdOf(handle) === undefined) throw receiptHandleInvalid(handle);
      const message = queue.byReceipt(handle);
      if (message === undefined || !queue.inFlight(message))
        throw sqsError(
          'MessageNotInflight',
          'AWS.SimpleQueueService.MessageNotInflight',
          'The message referred to is not in flight.',
        );
      const held = (clock.now() - (message.receivedAt ?? clock.now())) / 1000;
      if (held + seconds > MAX_VISIBILITY_SECONDS)
        throw invalidParameter(
          'VisibilityTimeout',
          seconds,
          'Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
        );
      queue.changeVisibility(message, seconds);
      return {};
    },
  };

  function deleteByReceipt(queue: Queue, handle: string): void {
    if (Queue.messageIdOf(handle) === undefined) throw receiptHandleInvalid(handle);
    // a stale handle (the message was received again since) or a deleted message: success, nothing deleted
    const message = queue.byReceipt(handle);
    if (message !== undefined) queue.delete(message.id);
  }

  return {
    name: 'sqs',
    handle(action, input) {
      const handler = handlers[action];
      if (handler === undefined)
        throw new AwsApiError('UnknownOperationException', `SQS has no operation ${action} on this endpoint`);
      return handler(input);
    },
    setEndpointUrl(url) {
      registry.baseUrl = url.replace(/\/+$/, '');
    },
    poll: (queueUrl, max, visibility) => {
      if (!Number.isInteger(max) || max < 1 || max > MAX_RECEIVE)
        throw new Error(`sqs.poll: max must be an integer from 1 to ${MAX_RECEIVE}, got ${max}`);
      return receive(registry.byUrl(queueUrl), max, visibility);
    },
    deleteMessage: (queueUrl, receiptHandle) => deleteByReceipt(registry.byUrl(queueUrl), receiptHandle),
    onVisible: (queueUrl, listener) => registry.onVisible(registry.byUrl(queueUrl).name, listener),
    queueArn: (queueUrl) => registry.byUrl(queueUrl).arn,
    counts: (queueUrl) => registry.byUrl(queueUrl).counts(),
    dump: () =>
      registry.names().map((name) => {
        const queue = registry.byName(name)!;
        return {
          QueueUrl: registry.urlOf(name),
          QueueArn: queue.arn,
          Attributes: settingsAsAttributes(queue.settings),
          ...queue.counts(),
        };
      }),
    endLongPolls() {
      stopped = true;
      registry.wakeAll();
    },
    stop() {
      stopped = true;
      registry.stop();
    },
  };
}
