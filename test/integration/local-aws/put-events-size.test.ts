/**
 * PutEvents' request size limit, through the SDK, and slbc's publisher against it.
 *
 * AWS, "Calculating Amazon EventBridge PutEvents event entry size" (eb-putevent-size): "The
 * total entry size must be less than 256KB"; an entry counts Time as 14 bytes and Source,
 * DetailType, Detail and each Resources string as their UTF-8 bytes. A request whose entries
 * add up past it fails as a whole with ValidationException "Total size of the entries in the
 * request is over the limit." A batch splitter that only counts entries (10 per call) sends
 * ten 100 KB entries in one call and fails here, as it would in AWS.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import {
  type BusEntry,
  createEventPublisher,
  entrySize,
  eventBridgeSender,
  MAX_ENTRIES_PER_CALL,
  MAX_REQUEST_BYTES,
  planCalls,
} from '../../../shared/aws/event-publisher.js';
import { rejection, useLocalAws } from './harness.js';

const KB = 1024;

/** an entry of exactly `bytes` as EventBridge counts them */
function entryOf(bytes: number, n: number): BusEntry {
  const base: BusEntry = { source: 'slbc.test', detailType: 'Thing Changed', detail: `{"n":${n},"p":""}` };
  return { ...base, detail: `{"n":${n},"p":"${'x'.repeat(bytes - entrySize(base))}"}` };
}

describe('PutEvents request size (local endpoint, SDK)', () => {
  const local = useLocalAws();
  const client = () => new EventBridgeClient(local.config);
  const tenOf100Kb = () => Array.from({ length: 10 }, (_, n) => entryOf(100 * KB, n));

  it('refuses ten 100 KB entries in one call, as AWS does', async () => {
    const entries = tenOf100Kb().map((entry) => ({
      Source: entry.source,
      DetailType: entry.detailType,
      Detail: entry.detail,
    }));
    const error = await rejection(client().send(new PutEventsCommand({ Entries: entries })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('Total size of the entries in the request is over the limit.');
  });

  it('the publisher splits by size as well as by count, and every call is accepted', async () => {
    const sent: number[] = [];
    const sdk = client();
    const publisher = createEventPublisher({
      busName: 'default',
      sender: {
        async putEvents(entries) {
          sent.push(entries.length);
          return eventBridgeSender(() => sdk).putEvents(entries);
        },
      },
      maxAttempts: 1,
    });
    const result = await publisher.publish(tenOf100Kb());
    expect(result.published).toBe(10);
    // two 100 KB entries fit in 256 KB, a third does not
    expect(sent).toEqual([2, 2, 2, 2, 2]);
    expect(local.aws.services.events.counters().eventsPut).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ['ten 100 KB entries', tenOf100Kb(), [2, 2, 2, 2, 2]],
    ['a 256 KB entry between small ones', [entryOf(KB, 0), entryOf(256 * KB, 1), entryOf(KB, 2)], [1, 1, 1]],
    ['twelve small entries', Array.from({ length: 12 }, (_, n) => entryOf(KB, n)), [10, 2]],
    ['entries that fill 256 KB exactly', [entryOf(128 * KB, 0), entryOf(128 * KB, 1)], [2]],
  ])('planCalls keeps every call within 10 entries and 256 KB: %s', (_name, entries, sizes) => {
    const calls = planCalls(entries);
    expect(calls.map((call) => call.length)).toEqual(sizes);
    for (const call of calls) {
      expect(call.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_CALL);
      expect(call.reduce((sum, entry) => sum + entrySize(entry), 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    }
    expect(calls.flat()).toEqual(entries);
  });
});
