import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { InvalidInputError, RetryableError } from '../errors.js';
import {
  type BusEntry,
  entrySize,
  MAX_ENTRIES_PER_CALL,
  MAX_ENTRY_BYTES,
  MAX_REQUEST_BYTES,
} from '../events/entry.js';

/**
 * The PutEvents port: puts any entries on one bus in calls of at most 10 entries and 256 KB,
 * retries the entries EventBridge reports as failed (PutEvents does not throw on a partial
 * failure) with jittered, bounded backoff, and throws RetryableError if some never go
 * through, so the caller's invocation fails and is retried. Entries that succeeded are never
 * sent again by the same call.
 */

export type { BusEntry } from '../events/entry.js';
export { entrySize, MAX_ENTRIES_PER_CALL, MAX_ENTRY_BYTES, MAX_REQUEST_BYTES } from '../events/entry.js';

/** The one SDK call the publisher uses; tests pass a fake, production wraps the client. */
export interface PutEventsSender {
  putEvents(
    entries: PutEventsRequestEntry[],
  ): Promise<{ FailedEntryCount?: number; Entries?: PutEventsResultEntry[] }>;
}

/** A sender over the SDK client; `client` is a function so the client is created on first use. */
export function eventBridgeSender(client: () => EventBridgeClient): PutEventsSender {
  return { putEvents: (Entries) => client().send(new PutEventsCommand({ Entries })) };
}

export interface PublishResult {
  published: number;
  /** PutEvents calls made, retries included */
  calls: number;
  /** entries sent again after EventBridge reported them failed */
  retried: number;
}

export interface EventPublisher {
  publish(entries: readonly BusEntry[]): Promise<PublishResult>;
}

export interface PublisherOptions {
  sender: PutEventsSender;
  busName: string;
  /** attempts per entry, the first included (default 4) */
  maxAttempts?: number;
  /** backoff before retry n is random in [0, min(maxDelayMs, baseDelayMs * 2^n)] (full jitter) */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** PutEvents calls in flight at once (default 4) */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Splits entries into PutEvents calls: at most 10 entries and 256 KB each, in order. */
export function planCalls(entries: readonly BusEntry[]): BusEntry[][] {
  const calls: BusEntry[][] = [];
  let current: BusEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (current.length === MAX_ENTRIES_PER_CALL || (current.length > 0 && bytes + size > MAX_REQUEST_BYTES)) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

interface Failure {
  entry: BusEntry;
  code: string;
  message: string;
}

export function createEventPublisher(options: PublisherOptions): EventPublisher {
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  const toSdk = (entry: BusEntry): PutEventsRequestEntry => ({
    EventBusName: options.busName,
    Source: entry.source,
    DetailType: entry.detailType,
    Detail: entry.detail,
    ...(entry.time === undefined ? {} : { Time: entry.time }),
    ...(entry.resources === undefined ? {} : { Resources: entry.resources }),
  });

  async function send(batch: BusEntry[]): Promise<{ failures: Failure[]; calls: number; retried: number }> {
    let pending = batch;
    let calls = 0;
    let retried = 0;
    for (let attempt = 1; ; attempt += 1) {
      calls += 1;
      let output: Awaited<ReturnType<PutEventsSender['putEvents']>>;
      try {
        output = await options.sender.putEvents(pending.map(toSdk));
      } catch (error) {
        // The SDK client has already retried throttling and 5xx; what reaches here failed for good.
        throw new RetryableError(`PutEvents to bus ${options.busName} failed: ${(error as Error).message}`, {
          cause: error,
          subject: { kind: 'EventBus', name: options.busName },
        });
      }
      const failures = failedEntries(pending, output);
      if (failures.length === 0) return { failures, calls, retried };
      if (attempt >= maxAttempts) return { failures, calls, retried };
      await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
      pending = failures.map((failure) => failure.entry);
      retried += pending.length;
    }
  }

  return {
    async publish(entries) {
      for (const entry of entries) {
        const size = entrySize(entry);
        if (size > MAX_ENTRY_BYTES) {
          throw new InvalidInputError(
            `event ${entry.detailType} is ${size} bytes, over the ${MAX_ENTRY_BYTES}-byte PutEvents entry limit`,
            { subject: { kind: 'BusEntry', name: entry.detailType, field: 'Detail' } },
          );
        }
      }
      const batches = planCalls(entries);
      const results = await mapWithConcurrency(batches, concurrency, send);
      const failures = results.flatMap((result) => result.failures);
      const calls = results.reduce((sum, result) => sum + result.calls, 0);
      const retried = results.reduce((sum, result) => sum + result.retried, 0);
      const first = failures[0];
      if (first !== undefined) {
        throw new RetryableError(
          `${failures.length} of ${entries.length} events not published to bus ${options.busName} after ` +
            `${maxAttempts} attempts; first error ${first.code}: ${first.message}`,
          { subject: { kind: 'EventBus', name: options.busName } },
        );
      }
      return { published: entries.length, calls, retried };
    },
  };
}

function failedEntries(
  sent: BusEntry[],
  output: { FailedEntryCount?: number; Entries?: PutEventsResultEntry[] },
): Failure[] {
  const results = output.Entries ?? [];
  // Results come back in request order; a missing result for an entry means it was not accepted.
  if ((output.FailedEntryCount ?? 0) === 0 && results.length === sent.length) return [];
  return sent.flatMap((entry, index) => {
    const result = results[index];
    if (result?.ErrorCode === undefined && result?.EventId !== undefined) return [];
    return [
      {
        entry,
        code: result?.ErrorCode ?? 'MissingResult',
        message: result?.ErrorMessage ?? 'no result for this entry',
      },
    ];
  });
}

/** Runs `task` over items with at most `limit` in flight; rejects with the first error once all settle. */
async function mapWithConcurrency<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
  return results;
}
