import { describe, expect, it } from 'vitest';
import type { BusEvent } from '../../../shared/events/contract.js';
import type { ObjectFetcher } from '../../../shared/reconcile/stacks/fetch.js';
import type { TargetsDeps } from '../../../shared/reconcile/targets/ports.js';
import { routeEvent } from '../../../shared/reconcile/targets/route.js';
import { CLUSTER, changeEvent, countingMetrics, memoryState, quietLogger } from './fixtures.js';

/**
 * A pod, Service or Endpoints change too big for the bus arrives as `needsResync` without its
 * object: targets fetches it from the Kubernetes API and routes it like any change, or records
 * one error naming the object and the field. Never a silent drop.
 */
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/k8s-shop-web-0123456789/1';
const BIG = 'x'.repeat(2 * 1024 * 1024);

const endpoints = (annotations: Record<string, string> = {}) => ({
  metadata: { namespace: 'shop', name: 'web', uid: 'uid-ep', resourceVersion: '5000', annotations },
  subsets: [{ addresses: [{ ip: '10.0.0.7' }], ports: [{ port: 8080 }] }],
});

function withoutObject(event: BusEvent): BusEvent {
  const { object: _object, ...detail } = event.detail as Record<string, unknown>;
  return { ...event, detail: { ...detail, needsResync: true } };
}

async function setup(fetchObject: ObjectFetcher | undefined) {
  const state = memoryState();
  await state.bindings.put({
    cluster: CLUSTER,
    targetGroupArn: TG,
    stackKey: 'service/shop/web',
    service: { namespace: 'shop', name: 'web', port: 80 },
    targetType: 'ip',
    createdBySlbc: true,
    updatedAt: '2027-01-15T08:00:00Z',
  });
  const deps = {
    state,
    config: { clusters: [CLUSTER], leaseSeconds: 60 },
    now: () => 1_800_000_000_000,
    logger: quietLogger,
    metrics: countingMetrics(),
    ...(fetchObject === undefined ? {} : { fetchObject }),
  } as unknown as TargetsDeps;
  return { state, deps };
}

describe('targets: a needsResync change is fetched from the Kubernetes API', () => {
  it.each([
    {
      name: 'the object exists: mirrored and its binding reconciled',
      fetch: async () => endpoints(),
      targetGroups: [TG],
      mirrored: 'present',
      error: undefined,
    },
    {
      name: 'the object is gone: a delete (tombstone), its binding reconciled',
      fetch: async () => undefined,
      targetGroups: [TG],
      mirrored: 'deleted',
      error: undefined,
    },
    {
      name: 'the object is over the mirror item limit: one error naming it and the annotation',
      fetch: async () => endpoints({ 'example.com/blob': BIG }),
      targetGroups: [],
      mirrored: 'unknown',
      error: {
        kind: 'Endpoints',
        name: 'web',
        field: 'metadata.annotations["example.com/blob"]',
        says: /over slbc's/,
      },
    },
    {
      name: 'the API fails: one error naming the object',
      fetch: async () => {
        throw new Error('503 from the API');
      },
      targetGroups: [],
      mirrored: 'unknown',
      error: { kind: 'Endpoints', name: 'web', field: 'needsResync', says: /503 from the API/ },
    },
    {
      name: 'no Kubernetes API wired: one error naming the object',
      fetch: undefined,
      targetGroups: [],
      mirrored: 'unknown',
      error: { kind: 'Endpoints', name: 'web', field: 'needsResync', says: /no Kubernetes API/ },
    },
  ])('$name', async ({ fetch, targetGroups, mirrored, error }) => {
    const { state, deps } = await setup(fetch as ObjectFetcher | undefined);
    const routed = await routeEvent(deps, withoutObject(changeEvent('Endpoints', endpoints())));
    expect(routed.targetGroups).toEqual(targetGroups);
    expect((await state.mirror.lookup(CLUSTER, 'Endpoints', 'shop', 'web')).state).toBe(mirrored);
    const errors = await state.errors.list();
    if (error === undefined) expect(errors).toEqual([]);
    else {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        kind: error.kind,
        namespace: 'shop',
        name: error.name,
        field: error.field,
        key: 'targets',
      });
      expect(errors[0]?.message).toMatch(error.says);
    }
  });

  it('a later fetch that works clears the earlier error', async () => {
    let object: Record<string, unknown> = endpoints({ 'example.com/blob': BIG });
    const { state, deps } = await setup(async () => object);
    await routeEvent(deps, withoutObject(changeEvent('Endpoints', endpoints())));
    expect(await state.errors.list()).toHaveLength(1);
    object = endpoints();
    expect(
      (await routeEvent(deps, withoutObject(changeEvent('Endpoints', endpoints())))).targetGroups,
    ).toEqual([TG]);
    expect(await state.errors.list()).toEqual([]);
  });
});
