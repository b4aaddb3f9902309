/**
 * Queue attributes: the settable ones with their documented ranges and defaults (SQS API
 * Reference, SetQueueAttributes / CreateQueue), validated as SQS does: an unknown name is
 * InvalidAttributeName, a value out of range InvalidAttributeValue naming the attribute.
 */
import { invalidAttributeName, invalidAttributeValue } from './errors.js';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface QueueSettings {
  delaySeconds: number;
  visibilityTimeout: number;
  messageRetentionPeriod: number;
  maximumMessageSize: number;
  receiveMessageWaitTimeSeconds: number;
  redrivePolicy?: RedrivePolicy;
  /** settable attributes slbc never interprets locally (Policy, KMS, SSE), kept as given */
  opaque: Record<string, string>;
}

/** [min, max, default] of each numeric attribute, as documented. */
const NUMERIC: Record<string, [number, number, number, keyof QueueSettings]> = {
  DelaySeconds: [0, 900, 0, 'delaySeconds'],
  VisibilityTimeout: [0, 43_200, 30, 'visibilityTimeout'],
  MessageRetentionPeriod: [60, 1_209_600, 345_600, 'messageRetentionPeriod'],
  MaximumMessageSize: [1024, 1_048_576, 1_048_576, 'maximumMessageSize'],
  ReceiveMessageWaitTimeSeconds: [0, 20, 0, 'receiveMessageWaitTimeSeconds'],
};

const OPAQUE = new Set([
  'Policy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'RedriveAllowPolicy',
]);

/** Attributes GetQueueAttributes computes rather than stores. */
export const COMPUTED_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

export const READABLE_ATTRIBUTES = new Set<string>([
  ...COMPUTED_ATTRIBUTES,
  ...Object.keys(NUMERIC),
  'RedrivePolicy',
  ...OPAQUE,
]);

export function defaultSettings(): QueueSettings {
  return {
    delaySeconds: 0,
    visibilityTimeout: 30,
    messageRetentionPeriod: 345_600,
    maximumMessageSize: 1_048_576,
    receiveMessageWaitTimeSeconds: 0,
    opaque: { SqsManagedSseEnabled: 'true' },
  };
}

/**
 * Applies `attributes` over `base`; `deadLetterExists` checks a RedrivePolicy's target (AWS
 * refuses a dead-letter queue that does not exist).
 */
export function applyAttributes(
  base: QueueSettings,
  attributes: unknown,
  deadLetterExists: (arn: string) => boolean,
): QueueSettings {
  if (attributes === undefined || attributes === null) return base;
  if (typeof attributes !== 'object' || Array.isArray(attributes))
    throw invalidAttributeValue('Attributes', attributes, 'must be a map of attribute name to string');
  const next: QueueSettings = { ...base, opaque: { ...base.opaque } };
  for (const [name, raw] of Object.entries(attributes as Record<string, unknown>)) {
    if (name === 'FifoQueue' || name === 'ContentBasedDeduplication')
      throw invalidAttributeName(`${name} (FIFO queues are not emulated by the local endpoint)`);
    if (typeof raw !== 'string') throw invalidAttributeValue(name, raw, 'attribute values are strings');
    const numeric = NUMERIC[name];
    if (numeric !== undefined) {
      const [min, max, , key] = numeric;
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max)
        throw invalidAttributeValue(name, raw, `must be an integer from ${min} to ${max}`);
      (next as unknown as Record<string, number>)[key] = value;
    } else if (name === 'RedrivePolicy') {
      if (raw === '') delete next.redrivePolicy;
      else next.redrivePolicy = parseRedrivePolicy(raw, deadLetterExists);
    } else if (OPAQUE.has(name)) {
      next.opaque[name] = raw;
    } else {
      throw invalidAttributeName(name);
    }
  }
  return next;
}

function parseRedrivePolicy(raw: string, deadLetterExists: (arn: string) => boolean): RedrivePolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidAttributeValue('RedrivePolicy', raw, 'must be a JSON object');
  }
  const policy = (parsed ?? {}) as Record<string, unknown>;
  const arn = policy['deadLetterTargetArn'];
  if (typeof arn !== 'string' || !/^arn:aws[\w-]*:sqs:[\w-]+:\d{12}:[\w-]{1,80}$/.test(arn))
    throw invalidAttributeValue('RedrivePolicy', raw, 'deadLetterTargetArn must be an SQS queue ARN');
  const count = Number(policy['maxReceiveCount']);
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw invalidAttributeValue('RedrivePolicy', raw, 'maxReceiveCount must be an integer from 1 to 1000');
  if (!deadLetterExists(arn))
    throw invalidAttributeValue('RedrivePolicy', raw, `dead-letter target ${arn} does not exist`);
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}

/** The stored attributes as SQS reports them (strings). */
export function settingsAsAttributes(settings: QueueSettings): Record<string, string> {
  const out: Record<string, string> = {
    DelaySeconds: String(settings.delaySeconds),
    VisibilityTimeout: String(settings.visibilityTimeout),
    MessageRetentionPeriod: String(settings.messageRetentionPeriod),
    MaximumMessageSize: String(settings.maximumMessageSize),
    ReceiveMessageWaitTimeSeconds: String(settings.receiveMessageWaitTimeSeconds),
    ...settings.opaque,
  };
  if (settings.redrivePolicy !== undefined) out['RedrivePolicy'] = JSON.stringify(settings.redrivePolicy);
  return out;
}

/** CreateQueue on an existing name succeeds only when the given attributes match. */
export function sameSettings(a: QueueSettings, b: QueueSettings): boolean {
  return JSON.stringify(settingsAsAttributes(a)) === JSON.stringify(settingsAsAttributes(b));
}
