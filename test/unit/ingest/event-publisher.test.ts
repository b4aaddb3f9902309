import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import {
  type BusEntry,
  createEventPublisher,
  entrySize,
  MAX_REQUEST_BYTES,
  type PutEventsSender,
  planCalls,
} from '../../../shared/aws/event-publisher.js';
import { InvalidInputError, RetryableError } from '../../../shared/errors.js';

/** A fake PutEvents that records every call and fails entries as a script says. */
function fakeSender(
  failWhen: (entry: PutEventsRequestEntry, call: number) => string | undefined = () => undefined,
) {
  const calls: PutEventsRequestEntry[][] = [];
  let nextId = 0;
  const sender: PutEventsSender = {
    async putEvents(entries) {
      calls.push(entries);
      const results: PutEventsResultEntry[] = entries.map((entry) => {
        const code = failWhen(entry, calls.length);
        if (code !== undefined) return { ErrorCode: code, ErrorMessage: `${code} for ${entry.Detail}` };
        nextId += 1;
        return { EventId: `e-${nextId}` };
      });
      return { FailedEntryCount: results.filter((result) => result.ErrorCode).length, Entries: results };
    },
  };
  return { sender, calls };
}

const entry = (n: number, detailBytes = 20): BusEntry => ({
  source: 'slbc.cluster',
  detailType: 'Pod Changed',
  detail: JSON.stringify({ n, pad: 'p'.repeat(Math.max(0, detailBytes - 20)) }),
  time: new Date('2026-11-26T10:00:00Z'),
});
const noSleep = async () => {};

describe('planCalls', () => {
  it.each([
    ['no entries', 0, 20, []],
    ['10 small entries in one call', 10, 20, [10]],
    ['25 small entries in calls of 10', 25, 20, [10, 10, 5]],
    ['100 KB entries, two per call under 256 KB', 5, 100 * 1024, [2, 2, 1]],
  ])('%s', (_name, count, bytes, expected) => {
    const calls = planCalls(Array.from({ length: count }, (_, n) => entry(n, bytes)));
    expect(calls.map((call) => call.length)).toEqual(expected);
    for (const call of calls) {
      expect(call.reduce((sum, item) => sum + entrySize(item), 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    }
  });

  it('counts an entry as EventBridge does (Time 14 bytes, UTF-8 of the rest)', () => {
    const item: BusEntry = {
      source: 's',
      detailType: 'dt',
      detail: '{"n":"é"}',
      resources: ['r1'],
      time: new Date(),
    };
    expect(entrySize(item)).toBe(14 + 1 + 2 + 10 + 2);
  });
});

describe('createEventPublisher', () => {
  it('publishes every entry once, in calls of at most 10, to the bus', async () => {
    // Prepare
    const { sender, calls } = fakeSender();
    const publisher = createEventPublisher({ sender, busName: 'slbc-test', sleep: noSleep });
    // Act
    const result = await publisher.publish(Array.from({ length: 23 }, (_, n) => entry(n)));
    // Assess
    expect(result).toEqual({ published: 23, calls: 3, retried: 0 });
    expect(calls.map((call) => call.length).sort()).toEqual([10, 10, 3]);
    expect(calls.flat().every((item) => item.EventBusName === 'slbc-test')).toBe(true);
    expect(new Set(calls.flat().map((item) => item.Detail)).size).toBe(23);
  });

  it('retries only the entries that failed, with jittered growing backoff, and sends none twice', async () => {
    // Prepare: entries 3 and 7 fail twice with throttling, then go through
    const { sender, calls } = fakeSender((item, call) =>
      /"n":(3|7),/.test(item.Detail ?? '') && call <= 2 ? 'ThrottlingException' : undefined,
    );
    const sleeps: number[] = [];
    const publisher = createEventPublisher({
      sender,
      busName: 'b',
      concurrency: 1,
      baseDelayMs: 100,
      maxDelayMs: 10_000,
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    // Act
    const result = await publisher.publish(Array.from({ length: 10 }, (_, n) => entry(n)));
    // Assess
    expect(result).toEqual({ published: 10, calls: 3, retried: 4 });
    expect(calls.map((call) => call.length)).toEqual([10, 2, 2]);
    expect(sleeps).toEqual([100, 200]);
    const accepted = calls.flat().filter((item) => !/"n":(3|7),/.test(item.Detail ?? ''));
    expect(accepted).toHaveLength(8);
  });

  it('throws RetryableError naming how many failed and the first error code when retries run out', async () => {
    const { sender, calls } = fakeSender((item) =>
      /"n":4,/.test(item.Detail ?? '') ? 'InternalFailure' : undefined,
    );
    const publisher = createEventPublisher({ sender, busName: 'b', maxAttempts: 3, sleep: noSleep });
    const publishing = publisher.publish(Array.from({ length: 6 }, (_, n) => entry(n)));
    await expect(publishing).rejects.toThrow(RetryableError);
    await expect(publishing).rejects.toThrow(
      /1 of 6 events not published .* after 3 attempts; first error InternalFailure/,
    );
    expect(calls.map((call) => call.length)).toEqual([6, 1, 1]);
  });

  it('treats a missing per-entry result as a failure', async () => {
    const sender: PutEventsSender = { putEvents: async () => ({ FailedEntryCount: 0, Entries: [] }) };
    const publisher = createEventPublisher({ sender, busName: 'b', maxAttempts: 2, sleep: noSleep });
    await expect(publisher.publish([entry(1)])).rejects.toThrow(/first error MissingResult/);
  });

  it('wraps an error thrown by the SDK call as RetryableError with the cause', async () => {
    const cause = new Error('socket hang up');
    const sender: PutEventsSender = {
      putEvents: async () => {
        throw cause;
      },
    };
    const publisher = createEventPublisher({ sender, busName: 'b', sleep: noSleep });
    const error = await publisher.publish([entry(1)]).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).cause).toBe(cause);
  });

  it('refuses an entry over 256 KB before calling PutEvents', async () => {
    const { sender, calls } = fakeSender();
    const publisher = createEventPublisher({ sender, busName: 'b', sleep: noSleep });
    await expect(publisher.publish([entry(1), entry(2, 300 * 1024)])).rejects.toThrow(InvalidInputError);
    expect(calls).toHaveLength(0);
  });

  it('makes no call for no entries', async () => {
    const { sender, calls } = fakeSender();
    const result = await createEventPublisher({ sender, busName: 'b' }).publish([]);
    expect(result).toEqual({ published: 0, calls: 0, retried: 0 });
    expect(calls).toHaveLength(0);
  });
});
