import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../infra/local/aws/eventbridge/schedule.js';

const at = (iso: string) => Date.parse(iso);
/** 2026-03-01 is a Sunday */
const SUNDAY_NOON = at('2026-03-01T12:00:00Z');

describe('schedule expressions', () => {
  it.each([
    ['rate(1 minute)', ['2026-03-01T12:01:00.000Z', '2026-03-01T12:02:00.000Z']],
    ['rate(2 hours)', ['2026-03-01T14:00:00.000Z', '2026-03-01T16:00:00.000Z']],
    ['rate(1 day)', ['2026-03-02T12:00:00.000Z', '2026-03-03T12:00:00.000Z']],
    ['cron(0/15 * * * ? *)', ['2026-03-01T12:15:00.000Z', '2026-03-01T12:30:00.000Z']],
    ['cron(5 * * * ? *)', ['2026-03-01T12:05:00.000Z', '2026-03-01T13:05:00.000Z']],
    ['cron(0 8 ? * MON-FRI *)', ['2026-03-02T08:00:00.000Z', '2026-03-03T08:00:00.000Z']],
    ['cron(0 8 ? * SAT,SUN *)', ['2026-03-07T08:00:00.000Z', '2026-03-08T08:00:00.000Z']],
    ['cron(30 6 1 JAN,JUL ? *)', ['2026-07-01T06:30:00.000Z', '2027-01-01T06:30:00.000Z']],
    ['cron(0 0 29 FEB ? 2028)', ['2028-02-29T00:00:00.000Z', 'never']],
    ['cron(0 12 * * ? *)', ['2026-03-02T12:00:00.000Z', '2026-03-03T12:00:00.000Z']],
    ['cron(10-12 12 * * ? *)', ['2026-03-01T12:10:00.000Z', '2026-03-01T12:11:00.000Z']],
  ])('%s fires next at %j', (expression, expected) => {
    const schedule = parseSchedule(expression);
    if (typeof schedule === 'string') throw new Error(schedule);
    const first = schedule.next(SUNDAY_NOON);
    const second = schedule.next(first);
    expect(new Date(first).toISOString()).toBe(expected[0]);
    // a schedule with no further firing answers Infinity
    expect(Number.isFinite(second) ? new Date(second).toISOString() : 'never').toBe(expected[1]);
  });

  it.each([
    ['rate(0 minutes)', 'positive whole number'],
    ['rate(1 minutes)', 'singular'],
    ['rate(5 minute)', 'singular unit for 1 and the plural'],
    ['rate(5 weeks)', 'expected rate('],
    ['every 5 minutes', 'expected rate('],
    ['cron(0 12 * * *)', 'cron takes 6 fields, found 5'],
    ['cron(0 12 * * * *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(0 12 ? * ? *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(60 12 * * ? *)', 'minutes "60" is not valid (0-59)'],
    ['cron(0 24 * * ? *)', 'hours "24" is not valid (0-23)'],
    ['cron(0 12 * FOO ? *)', 'month "FOO" is not valid'],
    ['cron(0 12 L * ? *)', 'L, W or #, which the local endpoint does not support'],
    ['cron(0 12 ? * 6#3 *)', 'L, W or #'],
    ['cron(? 12 * * ? *)', 'only day-of-month or day-of-week may be ?'],
    ['cron(0/0 * * * ? *)', 'minutes "0/0" is not valid'],
  ])('rejects %s', (expression, reason) => {
    const parsed = parseSchedule(expression);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(reason);
  });
});
