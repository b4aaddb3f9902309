import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../../shared/k8s/objects.js';
import { podChange } from '../../../../shared/reconcile/targets/route.js';

const pod = (
  extra: {
    ip?: string;
    ready?: string;
    containersReady?: string;
    deleting?: boolean;
    labels?: Record<string, string>;
    uid?: string;
  } = {},
): Pod => ({
  metadata: {
    name: 'p',
    namespace: 'web',
    uid: extra.uid ?? 'u1',
    labels: extra.labels ?? { app: 'web' },
    ...(extra.deleting === true ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
  },
  status: {
    ...(extra.ip === undefined ? {} : { podIP: extra.ip }),
    conditions: [
      { type: 'Ready', status: extra.ready ?? 'False' },
      { type: 'ContainersReady', status: extra.containersReady ?? 'False' },
    ],
  },
});

describe('podChange: which pod events can move targets', () => {
  it.each([
    {
      name: 'nothing read changed',
      before: pod(),
      after: { ...pod(), status: { ...pod().status, phase: 'Running' } },
      want: 'none',
    },
    {
      name: 'got an IP: Endpoints will carry it',
      before: pod(),
      after: pod({ ip: '10.0.0.1' }),
      want: 'endpoints-visible',
    },
    {
      name: 'turned Ready: Endpoints will carry it',
      before: pod({ ip: '1' }),
      after: pod({ ip: '1', ready: 'True', containersReady: 'True' }),
      want: 'endpoints-visible',
    },
    {
      name: 'terminating: Endpoints drops it at once',
      before: pod({ ready: 'True', containersReady: 'True' }),
      after: pod({ ready: 'True', containersReady: 'True', deleting: true }),
      want: 'endpoints-visible',
    },
    { name: 'created or deleted', before: undefined, after: pod(), want: 'endpoints-visible' },
    {
      name: 'first seen already gated (created after its Endpoints): only the pod shows it',
      before: undefined,
      after: pod({ ip: '10.0.0.1', containersReady: 'True' }),
      want: 'direct',
    },
    {
      name: 'first seen Ready: Endpoints carries it',
      before: undefined,
      after: pod({ ip: '10.0.0.1', ready: 'True', containersReady: 'True' }),
      want: 'endpoints-visible',
    },
    {
      name: 'containers ready, Ready held by a gate: only the pod shows it',
      before: pod(),
      after: pod({ containersReady: 'True' }),
      want: 'direct',
    },
    {
      name: 'labels changed: selector membership',
      before: pod(),
      after: pod({ labels: { app: 'other' } }),
      want: 'direct',
    },
  ])('$name → $want', ({ before, after, want }) => expect(podChange(before, after)).toBe(want));
});
