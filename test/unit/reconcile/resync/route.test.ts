import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../../shared/errors.js';
import { clustersToResync, isScheduledResync } from '../../../../shared/reconcile/resync/route.js';

const SERVED = ['demo', 'prod'];

describe('resync route: which clusters, and whether first sightings are held', () => {
  it.each([
    { name: 'the schedule input', event: { trigger: 'schedule' }, clusters: SERVED, scheduled: true },
    { name: 'an EventBridge Scheduler event without a body', event: null, clusters: SERVED, scheduled: true },
    { name: 'by hand, one cluster', event: { clusters: ['prod'] }, clusters: ['prod'], scheduled: false },
    { name: 'by hand, every cluster', event: { clusters: SERVED }, clusters: SERVED, scheduled: false },
  ])('$name', ({ event, clusters, scheduled }) => {
    expect(clustersToResync(event, SERVED)).toEqual(clusters);
    expect(isScheduledResync(event)).toBe(scheduled);
  });

  it.each([
    { name: 'an empty list', event: { clusters: [] }, message: /field clusters/ },
    { name: 'a cluster not served', event: { clusters: ['other'] }, message: /not served here: other/ },
    { name: 'not a list', event: { clusters: 'demo' }, message: /field clusters/ },
  ])('refuses $name, naming the field', ({ event, message }) => {
    expect(() => clustersToResync(event, SERVED)).toThrow(InvalidInputError);
    expect(() => clustersToResync(event, SERVED)).toThrow(message);
  });
});
