/**
 * serverless.yml's SQS queues and event source mappings, in the local runtime: every
 * `AWS::SQS::Queue` is created on the local SQS with its visibility timeout, retention and
 * redrive policy (dead-letter queues first), and each function's `events: - sqs:` becomes an
 * SqsEventSource that invokes the function synchronously with Lambda's SQSEvent, as the
 * deployed mapping does. `pending()` tells settle that a queue still holds a delayed, visible
 * or in-flight message: work is not over while a re-check is on its way.
 */
import type { SQSEvent } from 'aws-lambda';
import type { Wiring } from '../../deploy/wiring.js';
import type { LocalAws } from '../aws/index.js';
import { SqsEventSource, type SqsEventSourceStats } from './sqs-source.js';

export interface LocalQueues {
  /** queue URL by logical id */
  urls: Record<string, string>;
  /** starts every event source mapping; `invoke` runs a function with its event */
  start(
    invoke: (fn: string, event: SQSEvent) => Promise<unknown>,
    onFailure?: (error: unknown) => void,
  ): void;
  /** true while a mapped queue holds a message (delayed, visible or in flight) or a batch runs */
  pending(): boolean;
  stats(): Record<string, SqsEventSourceStats & { delayed: number; visible: number; inFlight: number }>;
  stop(): Promise<void>;
}

export function createLocalQueues(wiring: Wiring, aws: LocalAws): LocalQueues {
  const { sqs } = aws.services;
  const urls: Record<string, string> = {};
  const create = (logicalId: string) => {
    if (urls[logicalId] !== undefined) return urls[logicalId];
    const queue = wiring.queues[logicalId];
    if (queue === undefined) throw new Error(`serverless.yml has no queue ${logicalId}`);
    const deadLetter = queue.redrive === undefined ? undefined : create(queue.redrive.deadLetterQueue);
    const { QueueUrl } = sqs.handle('CreateQueue', {
      QueueName: queue.name,
      Attributes: {
        VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(queue.retentionSeconds),
        ...(deadLetter === undefined || queue.redrive === undefined
          ? {}
          : {
              RedrivePolicy: JSON.stringify({
                deadLetterTargetArn: sqs.queueArn(deadLetter),
                maxReceiveCount: queue.redrive.maxReceiveCount,
              }),
            }),
      },
    }) as { QueueUrl: string };
    urls[logicalId] = QueueUrl;
    return QueueUrl;
  };
  for (const logicalId of Object.keys(wiring.queues)) create(logicalId);

  const sources = new Map<string, SqsEventSource>();
  return {
    urls,
    start(invoke, onFailure) {
      for (const mapping of wiring.sqsSources) {
        const queueUrl = urls[mapping.queue];
        if (queueUrl === undefined) throw new Error(`serverless.yml has no queue ${mapping.queue}`);
        const source = new SqsEventSource({
          queue: sqs,
          queueUrl,
          region: aws.region,
          invoke: (event) => invoke(mapping.function, event),
          batchSize: mapping.batchSize,
          ...(mapping.maximumConcurrency === undefined ? {} : { maxConcurrency: mapping.maximumConcurrency }),
          reportBatchItemFailures: mapping.reportBatchItemFailures,
          ...(onFailure === undefined ? {} : { onBatchFailure: (error) => onFailure(error) }),
        });
        sources.set(mapping.queue, source);
        source.start();
      }
    },
    pending() {
      for (const [logicalId, source] of sources) {
        if (source.busy) return true;
        const counts = sqs.counts(urls[logicalId] ?? '');
        if (counts.delayed + counts.visible + counts.inFlight > 0) return true;
      }
      return false;
    },
    stats() {
      return Object.fromEntries(
        [...sources].map(([logicalId, source]) => [
          logicalId,
          { ...source.stats, ...sqs.counts(urls[logicalId] ?? '') },
        ]),
      );
    },
    async stop() {
      await Promise.all([...sources.values()].map((source) => source.stop()));
    },
  };
}
