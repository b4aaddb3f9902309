import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../../shared/errors.js';
import type { BusEvent } from '../../../shared/events/contract.js';
import { driveKeys } from '../../../shared/reconcile/driver.js';
import type { StacksDeps } from '../../../shared/reconcile/stacks/ports.js';
import { routeEvent as routeStacks } from '../../../shared/reconcile/stacks/route.js';
import type { TargetsDeps } from '../../../shared/reconcile/targets/ports.js';
import { routeEvent as routeTargets } from '../../../shared/reconcile/targets/route.js';
import { reconcileKeys, type State } from '../../../shared/state/index.js';
import { CLUSTER, changeEvent, countingMetrics, memoryState, quietLogger, testConfig } from './fixtures.js';

/**
 * Lambda retries an event whose pass failed retryably. The mirror write of the first attempt is
 * done, so the retry finds a duplicate: the route must still name the event's keys and drive
 * those left dirty (without a new bump), or the key waits for resync.
 */
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/k8s-shop-web-0123456789/1';
const KEY = reconcileKeys.targetGroup(TG);
const SHOP = reconcileKeys.ingressStack(CLUSTER, 'shop');

function depsOver(state: State) {
  return {
    state,
    config: { ...testConfig, clusters: [...testConfig.clusters] },
    now: () => 1_800_000_000_000,
    newOwner: () => 'owner',
    logger: quietLogger,
    metrics: countingMetrics(),
  };
}

async function boundState(targetType: 'ip' | 'instance') {
  const state = memoryState();
  await state.bindings.put({
    cluster: CLUSTER,
    targetGroupArn: TG,
    stackKey: 'ingress/shop',
    service: { namespace: 'shop', name: 'web', port: 80 },
    targetType,
    createdBySlbc: true,
    updatedAt: '2027-01-15T08:00:00Z',
  });
  // the Service the pod events are matched against (no Endpoints mirrored: the selector decides)
  const deps = depsOver(state) as unknown as TargetsDeps;
  await routeTargets(
    deps,
    changeEvent(
      'Service',
      {
        metadata: { namespace: 'shop', name: 'web' },
        spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
      'create',
    ),
  );
  await state.queue.complete(KEY, 'nobody', 0);
  return state;
}

const readyPod = {
  metadata: { namespace: 'shop', name: 'web-1', labels: { app: 'web' } },
  spec: { nodeName: 'node-1' },
  status: {
    podIP: '10.0.0.7',
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'ContainersReady', status: 'True' },
    ],
  },
};
const statusPatch = (): BusEvent => {
  const event = changeEvent('Pod', readyPod);
  const detail = event.detail as Record<string, unknown>;
  delete detail['object'];
  delete detail['resourceVersion'];
  return {
    ...event,
    'detail-type': 'Pod Status Patched',
    detail: { ...detail, verb: 'patch', subresource: 'status', patch: { status: { podIP: '10.0.0.8' } } },
  };
};

describe('targets: a retried event drives the keys its first attempt left dirty', () => {
  it.each([
    {
      name: 'Endpoints',
      targetType: 'ip' as const,
      event: () =>
        changeEvent('Endpoints', {
          metadata: { namespace: 'shop', name: 'web' },
          subsets: [{ addresses: [{ ip: '10.0.0.7' }], ports: [{ port: 8080 }] }],
        }),
    },
    {
      name: 'a pod the selector reaches',
      targetType: 'ip' as const,
      event: () => changeEvent('Pod', readyPod),
    },
    { name: 'a pod status patch', targetType: 'ip' as const, event: statusPatch, before: readyPod },
    {
      name: 'a node of an instance binding',
      targetType: 'instance' as const,
      event: () =>
        changeEvent('Node', {
          metadata: { name: 'node-1' },
          spec: { providerID: 'aws:///eu-west-1a/i-0123456789abcdef0' },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        }),
    },
  ])('$name', async ({ targetType, event: makeEvent, before }) => {
    const state = await boundState(targetType);
    const deps = depsOver(state) as unknown as TargetsDeps;
    if (before !== undefined) await routeTargets(deps, changeEvent('Pod', before, 'create'));
    const event = makeEvent();
    const drive = (onlyIfDirty: boolean, pass: () => Promise<void>) =>
      driveKeys(
        [KEY],
        { queue: state.queue, newOwner: () => 'o', leaseSeconds: 60, what: 't', onlyIfDirty },
        pass,
      );

    // first attempt: the mirror is written, the key bumped, the pass fails retryably
    const first = await routeTargets(deps, event);
    expect([first.targetGroups, first.onlyIfDirty]).toEqual([[TG], undefined]);
    await expect(
      drive(false, async () => {
        throw new RetryableError('throttled');
      }),
    ).rejects.toThrow('throttled');

    // Lambda's retry: a duplicate, yet the key is named and worked, with no new bump
    const genBefore = (await state.queue.get(KEY))?.gen;
    const retry = await routeTargets(deps, event);
    expect([retry.targetGroups, retry.onlyIfDirty]).toEqual([[TG], true]);
    let passes = 0;
    await drive(true, async () => {
      passes += 1;
    });
    const entry = await state.queue.get(KEY);
    expect([passes, entry?.gen, entry?.doneGen]).toEqual([1, genBefore, genBefore]);

    // a third delivery finds the key settled: no pass
    await drive(true, async () => {
      passes += 1;
    });
    expect(passes).toBe(1);

    // an archive replay of the same event is history: no key at all
    const replayed = await routeTargets(deps, { ...event, 'replay-name': 'r1' });
    expect(replayed.targetGroups).toEqual([]);
  });
});

describe('stacks: a retried Ingress event names its group again', () => {
  it('names the group with onlyIfDirty; a replay names none', async () => {
    const deps = depsOver(memoryState()) as unknown as StacksDeps;
    const ingress = {
      metadata: {
        namespace: 'shop',
        name: 'web',
        annotations: {
          'kubernetes.io/ingress.class': 'alb',
          'alb.ingress.kubernetes.io/group.name': 'shop',
        },
      },
      spec: {
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    };
    const event = changeEvent('Ingress', ingress, 'create');
    expect(await routeStacks(deps, event)).toMatchObject({ keys: [SHOP] });
    const retry = await routeStacks(deps, event);
    expect([retry.keys, retry.onlyIfDirty]).toEqual([[SHOP], true]);
    expect((await routeStacks(deps, { ...event, 'replay-name': 'r1' })).keys).toEqual([]);
  });
});
