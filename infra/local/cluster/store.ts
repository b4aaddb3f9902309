/**
 * The object store: every object by kind and key, and the cluster-wide resourceVersion counter
 * (etcd's revision: every write takes the next value, so versions only ever increase). Reads
 * hand out the stored objects themselves; callers outside the simulator get clones.
 *
 * The controllers list on every pass, so lists must not cost a sort of the whole kind: each
 * kind keeps its keys in order (rebuilt only when a key is added or removed), split by
 * namespace, and an index of the objects each owner uid owns (a ReplicaSet's pods). With a
 * thousand pods a controller pass was quadratic without them.
 */
import { type KubeObject, keyOf } from './objects.js';

interface KindIndex {
  objects: Map<string, KubeObject>;
  /** namespace (or ALL, CLUSTER_SCOPED) -> keys in order; dropped when a key is added or removed */
  sorted: Map<string, string[]> | undefined;
  /** owner uid -> keys of the objects whose ownerReferences name it */
  byOwner: Map<string, Set<string>>;
  /** key -> the owner uids it was indexed under (the object may since have been edited in place) */
  ownersOf: Map<string, string[]>;
}

const ALL = '\0all';
const CLUSTER_SCOPED = '\0cluster';

export class ObjectStore {
  private revision: number;
  private readonly byKind = new Map<string, KindIndex>();

  constructor(startRevision = 1000) {
    this.revision = startRevision;
  }

  /** the newest resourceVersion handed out, as lists report it */
  get resourceVersion(): string {
    return String(this.revision);
  }

  nextResourceVersion(): string {
    this.revision++;
    return String(this.revision);
  }

  get<T extends KubeObject>(kind: string, key: string): T | undefined {
    return this.byKind.get(kind)?.objects.get(key) as T | undefined;
  }

  /** objects of `kind`, in `namespace` when given, ordered by key so output is stable */
  list<T extends KubeObject>(kind: string, namespace?: string): T[] {
    const index = this.byKind.get(kind);
    if (index === undefined) return [];
    return this.keysOf(index, namespace ?? ALL).map((key) => index.objects.get(key) as T);
  }

  /** objects of `kind` in `namespace` whose ownerReferences name `ownerUid`, ordered by key */
  listOwnedBy<T extends KubeObject>(
    kind: string,
    namespace: string | undefined,
    ownerUid: string | undefined,
  ): T[] {
    const index = this.byKind.get(kind);
    const keys = ownerUid === undefined ? undefined : index?.byOwner.get(ownerUid);
    if (index === undefined || keys === undefined) return [];
    const owned: T[] = [];
    for (const key of [...keys].sort()) {
      const object = index.objects.get(key) as T;
      if (namespace === undefined || object.metadata.namespace === namespace) owned.push(object);
    }
    return owned;
  }

  put(object: KubeObject): void {
    let index = this.byKind.get(object.kind);
    if (!index) {
      index = { objects: new Map(), sorted: undefined, byOwner: new Map(), ownersOf: new Map() };
      this.byKind.set(object.kind, index);
    }
    const key = keyOf(object.metadata);
    if (!index.objects.has(key)) index.sorted = undefined;
    index.objects.set(key, object);
    this.unindexOwners(index, key);
    const owners = (object.metadata.ownerReferences ?? []).map((owner) => owner.uid);
    if (owners.length === 0) return;
    index.ownersOf.set(key, owners);
    for (const uid of owners) {
      let keys = index.byOwner.get(uid);
      if (!keys) {
        keys = new Set();
        index.byOwner.set(uid, keys);
      }
      keys.add(key);
    }
  }

  remove(kind: string, key: string): void {
    const index = this.byKind.get(kind);
    if (index === undefined || !index.objects.delete(key)) return;
    index.sorted = undefined;
    this.unindexOwners(index, key);
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  private keysOf(index: KindIndex, namespace: string): string[] {
    if (index.sorted === undefined) {
      const all = [...index.objects.keys()].sort();
      index.sorted = new Map([[ALL, all]]);
      for (const key of all) {
        const namespaceOfKey = index.objects.get(key)?.metadata.namespace ?? CLUSTER_SCOPED;
        let keys = index.sorted.get(namespaceOfKey);
        if (!keys) {
          keys = [];
          index.sorted.set(namespaceOfKey, keys);
        }
        keys.push(key);
      }
    }
    return index.sorted.get(namespace) ?? [];
  }

  private unindexOwners(index: KindIndex, key: string): void {
    for (const uid of index.ownersOf.get(key) ?? []) {
      const keys = index.byOwner.get(uid);
      keys?.delete(key);
      if (keys?.size === 0) index.byOwner.delete(uid);
    }
    index.ownersOf.delete(key);
  }
}
