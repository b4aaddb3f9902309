import type { SQSClient } from '@aws-sdk/client-sqs';
import { RetryableError } from '../errors.js';

/**
 * The delayed target re-check (docs/targets.md): a message on an SQS delay queue that comes
 * back to the targets function after `delaySeconds`, so a target still health-checking is
 * read again without an invocation waiting idle. SQS caps DelaySeconds at 900.
 */
export const MAX_DELAY_SECONDS = 900;

export interface RecheckMessage {
  version: 1;
  cluster: string;
  targetGroupArn: string;
}

export interface RecheckQueue {
  send(message: RecheckMessage, delaySeconds: number): Promise<void>;
}

/** Clamps a wanted delay to what SQS takes: a whole number from 0 to 900. */
export function recheckDelay(seconds: number): number {
  if (!Number.isFinite(seconds)) return MAX_DELAY_SECONDS;
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(seconds)));
}

export function sqsRecheckQueue(sqs: SQSClient, queueUrl: string): RecheckQueue {
  return {
    async send(message, delaySeconds) {
      try {
        // imported on first send: gates.ts imports this module for recheckDelay, and a static
        // import would compile the SQS client in every targets cold start (docs/deploy.md)
        const { SendMessageCommand } = await import('./sdk/sqs.js');
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: JSON.stringify(message),
            DelaySeconds: recheckDelay(delaySeconds),
          }),
        );
      } catch (error) {
        throw new RetryableError(
          `SendMessage of the re-check of ${message.targetGroupArn}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };
}
