/**
 * Lambda's SQS event source mapping, in process: it reads a queue of the local SQS in batches
 * and invokes a function synchronously with an `SQSEvent`. As Lambda does:
 *
 * - a batch holds up to `batchSize` (1 to 10) messages, received with the queue's visibility
 *   timeout, so a message whose batch fails comes back once that timeout has passed, with its
 *   ApproximateReceiveCount raised (and goes to the dead-letter queue past the redrive policy);
 * - a successful invocation deletes the batch; a failed one (it threw) deletes nothing;
 * - with `reportBatchItemFailures` (FunctionResponseTypes: ReportBatchItemFailures) a result of
 *   `{ batchItemFailures: [{ itemIdentifier: messageId }] }` keeps only those messages; an
 *   identifier that names no message of the batch fails the whole batch;
 * - up to `maxConcurrency` batches run at once (ScalingConfig.MaximumConcurrency).
 *
 * It does not poll on a timer: the queue tells it when a message becomes visible (`onVisible`),
 * and every clock wait (delay, visibility) is the queue's, on the endpoint's clock.
 */
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { ReceivedMessage } from '../aws/sqs/index.js';

/** What the mapping needs from the queue service (the local SqsService provides it). */
export interface SqsQueuePort {
  poll(queueUrl: string, max: number): ReceivedMessage[];
  deleteMessage(queueUrl: string, receiptHandle: string): void;
  onVisible(queueUrl: string, listener: () => void): () => void;
  queueArn(queueUrl: string): string;
}

export interface SqsEventSourceOptions {
  queue: SqsQueuePort;
  queueUrl: string;
  region: string;
  /** the function, invoked synchronously; throwing fails the batch */
  invoke: (event: SQSEvent) => Promise<unknown>;
  /** 1..10; Lambda's default is 10 */
  batchSize?: number;
  /** batches in flight at once; at least 1 (Lambda's MaximumConcurrency starts at 2) */
  maxConcurrency?: number;
  reportBatchItemFailures?: boolean;
  /** told about each failed batch (the function's error, or the bad batch response) */
  onBatchFailure?: (error: unknown, event: SQSEvent) => void;
}

export interface SqsEventSourceStats {
  batches: number;
  failedBatches: number;
  deleted: number;
  /** messages left for the visibility timeout (failed batches and reported item failures) */
  retried: number;
}

export class SqsEventSource {
  readonly stats: SqsEventSourceStats = { batches: 0, failedBatches: 0, deleted: 0, retried: 0 };
  private readonly running = new Set<Promise<void>>();
  private readonly batchSize: number;
  private readonly maxConcurrency: number;
  private readonly arn: string;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: SqsEventSourceOptions) {
    this.batchSize = options.batchSize ?? 10;
    this.maxConcurrency = options.maxConcurrency ?? 2;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10)
      throw new Error(
        `SQS event source for ${options.queueUrl}: batchSize must be 1 to 10, got ${this.batchSize}`,
      );
    if (!Number.isInteger(this.maxConcurrency) || this.maxConcurrency < 1)
      throw new Error(
        `SQS event source for ${options.queueUrl}: maxConcurrency must be a positive integer, got ${this.maxConcurrency}`,
      );
    this.arn = options.queue.queueArn(options.queueUrl);
  }

  /** Starts reading: whatever is visible now, then each time a message becomes visible. */
  start(): void {
    if (this.unsubscribe !== undefined) return;
    this.unsubscribe = this.options.queue.onVisible(this.options.queueUrl, () => this.pump());
    this.pump();
  }

  /** Stops reading; resolves once the batches in flight have finished. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.idle();
  }

  /** true while no batch is being processed */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Resolves when no batch is in flight (batches started meanwhile are waited for too). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    while (this.unsubscribe !== undefined && this.running.size < this.maxConcurrency) {
      const messages = this.options.queue.poll(this.options.queueUrl, this.batchSize);
      if (messages.length === 0) return;
      const run = this.process(messages).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async process(messages: ReceivedMessage[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((message) => this.record(message)) };
    this.stats.batches++;
    let keep: Set<string>;
    try {
      const result = await this.options.invoke(event);
      keep = this.options.reportBatchItemFailures ? failedItems(result, messages) : new Set();
    } catch (error) {
      this.stats.failedBatches++;
      this.stats.retried += messages.length;
      this.options.onBatchFailure?.(error, event);
      return;
    }
    for (const message of messages) {
      if (keep.has(message.MessageId)) {
        this.stats.retried++;
        continue;
      }
      this.options.queue.deleteMessage(this.options.queueUrl, message.ReceiptHandle);
      this.stats.deleted++;
    }
  }

  private record(message: ReceivedMessage): SQSRecord {
    return {
      messageId: message.MessageId,
      receiptHandle: message.ReceiptHandle,
      body: message.Body,
      attributes: message.Attributes as unknown as SQSRecord['attributes'],
      messageAttributes: lambdaAttributes(message.MessageAttributes),
      md5OfBody: message.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: this.options.region,
    };
  }
}

/**
 * The message ids a ReportBatchItemFailures response keeps. Lambda fails the whole batch when
 * the response names an id that is not in it (or is empty): that is thrown here.
 */
function failedItems(result: unknown, messages: ReceivedMessage[]): Set<string> {
  const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) throw new Error('batchItemFailures must be a list');
  const ids = new Set(messages.map((message) => message.MessageId));
  const keep = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id))
      throw new Error(`batchItemFailures names ${JSON.stringify(id)}, which is not a message of this batch`);
    keep.add(id);
  }
  return keep;
}

/** The SQS API's `{ StringValue, DataType }` as Lambda's event spells it. */
function lambdaAttributes(attributes: Record<string, unknown> | undefined): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const { DataType, StringValue, BinaryValue } = value as Record<string, string | undefined>;
    out[name] = {
      dataType: DataType ?? 'String',
      ...(StringValue === undefined ? {} : { stringValue: StringValue }),
      ...(BinaryValue === undefined ? {} : { binaryValue: BinaryValue }),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return out;
}
