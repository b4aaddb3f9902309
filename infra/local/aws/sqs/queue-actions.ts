/**
 * SQS's queue-level actions: create, find, list, read and set attributes, purge, delete. The
 * message actions are in ./index.ts.
 */
import type { ServiceContext } from '../context.js';
import {
  applyAttributes,
  COMPUTED_ATTRIBUTES,
  defaultSettings,
  READABLE_ATTRIBUTES,
  sameSettings,
  settingsAsAttributes,
} from './attributes.js';
import { invalidAttributeName, invalidParameter, sqsError } from './errors.js';
import { type Input, integer, optionalString, queueName, requiredString } from './input.js';
import type { QueueRegistry } from './registry.js';

const PURGE_INTERVAL_MS = 60_000;

export function queueActions(
  ctx: ServiceContext,
  registry: QueueRegistry,
): Record<string, (input: Input) => unknown> {
  const { clock } = ctx;
  const queueOf = (input: Input) => registry.byUrl(requiredString(input, 'QueueUrl'));
  const deadLetterExists = (arn: string) => registry.byArn(arn) !== undefined;

  return {
    CreateQueue(input) {
      const name = queueName(input);
      const settings = applyAttributes(defaultSettings(), input['Attributes'], deadLetterExists);
      const existing = registry.byName(name);
      if (existing !== undefined) {
        if (!sameSettings(existing.settings, settings))
          throw sqsError(
            'QueueNameExists',
            'QueueAlreadyExists',
            `A queue named ${name} already exists with different attributes.`,
          );
      } else registry.create(name, settings);
      return { QueueUrl: registry.urlOf(name) };
    },
    GetQueueUrl(input) {
      const name = queueName(input);
      const owner = optionalString(input, 'QueueOwnerAWSAccountId');
      if (registry.byName(name) === undefined || (owner !== undefined && owner !== ctx.account))
        throw sqsError(
          'QueueDoesNotExist',
          'AWS.SimpleQueueService.NonExistentQueue',
          `The specified queue ${name} does not exist.`,
        );
      return { QueueUrl: registry.urlOf(name) };
    },
    ListQueues(input) {
      const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
      const max = input['MaxResults'] === undefined ? undefined : integer(input, 'MaxResults', 1, 1000, 1000);
      const names = registry.names().filter((name) => name.startsWith(prefix));
      const token = optionalString(input, 'NextToken');
      const start = token === undefined ? 0 : Number(token);
      if (!Number.isInteger(start) || start < 0 || start > names.length)
        throw invalidParameter('NextToken', token, 'is not a token this endpoint issued');
      const page = names.slice(start, start + (max ?? 1000));
      const next = max !== undefined && start + max < names.length ? String(start + max) : undefined;
      return { QueueUrls: page.map((name) => registry.urlOf(name)), ...(next ? { NextToken: next } : {}) };
    },
    GetQueueAttributes(input) {
      const queue = queueOf(input);
      const wanted = (input['AttributeNames'] as unknown[] | undefined) ?? [];
      for (const name of wanted)
        if (name !== 'All' && !READABLE_ATTRIBUTES.has(String(name)))
          throw invalidAttributeName(String(name));
      const counts = queue.counts();
      const all: Record<string, string> = {
        ...settingsAsAttributes(queue.settings),
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
        ApproximateNumberOfMessagesDelayed: String(counts.delayed),
        CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
        LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
        QueueArn: queue.arn,
      };
      const names = wanted.includes('All') ? Object.keys(all) : (wanted as string[]);
      const Attributes = Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]!]));
      return { Attributes };
    },
    SetQueueAttributes(input) {
      const queue = queueOf(input);
      for (const name of Object.keys((input['Attributes'] as object | undefined) ?? {}))
        if ((COMPUTED_ATTRIBUTES as readonly string[]).includes(name)) throw invalidAttributeName(name);
      queue.settings = applyAttributes(queue.settings, input['Attributes'], deadLetterExists);
      queue.lastModifiedAt = clock.now();
      return {};
    },
    PurgeQueue(input) {
      const queue = queueOf(input);
      if (clock.now() - queue.lastPurgeAt < PURGE_INTERVAL_MS)
        throw sqsError(
          'PurgeQueueInProgress',
          'AWS.SimpleQueueService.PurgeQueueInProgress',
          `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
          403,
        );
      queue.lastPurgeAt = clock.now();
      queue.purge();
      return {};
    },
    DeleteQueue(input) {
      registry.delete(queueOf(input));
      return {};
    },
  };
}
