import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../../shared/k8s/objects.js';
import { type State, stateOver } from '../../../shared/state/index.js';
import { keys } from '../../../shared/state/keys.js';
import { serviceSelectors } from '../../../shared/state/mirror-summary.js';
import { SelectorIndex } from '../../../shared/state/selector-index.js';
import { createStore, type Item, type Store } from '../../../shared/state/store.js';
import { startDynalite } from './dynalite-helper.js';

/**
 * The selector index (shared/state/selector-index.ts) against dynalite: kept in step with the
 * mirror's Service items without a transaction, ready at once for a fresh cluster and after
 * resync's check for one with older items, and a fraction of the read units.
 */
let env: Awaited<ReturnType<typeof startDynalite>>;
let clock = Date.parse('2025-01-01T00:00:00Z');
let second = 0;
const next = () => {
  second += 1;
  return {
    observedAt: new Date(Date.parse('2025-01-01T00:00:00Z') + second * 1000).toISOString(),
    auditId: `a${second}`,
  };
};

/** The store, with a switch that fails the next selector index write, and the Queries made. */
function instrumented(store: Store) {
  const spy = { failNextIndexWrite: false, queried: [] as string[] };
  const wrapped: Store = {
    ...store,
    capacity: store.capacity,
    get: (key, options) => store.get(key, options),
    batchGet: (keysToGet, options) => store.batchGet(keysToGet, options),
    update: (key, spec) => store.update(key, spec),
    delete: (key, condition) => store.delete(key, condition),
    put: async (item, condition) => {
      if (spy.failNextIndexWrite && item.pk.startsWith('svcsel#')) {
        spy.failNextIndexWrite = false;
        throw new Error('the invocation timed out between the two writes');
      }
      return store.put(item, condition);
    },
    query: (pk, spec) => {
      spy.queried.push(pk);
      return store.query(pk, spec);
    },
  };
  return { store: wrapped, spy };
}

let store: Store;
let spy: ReturnType<typeof instrumented>['spy'];
let state: State;

beforeAll(async () => {
  env = await startDynalite();
  ({ store, spy } = instrumented(createStore(env.dynamodb, env.tableName)));
  state = stateOver(store, { now: () => clock, historyDays: 1 });
});
afterAll(async () => env.close());

function service(namespace: string, name: string, selector?: Record<string, string>, rv = '10'): Service {
  return {
    metadata: {
      name,
      namespace,
      uid: `u-${name}-${rv}`,
      resourceVersion: rv,
      // bulk, as real Services carry (annotations, ports): what reading the items whole bills
      annotations: Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [`example.com/note-${i}`, 'x'.repeat(48)]),
      ),
    },
    spec: {
      type: 'ClusterIP',
      ports: Array.from({ length: 4 }, (_, i) => ({
        name: `p${i}`,
        port: 80 + i,
        protocol: 'TCP',
        targetPort: 8080 + i,
      })),
      ...(selector === undefined ? {} : { selector }),
    },
  } as Service;
}

async function rawEntry(cluster: string, namespace: string, name: string) {
  return store.get(keys.selectorEntry(cluster, namespace, name));
}

/** An item as a version before the selector index wrote it: no index entry. */
async function writeWithoutIndex(cluster: string, svc: Service, rev: number, withSelector = true) {
  const { namespace = '', name } = svc.metadata;
  const item: Item & { pk: string; sk: string } = {
    ...keys.object(cluster, 'Service', namespace, name),
    kind: 'Service',
    name,
    namespace,
    order: `2025-01-01T00:00:00.000000Z#${name}`,
    deleted: false,
    rev,
    rv: svc.metadata.resourceVersion ?? '1',
    doc: JSON.stringify(svc),
  };
  if (withSelector) item['sel'] = JSON.stringify(svc.spec.selector ?? null);
  await store.put(item);
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

describe('selector index', () => {
  it("is ready from a fresh cluster's first Service, and answers as the Service items do, without reading them", async () => {
    const cluster = 'fresh';
    await state.mirror.upsertObject(cluster, 'Service', service('shop', 'web', { app: 'web' }), next());
    expect(await store.get(keys.selectorMarker(cluster, '#ready'))).toBeDefined();
    await state.mirror.upsertObject(cluster, 'Service', service('shop', 'headless'), next());
    await state.mirror.upsertObject(cluster, 'Service', service('shop', 'gone', { app: 'gone' }), next());
    await state.mirror.deleteObject(
      { cluster, kind: 'Service', namespace: 'shop', name: 'gone', resourceVersion: '11' },
      next(),
    );
    await state.mirror.upsertObject(
      cluster,
      'Service',
      service('shop', 'web', { app: 'web2' }, '12'),
      next(),
    );
    await state.mirror.upsertObject(cluster, 'Service', service('shopping', 'other', { app: 'x' }), next());

    spy.queried.length = 0;
    const listed = await state.mirror.listServiceSelectors(cluster, 'shop');
    expect(spy.queried).toEqual([keys.selectorPartition(cluster)]);
    const fromItems = await serviceSelectors(store, cluster, 'shop', clock, async () => undefined);
    expect(listed).toEqual([
      { name: 'headless', selector: null },
      { name: 'web', selector: { app: 'web2' } },
    ]);
    expect([...listed].sort(byName)).toEqual([...fromItems].sort(byName));
    expect(await state.mirror.listServiceSelectors(cluster, 'empty')).toEqual([]);
  });

  it("is ready when a fresh cluster's Services arrive at once, and lists every one", async () => {
    const cluster = 'burst';
    const names = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
    await Promise.all(
      names.map((name) =>
        state.mirror.upsertObject(cluster, 'Service', service('ns', name, { app: name }), next()),
      ),
    );
    expect(await store.get(keys.selectorMarker(cluster, '#ready'))).toBeDefined();
    spy.queried.length = 0;
    const listed = await state.mirror.listServiceSelectors(cluster, 'ns');
    expect(spy.queried).toEqual([keys.selectorPartition(cluster)]);
    expect(listed.map((s) => s.name).sort()).toEqual([...names].sort());
  });

  it('costs a fraction of the read units of the Service items', async () => {
    const cluster = 'big';
    for (let i = 0; i < 100; i += 1) {
      await state.mirror.upsertObject(
        cluster,
        'Service',
        service('big', `svc-${i}`, { app: `a${i}` }),
        next(),
      );
    }
    const unitsOf = async (read: () => Promise<unknown>) => {
      const before = store.capacity.readUnits;
      await read();
      return store.capacity.readUnits - before;
    };
    await state.mirror.listServiceSelectors(cluster, 'big'); // the ready marker, cached from here on
    const index = await unitsOf(() => state.mirror.listServiceSelectors(cluster, 'big'));
    const items = await unitsOf(() => serviceSelectors(store, cluster, 'big', clock, async () => undefined));
    console.log(`100 Services: ${index} read units from the index, ${items} from the Service items`);
    expect(index).toBeGreaterThan(0);
    expect(index * 4).toBeLessThan(items);
  });

  it('is never taken back by a late write', async () => {
    const index = new SelectorIndex(store, () => clock);
    const entry = { namespace: 'ns', name: 'svc', deleted: false };
    expect(await index.record('late', { ...entry, selector: { v: '3' }, rev: 3 })).toBe(true);
    expect(await index.record('late', { ...entry, selector: { v: '2' }, rev: 2 })).toBe(false);
    expect(await index.record('late', { ...entry, selector: { v: '3b' }, rev: 3 })).toBe(false);
    expect((await rawEntry('late', 'ns', 'svc'))?.['sel']).toBe('{"v":"3"}');
  });

  it('is repaired by the retry of an invocation that failed between the two writes', async () => {
    const cluster = 'crash';
    await state.mirror.upsertObject(cluster, 'Service', service('ns', 'svc', { app: 'v1' }), next());
    const changed = service('ns', 'svc', { app: 'v2' }, '11');
    spy.failNextIndexWrite = true;
    const meta = next();
    await expect(state.mirror.upsertObject(cluster, 'Service', changed, meta)).rejects.toThrow('timed out');
    expect((await rawEntry(cluster, 'ns', 'svc'))?.['sel']).toBe('{"app":"v1"}');
    // Lambda's retry: the mirror already holds the change and writes nothing; the index catches up
    const retried = await state.mirror.upsertObject(cluster, 'Service', changed, meta);
    expect(retried.applied).toBe(false);
    expect(await state.mirror.listServiceSelectors(cluster, 'ns')).toEqual([
      { name: 'svc', selector: { app: 'v2' } },
    ]);
  });

  it('follows a Service recreated after its tombstone expired, whose mirror revision starts again', async () => {
    const cluster = 'expiry';
    await state.mirror.upsertObject(cluster, 'Service', service('ns', 'svc', { app: 'old' }), next());
    await state.mirror.upsertObject(cluster, 'Service', service('ns', 'svc', { app: 'older' }, '11'), next());
    await state.mirror.deleteObject(
      { cluster, kind: 'Service', namespace: 'ns', name: 'svc', resourceVersion: '12' },
      next(),
    );
    expect(await state.mirror.listServiceSelectors(cluster, 'ns')).toEqual([]);
    const saved = clock;
    clock += 2 * 86_400_000; // past the one-day tombstone
    try {
      await state.mirror.upsertObject(cluster, 'Service', service('ns', 'svc', { app: 'new' }, '20'), next());
      expect((await store.get(keys.object(cluster, 'Service', 'ns', 'svc')))?.['rev']).toBe(1);
      expect(await state.mirror.listServiceSelectors(cluster, 'ns')).toEqual([
        { name: 'svc', selector: { app: 'new' } },
      ]);
    } finally {
      clock = saved;
    }
  });

  it("is built by resync's check where Services predate it, then repaired where it lags or outlives a Service", async () => {
    const cluster = 'upgraded';
    await writeWithoutIndex(cluster, service('ns', 'a', { app: 'a' }), 4);
    await writeWithoutIndex(cluster, service('ns', 'b'), 2);
    await writeWithoutIndex(cluster, service('ns', 'c', { app: 'c' }), 7, false); // before summaries too
    await state.mirror.upsertObject(cluster, 'Service', service('ns', 'd', { app: 'd' }), next());
    expect(await store.get(keys.selectorMarker(cluster, '#ready'))).toBeUndefined();
    const want = [
      { name: 'a', selector: { app: 'a' } },
      { name: 'b', selector: null },
      { name: 'c', selector: { app: 'c' } },
      { name: 'd', selector: { app: 'd' } },
    ];
    // not ready: read from the Service items, d's entry already written
    spy.queried.length = 0;
    expect(await state.mirror.listServiceSelectors(cluster, 'ns')).toEqual(want);
    expect(spy.queried).toEqual([keys.objectPartition(cluster, 'Service')]);

    expect(await state.mirror.syncSelectorIndex(cluster)).toEqual({ written: 3, markedReady: true });
    spy.queried.length = 0;
    expect(await state.mirror.listServiceSelectors(cluster, 'ns')).toEqual(want);
    expect(spy.queried).toEqual([keys.selectorPartition(cluster)]);

    // an entry left behind (a write the deploy window lost) and one whose Service is gone
    await writeWithoutIndex(cluster, service('ns', 'a', { app: 'a2' }), 5);
    const index = new SelectorIndex(store, () => clock);
    await index.record(cluster, { namespace: 'ns', name: 'ghost', selector: {}, rev: 1, deleted: false });
    expect(await state.mirror.syncSelectorIndex(cluster)).toEqual({ written: 2, markedReady: false });
    expect(await state.mirror.listServiceSelectors(cluster, 'ns')).toEqual([
      { name: 'a', selector: { app: 'a2' } },
      ...want.slice(1),
    ]);
    expect(await state.mirror.syncSelectorIndex(cluster)).toEqual({ written: 0, markedReady: false });
  });
});
