import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoints, Service } from '../../../shared/k8s/objects.js';
import { openState, type State } from '../../../shared/state/index.js';
import { keys } from '../../../shared/state/keys.js';
import { startDynalite } from './dynalite-helper.js';

/**
 * The summaries a pod event reads instead of whole documents (shared/state/mirror-summary.ts),
 * against dynalite: a ProjectionExpression must name its attributes through placeholders, and
 * an item written before the summaries existed must still be answered (read whole).
 */
let env: Awaited<ReturnType<typeof startDynalite>>;
let state: State;
const clock = Date.parse('2025-01-01T00:00:00Z');
let second = 0;
const next = () => {
  second += 1;
  return { observedAt: `2025-01-01T00:00:${String(second).padStart(2, '0')}.000000Z`, auditId: `a${second}` };
};

beforeAll(async () => {
  env = await startDynalite();
  state = openState(env.dynamodb, env.tableName, { now: () => clock, historyDays: 1 });
});
afterAll(async () => env.close());

function service(namespace: string, name: string, selector?: Record<string, string>): Service {
  return {
    metadata: { name, namespace, uid: `u-${name}`, resourceVersion: '10' },
    spec: {
      type: 'ClusterIP',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
      ...(selector === undefined ? {} : { selector }),
    },
  } as Service;
}

function endpoints(namespace: string, name: string, annotations?: Record<string, string>): Endpoints {
  return {
    metadata: {
      name,
      namespace,
      uid: `u-ep-${name}`,
      resourceVersion: '10',
      ...(annotations ? { annotations } : {}),
    },
    subsets: [{ addresses: [{ ip: '10.0.1.5' }], ports: [{ port: 8080, protocol: 'TCP' }] }],
  } as Endpoints;
}

/** An item as the mirror wrote it before summaries: the document only. */
async function writeLegacy(kind: string, namespace: string, name: string, object: object): Promise<void> {
  const key = keys.object('c1', kind, namespace, name);
  await env.dynamodb.send(
    new PutItemCommand({
      TableName: env.tableName,
      Item: {
        pk: { S: key.pk },
        sk: { S: key.sk },
        kind: { S: kind },
        name: { S: name },
        namespace: { S: namespace },
        order: { S: '2025-01-01T00:00:00.000000Z#legacy' },
        deleted: { BOOL: false },
        rev: { N: '1' },
        rv: { S: '5' },
        doc: { S: JSON.stringify(object) },
      },
    }),
  );
}

async function rawItem(kind: string, namespace: string, name: string) {
  const key = keys.object('c1', kind, namespace, name);
  const result = await env.dynamodb.send(
    new GetItemCommand({ TableName: env.tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }),
  );
  return result.Item;
}

describe('mirror summaries', () => {
  it('lists the namespace Services’ selectors, leaving out deleted ones and other namespaces', async () => {
    // written first, as by a version before the selector index: c1's index is never ready, so
    // the answer comes from the Service items (the index's own tests: selector-index.test.ts)
    await writeLegacy('Service', 'shop', 'legacy', service('shop', 'legacy', { app: 'old' }));
    await state.mirror.upsertObject('c1', 'Service', service('shop', 'web', { app: 'web' }), next());
    await state.mirror.upsertObject('c1', 'Service', service('shop', 'headless'), next());
    await state.mirror.upsertObject('c1', 'Service', service('shop', 'gone', { app: 'gone' }), next());
    await state.mirror.deleteObject(
      { cluster: 'c1', kind: 'Service', namespace: 'shop', name: 'gone', resourceVersion: '11' },
      next(),
    );
    await state.mirror.upsertObject('c1', 'Service', service('shopping', 'other', { app: 'x' }), next());

    expect(await state.mirror.listServiceSelectors('c1', 'shop')).toEqual([
      { name: 'headless', selector: null },
      { name: 'legacy', selector: { app: 'old' } },
      { name: 'web', selector: { app: 'web' } },
    ]);
    expect(await state.mirror.listServiceSelectors('c1', 'empty')).toEqual([]);
    // the selector is stored beside the document, so the Query can leave the document out
    expect((await rawItem('Service', 'shop', 'web'))?.['sel']).toEqual({ S: '{"app":"web"}' });
    expect((await rawItem('Service', 'shop', 'gone'))?.['sel']).toBeUndefined();
  });

  it.each([
    ['an Endpoints listing its pods', 'listed', () => endpoints('shop', 'listed')],
    [
      'an Endpoints over capacity',
      'over-capacity',
      () => endpoints('shop', 'over-capacity', { 'endpoints.kubernetes.io/over-capacity': 'truncated' }),
    ],
  ] as const)('answers %s as %s', async (_name, want, make) => {
    const object = make();
    await state.mirror.upsertObject('c1', 'Endpoints', object, next());
    expect(await state.mirror.endpointsCapacity('c1', 'shop', object.metadata.name)).toBe(want);
    expect((await rawItem('Endpoints', 'shop', object.metadata.name))?.['ovc']).toEqual({
      BOOL: want === 'over-capacity',
    });
  });

  it('answers absent for an Endpoints never mirrored or deleted, and reads a legacy item whole', async () => {
    expect(await state.mirror.endpointsCapacity('c1', 'shop', 'never')).toBe('absent');
    await state.mirror.upsertObject('c1', 'Endpoints', endpoints('shop', 'deleted'), next());
    await state.mirror.deleteObject(
      { cluster: 'c1', kind: 'Endpoints', namespace: 'shop', name: 'deleted', resourceVersion: '11' },
      next(),
    );
    expect(await state.mirror.endpointsCapacity('c1', 'shop', 'deleted')).toBe('absent');
    await writeLegacy(
      'Endpoints',
      'shop',
      'legacy-full',
      endpoints('shop', 'legacy-full', { 'endpoints.kubernetes.io/over-capacity': 'truncated' }),
    );
    expect(await state.mirror.endpointsCapacity('c1', 'shop', 'legacy-full')).toBe('over-capacity');
  });
});
