import { describe, expect, it } from 'vitest';
import { MAX_RETRY_MS, nextRetry, retryDelayMs, retryDue } from '../../../shared/reconcile/backoff.js';

const NOW = Date.parse('2027-01-15T08:00:00Z');

describe('retryDelayMs', () => {
  it.each([
    { attempts: 1, minutes: 1 },
    { attempts: 2, minutes: 2 },
    { attempts: 3, minutes: 4 },
    { attempts: 6, minutes: 32 },
    { attempts: 7, minutes: 60 },
    { attempts: 500, minutes: 60 },
  ])('attempt $attempts waits $minutes min', ({ attempts, minutes }) => {
    expect(retryDelayMs(attempts)).toBe(minutes * 60_000);
  });

  it.each([0, -1, 1.5])('refuses attempts %s', (attempts) => {
    expect(() => retryDelayMs(attempts)).toThrow(/attempts must be a positive integer/);
  });

  it('never exceeds the cap', () => {
    expect(retryDelayMs(64)).toBe(MAX_RETRY_MS);
  });
});

describe('nextRetry and retryDue', () => {
  it.each([
    { previous: undefined, attempts: 1, retryAt: '2027-01-15T08:01:00.000Z' },
    { previous: 1, attempts: 2, retryAt: '2027-01-15T08:02:00.000Z' },
    { previous: 3, attempts: 4, retryAt: '2027-01-15T08:08:00.000Z' },
  ])('after $previous attempts', ({ previous, attempts, retryAt }) => {
    expect(nextRetry(previous, NOW)).toEqual({ attempts, retryAt });
  });

  it.each([
    { record: {}, due: false },
    { record: { retryAt: '2027-01-15T08:00:01.000Z' }, due: false },
    { record: { retryAt: '2027-01-15T08:00:00.000Z' }, due: true },
    { record: { retryAt: '2027-01-15T07:59:00.000Z' }, due: true },
  ])('due $due for $record', ({ record, due }) => {
    expect(retryDue(record, NOW)).toBe(due);
  });
});
