/**
 * The object store: every object by kind and key, and the cluster-wide resourceVersion counter
 * (etcd's revision: every write takes the next value, so versions only ever increase). Reads
 * hand out the stored objects themselves; callers outside the simulator get clones.
 */
import { type KubeObject, keyOf } from './objects.js';

export class ObjectStore {
  private revision: number;
  private readonly byKind = new Map<string, Map<string, KubeObject>>();

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
    return this.byKind.get(kind)?.get(key) as T | undefined;
  }

  /** objects of `kind`, in `namespace` when given, ordered by key so output is stable */
  list<T extends KubeObject>(kind: string, namespace?: string): T[] {
    const objects = [...(this.byKind.get(kind)?.values() ?? [])] as T[];
    const filtered =
      namespace === undefined ? objects : objects.filter((o) => o.metadata.namespace === namespace);
    return filtered.sort((a, b) => (keyOf(a.metadata) < keyOf(b.metadata) ? -1 : 1));
  }

  put(object: KubeObject): void {
    let objects = this.byKind.get(object.kind);
    if (!objects) {
      objects = new Map();
      this.byKind.set(object.kind, objects);
    }
    objects.set(keyOf(object.metadata), object);
  }

  remove(kind: string, key: string): void {
    this.byKind.get(kind)?.delete(key);
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }
}
