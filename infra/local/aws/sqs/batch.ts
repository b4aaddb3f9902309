/**
 * The batch calls' shared rules (SQS API Reference, SendMessageBatch / DeleteMessageBatch):
 * 1 to 10 entries, each Id 1 to 80 of alphanumerics, hyphens and underscores and distinct in
 * the request. A broken batch fails as a whole; an entry that fails on its own lands in
 * `Failed` (`SenderFault`, `Code`, `Message`) while the others succeed.
 */
import { AwsApiError } from '../api-error.js';
import { sqsError } from './errors.js';
import type { Input } from './input.js';

export const MAX_BATCH_ENTRIES = 10;
/** sum of the bodies (and attributes) of a SendMessageBatch: 1 MiB, as documented since 2025 */
export const MAX_BATCH_BYTES = 1_048_576;

export interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

export function batchEntries(input: Input): Input[] {
  const entries = input['Entries'];
  if (entries === undefined || entries === null || (Array.isArray(entries) && entries.length === 0))
    throw sqsError(
      'EmptyBatchRequest',
      'AWS.SimpleQueueService.EmptyBatchRequest',
      'There should be at least one entry in the request (Entries).',
    );
  if (!Array.isArray(entries))
    throw sqsError('InvalidParameterValue', 'InvalidParameterValue', 'Entries must be a list');
  if (entries.length > MAX_BATCH_ENTRIES)
    throw sqsError(
      'TooManyEntriesInBatchRequest',
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const id = (entry as Input | null)?.['Id'];
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id))
      throw sqsError(
        'InvalidBatchEntryId',
        'AWS.SimpleQueueService.InvalidBatchEntryId',
        `Entries.${index}.Id ${JSON.stringify(id)} is invalid: 1 to 80 alphanumeric characters, hyphens or underscores.`,
      );
    if (seen.has(id))
      throw sqsError(
        'BatchEntryIdsNotDistinct',
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
        `Id ${id} repeated in Entries.`,
      );
    seen.add(id);
  }
  return entries as Input[];
}

export function batchTooLong(bytes: number) {
  return sqsError(
    'BatchRequestTooLong',
    'AWS.SimpleQueueService.BatchRequestTooLong',
    `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${bytes} bytes.`,
  );
}

/** Runs `fn` per entry; an AwsApiError from one entry becomes its `Failed` row. */
export function perEntry<T>(
  entries: Input[],
  fn: (entry: Input) => T,
): { Successful: T[]; Failed: BatchFailure[] } {
  const Successful: T[] = [];
  const Failed: BatchFailure[] = [];
  for (const entry of entries) {
    try {
      Successful.push(fn(entry));
    } catch (error) {
      if (!(error instanceof AwsApiError)) throw error;
      Failed.push({
        Id: entry['Id'] as string,
        SenderFault: error.status < 500,
        Code: error.queryCode ?? error.code,
        Message: error.message,
      });
    }
  }
  return { Successful, Failed };
}
