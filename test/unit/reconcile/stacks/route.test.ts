import { describe, expect, it } from 'vitest';
import type { StacksDeps } from '../../../../shared/reconcile/stacks/ports.js';
import { routeEvent } from '../../../../shared/reconcile/stacks/route.js';
import { reconcileKeys } from '../../../../shared/state/index.js';
import { CLUSTER, changeEvent, countingMetrics, memoryState, quietLogger, testConfig } from '../fixtures.js';

/** Only what routing reads: the mirror, the served clusters, the class. */
function deps(): StacksDeps {
  return {
    state: memoryState(),
    config: { ...testConfig, clusters: [...testConfig.clusters] },
    logger: quietLogger,
    metrics: countingMetrics(),
    now: () => 0,
    newOwner: () => 'owner',
  } as unknown as StacksDeps;
}

const action = (serviceName: string) =>
  JSON.stringify({
    type: 'forward',
    forwardConfig: { targetGroups: [{ serviceName, servicePort: 80, weight: 100 }] },
  });

/** An Ingress in group `shop` whose one path forwards through `actions.split`. */
function splitIngress(serviceName: string) {
  return {
    metadata: {
      namespace: 'shop',
      name: 'web',
      annotations: {
        'kubernetes.io/ingress.class': 'alb',
        'alb.ingress.kubernetes.io/group.name': 'shop',
        'alb.ingress.kubernetes.io/actions.split': action(serviceName),
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
                backend: { service: { name: 'split', port: { name: 'use-annotation' } } },
              },
            ],
          },
        },
      ],
    },
  };
}

const service = (name: string, namespace = 'shop') => ({
  metadata: { namespace, name },
  spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }] },
});

const SHOP = reconcileKeys.ingressStack(CLUSTER, 'shop');

describe('stacks routing: a Service renamed in an actions.* annotation', () => {
  it('reaches the group through the new name, not the old one nor the action name', async () => {
    const d = deps();
    expect((await routeEvent(d, changeEvent('Ingress', splitIngress('cart-v1'), 'create'))).keys).toEqual([
      SHOP,
    ]);
    // the annotation now names cart-v2: the Ingress change rebuilds its group
    expect((await routeEvent(d, changeEvent('Ingress', splitIngress('cart-v2')))).keys).toEqual([SHOP]);
    const cases = [
      { name: 'cart-v2', keys: [SHOP] },
      { name: 'cart-v1', keys: [] },
      { name: 'split', keys: [] },
      { name: 'cart', keys: [] },
    ];
    for (const { name, keys } of cases) {
      const routed = await routeEvent(d, changeEvent('Service', service(name), 'create'));
      expect({ name, keys: routed.keys }).toEqual({ name, keys });
    }
  });
});

describe('stacks routing', () => {
  it.each([
    {
      name: 'a LoadBalancer Service: its own NLB stack',
      object: { metadata: { namespace: 'shop', name: 'edge' }, spec: { type: 'LoadBalancer', ports: [] } },
      keys: [reconcileKeys.serviceStack(CLUSTER, 'shop', 'edge')],
    },
    { name: 'a Service of another namespace', object: service('cart-v1', 'other'), keys: [] },
  ])('$name', async ({ object, keys }) => {
    const d = deps();
    await routeEvent(d, changeEvent('Ingress', splitIngress('cart-v1'), 'create'));
    expect((await routeEvent(d, changeEvent('Service', object, 'create'))).keys).toEqual(keys);
  });

  it('an IngressClass change reaches the groups naming it or none', async () => {
    const d = deps();
    await routeEvent(d, changeEvent('Ingress', splitIngress('cart-v1'), 'create'));
    const routed = await routeEvent(d, changeEvent('IngressClass', { metadata: { name: 'alb' }, spec: {} }));
    expect(routed.keys).toEqual([SHOP]);
  });

  it('bad input is an InvalidInputError naming the field', async () => {
    const event = changeEvent('Service', service('x'));
    (event.detail as Record<string, unknown>)['cluster'] = 'elsewhere';
    await expect(routeEvent(deps(), event)).rejects.toThrow(/field detail.cluster|elsewhere/);
  });
});
