import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../infra/local/cluster/objects.js';
import { ObjectStore } from '../../../infra/local/cluster/store.js';

function object(kind: string, name: string, namespace?: string, owners: string[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      uid: `uid-${kind}-${namespace ?? ''}-${name}`,
      ...(owners.length === 0
        ? {}
        : {
            ownerReferences: owners.map((uid) => ({
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: uid,
              uid,
            })),
          }),
    },
  } as KubeObject;
}

const names = (objects: KubeObject[]) =>
  objects.map((o) => `${o.metadata.namespace ?? '-'}/${o.metadata.name}`);

describe('ObjectStore', () => {
  it('lists a kind in key order, by namespace, and cluster-scoped objects under no namespace', () => {
    const store = new ObjectStore();
    for (const [name, ns] of [
      ['web-b', 'shop'],
      ['web-a', 'shop'],
      ['api', 'default'],
      ['zeta', 'default'],
    ] as const)
      store.put(object('Pod', name, ns));
    store.put(object('Node', 'node-2'));
    store.put(object('Node', 'node-1'));
    expect(names(store.list('Pod'))).toEqual(['default/api', 'default/zeta', 'shop/web-a', 'shop/web-b']);
    expect(names(store.list('Pod', 'shop'))).toEqual(['shop/web-a', 'shop/web-b']);
    expect(names(store.list('Pod', 'nowhere'))).toEqual([]);
    expect(names(store.list('Node'))).toEqual(['-/node-1', '-/node-2']);
    expect(store.list('Secret')).toEqual([]);
  });

  it('keeps lists right after adds, replacements and removals', () => {
    const store = new ObjectStore();
    store.put(object('Pod', 'b', 'ns'));
    expect(names(store.list('Pod', 'ns'))).toEqual(['ns/b']);
    store.put(object('Pod', 'a', 'ns'));
    const replacement = object('Pod', 'b', 'ns');
    replacement.metadata.labels = { version: '2' };
    store.put(replacement);
    expect(store.list('Pod', 'ns').map((o) => o.metadata.labels)).toEqual([undefined, { version: '2' }]);
    store.remove('Pod', 'ns/a');
    store.remove('Pod', 'ns/missing');
    expect(names(store.list('Pod'))).toEqual(['ns/b']);
  });

  it('finds owned objects by owner uid, following ownerReferences edits and removals', () => {
    const store = new ObjectStore();
    store.put(object('Pod', 'p2', 'ns', ['rs-1']));
    store.put(object('Pod', 'p1', 'ns', ['rs-1']));
    store.put(object('Pod', 'p3', 'ns', ['rs-2']));
    store.put(object('Pod', 'other-ns', 'elsewhere', ['rs-1']));
    expect(names(store.listOwnedBy('Pod', 'ns', 'rs-1'))).toEqual(['ns/p1', 'ns/p2']);
    expect(names(store.listOwnedBy('Pod', undefined, 'rs-1'))).toEqual([
      'elsewhere/other-ns',
      'ns/p1',
      'ns/p2',
    ]);

    // an object edited in place and put again moves to its new owner
    const moved = store.get<KubeObject>('Pod', 'ns/p1');
    if (moved === undefined) throw new Error('ns/p1 not stored');
    moved.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs-2', uid: 'rs-2' },
    ];
    store.put(moved);
    expect(names(store.listOwnedBy('Pod', 'ns', 'rs-1'))).toEqual(['ns/p2']);
    expect(names(store.listOwnedBy('Pod', 'ns', 'rs-2'))).toEqual(['ns/p1', 'ns/p3']);

    store.remove('Pod', 'ns/p3');
    expect(names(store.listOwnedBy('Pod', 'ns', 'rs-2'))).toEqual(['ns/p1']);
    expect(store.listOwnedBy('Pod', 'ns', undefined)).toEqual([]);
    expect(store.listOwnedBy('ReplicaSet', 'ns', 'rs-1')).toEqual([]);
  });
});
