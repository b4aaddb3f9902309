import { describe, expect, it } from 'vitest';
import type { Endpoints } from '../../../../shared/k8s/objects.js';
import type { Known } from '../../../../shared/model/targets.js';
import { endpointsPodNames } from '../../../../shared/reconcile/targets/pods.js';
import type { TargetsDeps } from '../../../../shared/reconcile/targets/ports.js';
import { routeEvent } from '../../../../shared/reconcile/targets/route.js';
import { stateOver } from '../../../../shared/state/index.js';
import { memoryStore } from '../../../support/memory-store.js';
import { CLUSTER, changeEvent, countingMetrics, quietLogger } from '../fixtures.js';

const present = (subsets: NonNullable<Endpoints['subsets']>, annotations?: Record<string, string>) =>
  ({
    state: 'present',
    object: {
      metadata: { namespace: 'shop', name: 'web', ...(annotations ? { annotations } : {}) },
      subsets,
    },
  }) as Known<Endpoints>;
const address = (ip: string, name?: string, kind?: string) => ({
  ip,
  ...(name === undefined ? {} : { targetRef: { name, ...(kind === undefined ? {} : { kind }) } }),
});

describe('endpointsPodNames: which pods a pass reads by key', () => {
  it.each([
    {
      name: 'Endpoints not mirrored: the selector decides, list them',
      endpoints: { state: 'unknown' },
      want: undefined,
    },
    { name: 'Endpoints deleted: no pod', endpoints: { state: 'deleted' }, want: [] },
    {
      name: 'over capacity: the selector decides',
      endpoints: present([{ addresses: [address('10.0.0.1', 'a')] }], {
        'endpoints.kubernetes.io/over-capacity': 'truncated',
      }),
      want: undefined,
    },
    {
      name: 'ready and not-ready pods, once each, not other kinds or bare IPs',
      endpoints: present([
        {
          addresses: [address('10.0.0.2', 'b', 'Pod'), address('10.0.0.9'), address('10.0.0.8', 'n', 'Node')],
        },
        { addresses: [address('10.0.0.2', 'b')], notReadyAddresses: [address('10.0.0.1', 'a')] },
      ]),
      want: ['a', 'b'],
    },
  ])('$name', ({ endpoints, want }) => {
    expect(endpointsPodNames(endpoints as Known<Endpoints>)).toEqual(want);
  });
});

const TG = (name: string) => `arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/${name}/1`;
const service = (name: string, selector: Record<string, string> | undefined) => ({
  metadata: { namespace: 'shop', name },
  spec: { type: 'ClusterIP', ...(selector ? { selector } : {}), ports: [{ port: 80, targetPort: 8080 }] },
});
const pod = (
  labels: Record<string, string>,
  extra: { ip?: string; ready?: string; containersReady?: string },
) => ({
  metadata: { namespace: 'shop', name: 'p1', labels },
  status: {
    ...(extra.ip ? { podIP: extra.ip } : {}),
    conditions: [
      { type: 'Ready', status: extra.ready ?? 'False' },
      { type: 'ContainersReady', status: extra.containersReady ?? 'False' },
    ],
  },
});

/** Ten Services in `shop`, each bound to an ip target group; `web` also has its Endpoints mirrored. */
async function namespaceOfTen(withEndpoints: boolean) {
  const store = memoryStore();
  const state = stateOver(store, { now: () => 1_800_000_000_000 });
  const deps = {
    state,
    config: { clusters: [CLUSTER], leaseSeconds: 60 },
    now: () => 1_800_000_000_000,
    logger: quietLogger,
    metrics: countingMetrics(),
  } as unknown as TargetsDeps;
  const names = ['web', ...Array.from({ length: 9 }, (_, i) => `other${i}`)];
  for (const name of names) {
    await state.bindings.put({
      cluster: CLUSTER,
      targetGroupArn: TG(name),
      stackKey: `service/shop/${name}`,
      service: { namespace: 'shop', name, port: 80 },
      targetType: 'ip',
      createdBySlbc: true,
      updatedAt: '2027-01-15T08:00:00Z',
    });
    await routeEvent(deps, changeEvent('Service', service(name, { app: name }), 'create'));
  }
  await routeEvent(deps, changeEvent('Service', service('manual', undefined), 'create'));
  if (withEndpoints) {
    await routeEvent(
      deps,
      changeEvent('Endpoints', { metadata: { namespace: 'shop', name: 'web' }, subsets: [] }, 'create'),
    );
  }
  return { deps, store };
}

describe('routeEvent for a pod: the Services that select it, read in one round trip', () => {
  it.each([
    {
      name: 'IP and readiness, Endpoints mirrored: left to the Endpoints event',
      endpoints: true,
      pod: pod({ app: 'web' }, { ip: '10.0.0.1', ready: 'True', containersReady: 'True' }),
      want: [],
    },
    {
      name: 'IP and readiness, no Endpoints: the selector decides',
      endpoints: false,
      pod: pod({ app: 'web' }, { ip: '10.0.0.1', ready: 'True', containersReady: 'True' }),
      want: [TG('web')],
    },
    {
      name: 'containers ready under a gate: only the selecting Service',
      endpoints: true,
      first: pod({ app: 'web' }, { ip: '10.0.0.1' }),
      pod: pod({ app: 'web' }, { ip: '10.0.0.1', containersReady: 'True' }),
      want: [TG('web')],
    },
    {
      name: 'a pod no Service selects',
      endpoints: false,
      pod: pod({ app: 'nobody' }, { ip: '10.0.0.1', ready: 'True', containersReady: 'True' }),
      want: [],
    },
  ])('$name', async ({ endpoints, first, pod: object, want }) => {
    const { deps, store } = await namespaceOfTen(endpoints);
    if (first !== undefined) await routeEvent(deps, changeEvent('Pod', first, 'create'));
    const before = store.capacity.calls;
    const routed = await routeEvent(deps, changeEvent('Pod', object, first ? 'update' : 'create'));
    expect(routed.targetGroups).toEqual(want);
    // the mirror's read and write, one Query of the Services, then per selecting Service
    // (web, and `manual`, which has no selector) its Endpoints and its bindings: never one read
    // per binding or Service of the namespace (ten of each here)
    expect(store.capacity.calls - before).toBeLessThanOrEqual(7);
  });
});
