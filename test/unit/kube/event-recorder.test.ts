import { describe, expect, it } from 'vitest';
import {
  cutNote,
  eventName,
  type KubeEvent,
  kubeEventRecorder,
  newEventBody,
  repeatPatch,
} from '../../../shared/kube/event-recorder.js';

const WARNING: KubeEvent = {
  type: 'Warning',
  reason: 'FailedBuildModel',
  message: 'metadata.annotations["alb.ingress.kubernetes.io/listen-ports"]: not JSON',
  regarding: { kind: 'Ingress', namespace: 'default', name: 'bad' },
};

describe('eventName', () => {
  it.each([
    ['another message', { ...WARNING, message: 'other' }],
    ['another reason', { ...WARNING, reason: 'FailedDeployModel' }],
    ['another object', { ...WARNING, regarding: { ...WARNING.regarding, name: 'good' } }],
    ['another type', { ...WARNING, type: 'Normal' as const }],
  ])('differs for %s', (_name, other) => {
    expect(eventName(other)).not.toBe(eventName(WARNING));
  });

  it('is stable and a lowercase DNS subdomain starting with the object name', () => {
    expect(eventName({ ...WARNING })).toBe(eventName(WARNING));
    expect(eventName(WARNING)).toMatch(/^bad\.[0-9a-f]{16}$/);
  });
});

describe('bodies', () => {
  it('a new Event carries what the API server requires', () => {
    expect(newEventBody(WARNING, '2026-12-05T09:00:00.000000Z', 'i-1')).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: eventName(WARNING), namespace: 'default' },
      eventTime: '2026-12-05T09:00:00.000000Z',
      reportingController: 'slbc.k8s.aws/stacks',
      reportingInstance: 'i-1',
      action: 'Reconcile failed',
      type: 'Warning',
      reason: 'FailedBuildModel',
      note: WARNING.message,
      regarding: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'default', name: 'bad' },
    });
  });

  it.each([
    ['a single Event', {}, 2],
    ['a series of 4', { series: { count: 4, lastObservedTime: 'x' } }, 5],
  ])('a repeat of %s counts one more', (_name, existing, count) => {
    expect(repeatPatch(existing, 'now')).toEqual({ series: { count, lastObservedTime: 'now' } });
  });

  it('cuts a note over 1 KiB', () => {
    expect(Buffer.byteLength(cutNote('é'.repeat(1000)))).toBeLessThanOrEqual(1024);
    expect(cutNote('short')).toBe('short');
  });
});

describe('kubeEventRecorder', () => {
  it('creates once, then patches the series count of the same Event', async () => {
    const stored = new Map<string, Record<string, unknown>>();
    const calls: string[] = [];
    const api = {
      async getEvent(namespace: string, name: string) {
        calls.push(`get ${namespace}/${name}`);
        return stored.get(`${namespace}/${name}`);
      },
      async createEvent(namespace: string, event: Record<string, unknown>) {
        const name = (event['metadata'] as { name: string }).name;
        calls.push(`create ${namespace}/${name}`);
        stored.set(`${namespace}/${name}`, event);
      },
      async patchEvent(namespace: string, name: string, patch: Record<string, unknown>) {
        calls.push(`patch ${namespace}/${name} ${JSON.stringify(patch['series'])}`);
        stored.set(`${namespace}/${name}`, { ...stored.get(`${namespace}/${name}`), ...patch });
      },
    };
    const recorder = kubeEventRecorder(async () => api, {
      now: () => Date.UTC(2026, 11, 5, 9),
      instance: 'i-1',
    });
    await recorder.record('demo', WARNING);
    await recorder.record('demo', WARNING);
    await recorder.record('demo', WARNING);
    const name = eventName(WARNING);
    expect(calls).toEqual([
      `get default/${name}`,
      `create default/${name}`,
      `get default/${name}`,
      `patch default/${name} {"count":2,"lastObservedTime":"2026-12-05T09:00:00.000000Z"}`,
      `get default/${name}`,
      `patch default/${name} {"count":3,"lastObservedTime":"2026-12-05T09:00:00.000000Z"}`,
    ]);
  });
});
