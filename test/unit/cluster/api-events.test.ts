/** The pure parts of the simulated API's Events and local access. */
import { describe, expect, it } from 'vitest';
import { EventStore, routeEvents } from '../../../infra/local/cluster/api/events.js';
import { localPath } from '../../../infra/local/cluster/api/server.js';
import { fieldSelector } from '../../../infra/local/cluster/api/writes.js';

describe('routeEvents', () => {
  it.each([
    ['/apis/events.k8s.io/v1/events', { api: 'events.k8s.io/v1' }],
    ['/apis/events.k8s.io/v1/namespaces/demo/events', { api: 'events.k8s.io/v1', namespace: 'demo' }],
    ['/api/v1/namespaces/demo/events/shop.1', { api: 'v1', namespace: 'demo', name: 'shop.1' }],
    ['/api/v1/events', { api: 'v1' }],
    ['/api/v1/namespaces/demo/services', undefined],
    ['/apis/events.k8s.io/v2/events', undefined],
  ])('%s', (path, expected) => {
    expect(routeEvents(path)).toEqual(expected);
  });
});

describe('localPath', () => {
  it.each([
    ['/local/t1/api/v1/pods', 't1', '/api/v1/pods'],
    ['/local/t1', 't1', '/'],
    ['/local/t1x/api', 't1', undefined],
    ['/local/t2/api', 't1', undefined],
    ['/api/v1/pods', 't1', undefined],
    ['/local/t1/api', undefined, undefined],
  ])('%s with token %s', (path, token, expected) => {
    expect(localPath(path, token)).toBe(expected);
  });
});

describe('fieldSelector', () => {
  const event = { involvedObject: { kind: 'Ingress', name: 'shop' }, type: 'Warning' };
  it.each([
    ['', true],
    ['involvedObject.name=shop', true],
    ['involvedObject.name==shop,involvedObject.kind=Ingress', true],
    ['involvedObject.name=api', false],
    ['type!=Normal', true],
    ['involvedObject.uid=', true],
  ])('%s matches: %s', (selector, matches) => {
    expect(fieldSelector(selector)(event)).toBe(matches);
  });

  it('refuses a term it cannot read', () => {
    expect(() => fieldSelector('name~x')).toThrow(/invalid field selector term "name~x"/);
  });
});

describe('EventStore', () => {
  const base = {
    type: 'Normal',
    reason: 'SuccessfullyReconciled',
    note: 'ok',
    regarding: { kind: 'Service', namespace: 'demo', name: 'echo' },
    eventTime: '2026-12-05T08:00:00.000000Z',
    reportingController: 'slbc',
    reportingInstance: 'stacks',
    action: 'Reconcile',
  };

  it('names an Event from generateName, counts a series, and lists it as the report does', () => {
    const store = new EventStore(() => Date.parse('2026-12-05T08:00:00Z'));
    const created = store.create(
      'demo',
      { ...base, metadata: { generateName: 'echo.' } },
      'events.k8s.io/v1',
    );
    expect(created.metadata).toMatchObject({ namespace: 'demo', creationTimestamp: '2026-12-05T08:00:00Z' });
    expect(created.metadata.name).toMatch(/^echo\.[0-9a-f]{5}$/);
    store.patch(
      'demo',
      created.metadata.name,
      { series: { count: 4, lastObservedTime: base.eventTime } },
      'application/merge-patch+json',
      'events.k8s.io/v1',
    );
    expect(store.records()).toEqual([
      {
        type: 'Normal',
        reason: 'SuccessfullyReconciled',
        message: 'ok',
        involvedObject: { kind: 'Service', namespace: 'demo', name: 'echo' },
        count: 4,
      },
    ]);
    expect(store.view(store.list('demo')[0]!, 'v1')).toMatchObject({
      kind: 'Event',
      apiVersion: 'v1',
      count: 4,
      message: 'ok',
    });
  });

  it.each([
    ['a note over 1 KiB', { note: 'x'.repeat(1025) }, 'note: must be a string of at most 1024 bytes'],
    [
      'a namespace other than the path',
      { metadata: { name: 'a', namespace: 'other' } },
      'metadata.namespace',
    ],
    ['no name', { metadata: {} }, 'metadata.name: name or generateName is required'],
    ['a series without a count', { series: { lastObservedTime: 'x' } }, 'series.count: must be a number'],
  ])('refuses %s, naming the field', (_name, change, message) => {
    const store = new EventStore(() => 0);
    expect(() =>
      store.create('demo', { metadata: { name: 'e' }, ...base, ...change }, 'events.k8s.io/v1'),
    ).toThrow(message);
  });
});
