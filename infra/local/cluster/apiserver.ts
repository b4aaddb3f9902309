/**
 * The write path every change takes, whoever makes it (kubectl, a controller, a kubelet, a
 * client of the HTTP API): store the object with the next resourceVersion, write the audit
 * event the request produces, and tell the controllers something changed. One place, so a
 * resourceVersion is never bumped without its audit line and vice versa.
 */
import type { Actor } from './audit/actors.js';
import type { AuditRequest, AuditWriter } from './audit/event.js';
import {
  apiVersionOf,
  clone,
  formatTime,
  type KubeObject,
  keyOf,
  RESOURCES,
  type ResourceInfo,
} from './objects.js';
import type { Rng } from './rng.js';
import type { ObjectStore } from './store.js';

/** Kinds whose metadata.generation counts spec changes. */
const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'Ingress', 'IngressClass']);

export interface WriteOptions {
  verb?: 'update' | 'patch';
  /** the body as sent; defaults to the full object for create/update */
  requestObject?: unknown;
  subresource?: string;
  query?: string;
  annotations?: Record<string, string>;
}

export interface ApiServerDeps {
  store: ObjectStore;
  audit: AuditWriter;
  rng: Rng;
  now(): number;
  /** called after every write with the kind that changed */
  changed(kind: string): void;
}

export function resourceOf(kind: string): ResourceInfo {
  const info = RESOURCES.get(kind);
  if (!info) throw new Error(`no resource for kind ${kind}`);
  return info;
}

function specOf(object: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = object;
  return JSON.stringify(rest);
}

export class ApiServer {
  constructor(private readonly deps: ApiServerDeps) {}

  /** Creates `object` (with `generateName` when metadata.name is ''), returning the stored object. */
  create<T extends KubeObject>(actor: Actor, object: T, options: WriteOptions = {}): T {
    const { store, rng, now } = this.deps;
    const info = resourceOf(object.kind);
    const requestObject = options.requestObject ?? clone(object);
    const stored = clone(object);
    stored.apiVersion = apiVersionOf(info);
    if (stored.metadata.name === '' && stored.metadata.generateName)
      stored.metadata.name = stored.metadata.generateName + rng.nameSuffix(5);
    stored.metadata.uid = rng.uuid();
    stored.metadata.resourceVersion = store.nextResourceVersion();
    if (GENERATION_KINDS.has(object.kind)) stored.metadata.generation = 1;
    stored.metadata.creationTimestamp = formatTime(now());
    store.put(stored);
    this.audit(actor, info, stored, {
      verb: 'create',
      name: object.metadata.name === '' ? undefined : object.metadata.name,
      requestObject,
      responseObject: clone(stored),
      ...(options.query ? { query: options.query } : {}),
      ...(options.annotations ? { annotations: options.annotations } : {}),
    });
    this.deps.changed(object.kind);
    return stored;
  }

  /**
   * Replaces the stored object with `next` (same kind and key), keeping uid and creation time,
   * bumping resourceVersion, and generation when anything outside metadata and status changed.
   */
  update<T extends KubeObject>(actor: Actor, next: T, options: WriteOptions = {}): T {
    const { store } = this.deps;
    const info = resourceOf(next.kind);
    const current = store.get<T>(next.kind, keyOf(next.metadata));
    if (!current) throw new Error(`${next.kind} ${keyOf(next.metadata)} does not exist`);
    const stored = clone(next);
    stored.apiVersion = apiVersionOf(info);
    stored.metadata.uid = current.metadata.uid;
    stored.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if (current.metadata.generation !== undefined)
      stored.metadata.generation = current.metadata.generation + (specOf(current) === specOf(stored) ? 0 : 1);
    const verb = options.verb ?? 'update';
    // An update sends the object with the resourceVersion it read (optimistic concurrency).
    const requestObject = options.requestObject ?? {
      ...clone(stored),
      metadata: {
        ...clone(current.metadata),
        ...clone(stored.metadata),
        resourceVersion: current.metadata.resourceVersion,
      },
    };
    stored.metadata.resourceVersion = store.nextResourceVersion();
    store.put(stored);
    this.audit(actor, info, stored, {
      verb,
      name: stored.metadata.name,
      requestObject,
      responseObject: clone(stored),
      ...(options.subresource ? { subresource: options.subresource } : {}),
      ...(options.query ? { query: options.query } : {}),
    });
    this.deps.changed(next.kind);
    return stored;
  }

  /**
   * Marks an object for deletion after a grace period (pods): sets deletionTimestamp, bumps
   * resourceVersion, and logs the delete with the object as it now is.
   */
  deleteGracefully<T extends KubeObject>(
    actor: Actor,
    object: T,
    graceSeconds: number,
    requestObject: unknown,
  ): T {
    const stored = clone(object);
    stored.metadata.deletionTimestamp = formatTime(this.deps.now() + graceSeconds * 1000);
    stored.metadata.deletionGracePeriodSeconds = graceSeconds;
    stored.metadata.resourceVersion = this.deps.store.nextResourceVersion();
    this.deps.store.put(stored);
    this.audit(actor, resourceOf(stored.kind), stored, {
      verb: 'delete',
      name: stored.metadata.name,
      requestObject,
      responseObject: clone(stored),
    });
    this.deps.changed(stored.kind);
    return stored;
  }

  /** Removes an object now; the response is the object as it was, with a fresh resourceVersion. */
  delete<T extends KubeObject>(actor: Actor, object: T, requestObject: unknown): T {
    const gone = clone(object);
    gone.metadata.resourceVersion = this.deps.store.nextResourceVersion();
    this.deps.store.remove(object.kind, keyOf(object.metadata));
    this.audit(actor, resourceOf(gone.kind), gone, {
      verb: 'delete',
      name: gone.metadata.name,
      requestObject,
      responseObject: gone,
    });
    this.deps.changed(gone.kind);
    return gone;
  }

  /**
   * Stores a change that is the side effect of another, already logged request (a binding
   * setting spec.nodeName): a new resourceVersion, no audit line of its own.
   */
  commit<T extends KubeObject>(object: T): T {
    const stored = clone(object);
    stored.metadata.resourceVersion = this.deps.store.nextResourceVersion();
    this.deps.store.put(stored);
    this.deps.changed(stored.kind);
    return stored;
  }

  /** Logs a request that changes nothing stored (a binding, a read, a refused write). */
  record(actor: Actor, request: AuditRequest): void {
    this.deps.audit.write(actor, request);
  }

  private audit(
    actor: Actor,
    resource: ResourceInfo,
    object: KubeObject,
    request: Omit<AuditRequest, 'resource' | 'namespace'>,
  ): void {
    this.deps.audit.write(actor, { ...request, resource, namespace: object.metadata.namespace });
  }
}
