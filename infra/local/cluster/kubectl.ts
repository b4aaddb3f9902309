/**
 * What the operator does with kubectl: apply manifests (create, or a patch of what changed
 * since the last apply, with the last-applied-configuration annotation kubectl keeps), delete,
 * scale, `rollout restart`, and a chaos helper that force-deletes pods. Each is one request by
 * the operator's IAM identity, written through the API server like any other.
 */
import { InvalidInputError, NotFoundError } from '../../../shared/errors.js';
import { controllerActor } from './audit/actors.js';
import type { SimContext } from './context.js';
import { parseManifests } from './manifest.js';
import type { NodePool } from './nodes.js';
import {
  clone,
  type Deployment,
  isTerminating,
  type KubeObject,
  keyOf,
  type Pod,
  RESOURCES,
  type Service,
  splitKey,
} from './objects.js';
import { twoWayMergePatch } from './patch.js';
import type { PodLifecycle } from './pods.js';
import type { ServiceAllocator } from './services.js';
import type { WorkloadControllers } from './workloads.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const APPLY_QUERY = 'fieldManager=kubectl-client-side-apply&fieldValidation=Strict';

export interface ApplyResult {
  kind: string;
  /** `ns/name`, or `name` for cluster-scoped kinds */
  key: string;
  action: 'created' | 'configured' | 'unchanged';
}

export interface KubectlDeps {
  ctx: SimContext;
  pods: PodLifecycle;
  nodes: NodePool;
  services: ServiceAllocator;
  workloads: WorkloadControllers;
}

function lastApplied(manifest: KubeObject): string {
  const copy = clone(manifest);
  if (copy.metadata.annotations) delete copy.metadata.annotations[LAST_APPLIED];
  return `${JSON.stringify(copy)}\n`;
}

export class Kubectl {
  constructor(private readonly deps: KubectlDeps) {}

  apply(input: string | unknown): ApplyResult[] {
    // Check every document before changing anything, as kubectl's client-side validation does.
    const manifests = parseManifests(input);
    const { store } = this.deps.ctx;
    const pendingNamespaces = new Set<string>();
    for (const manifest of manifests) {
      if (manifest.kind === 'Namespace') pendingNamespaces.add(manifest.metadata.name);
      const ns = manifest.metadata.namespace;
      if (ns !== undefined && !store.get('Namespace', ns) && !pendingNamespaces.has(ns))
        throw new InvalidInputError(
          `${manifest.kind} ${keyOf(manifest.metadata)}: metadata.namespace: namespace "${ns}" not found`,
          {
            subject: { kind: manifest.kind, name: keyOf(manifest.metadata), field: 'metadata.namespace' },
          },
        );
    }
    return manifests.map((manifest) => this.applyOne(manifest));
  }

  private applyOne(manifest: KubeObject): ApplyResult {
    const { ctx } = this.deps;
    const key = keyOf(manifest.metadata);
    const result = (action: ApplyResult['action']): ApplyResult => ({ kind: manifest.kind, key, action });
    const applied = lastApplied(manifest);
    const withAnnotation = clone(manifest);
    withAnnotation.metadata.annotations = { ...withAnnotation.metadata.annotations, [LAST_APPLIED]: applied };
    const current = ctx.store.get<KubeObject>(manifest.kind, key);

    if (manifest.kind === 'Node') {
      if (!current) {
        this.deps.nodes.add({ name: manifest.metadata.name, labels: manifest.metadata.labels ?? {} });
        return result('created');
      }
    }
    if (!current) {
      const object = clone(withAnnotation);
      if (object.kind === 'Service') this.deps.services.allocate(object as Service, undefined);
      if (object.kind === 'Pod') {
        const pod = object as Pod;
        pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
        this.deps.pods.create(ctx.operator, pod, { query: APPLY_QUERY, requestObject: withAnnotation });
      } else ctx.api.create(ctx.operator, object, { query: APPLY_QUERY, requestObject: withAnnotation });
      return result('created');
    }
    const previous = current.metadata.annotations?.[LAST_APPLIED];
    if (previous === applied) return result('unchanged');

    const next = this.merge(current, withAnnotation);
    const before = previous ? (JSON.parse(previous) as Record<string, unknown>) : {};
    const patch = twoWayMergePatch(before, manifest as unknown as Record<string, unknown>);
    const requestObject = {
      ...patch,
      metadata: {
        ...(patch.metadata as object | undefined),
        annotations: {
          ...(patch.metadata as { annotations?: object })?.annotations,
          [LAST_APPLIED]: applied,
        },
      },
    };
    ctx.api.update(ctx.operator, next, { verb: 'patch', requestObject, query: APPLY_QUERY });
    return result('configured');
  }

  /** The stored object after applying `manifest`: server-set fields and status survive. */
  private merge(current: KubeObject, manifest: KubeObject): KubeObject {
    const next = clone(manifest);
    next.metadata = { ...clone(current.metadata), ...next.metadata };
    for (const field of ['labels', 'annotations'] as const)
      if (manifest.metadata[field] === undefined) delete next.metadata[field];
    if (current.status !== undefined) next.status = clone(current.status);
    if (current.kind === 'Deployment') {
      const spec = next.spec as Deployment['spec'];
      // kubectl leaves replicas alone when the manifest does not set them (e.g. after a scale).
      spec.replicas ??= (current as Deployment).spec.replicas;
    }
    if (current.kind === 'Service') this.deps.services.allocate(next as Service, current as Service);
    if (current.kind === 'Pod') {
      const pod = current as Pod;
      if (JSON.stringify((next as Pod).spec.containers) !== JSON.stringify(pod.spec.containers))
        throw new InvalidInputError(
          `Pod ${keyOf(current.metadata)}: spec: pod updates may not change fields other than image, labels and annotations`,
          {
            subject: { kind: 'Pod', name: keyOf(current.metadata), field: 'spec' },
          },
        );
      next.spec = clone(pod.spec);
    }
    if (current.kind === 'Node') {
      next.spec = clone(current.spec);
      next.metadata.labels = { ...current.metadata.labels, ...manifest.metadata.labels };
    }
    return next;
  }

  delete(kind: string, key: string): void {
    const { ctx } = this.deps;
    const info = RESOURCES.get(kind);
    if (!info)
      throw new InvalidInputError(`unknown kind ${kind}`, { subject: { kind, name: key, field: 'kind' } });
    const object = ctx.store.get<KubeObject>(kind, key);
    if (!object) throw new NotFoundError(`${kind} ${key} not found`, { subject: { kind, name: key } });
    const options = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
    switch (kind) {
      case 'Pod':
        this.deps.pods.delete(ctx.operator, object as Pod);
        return;
      case 'Node':
        this.deps.nodes.remove(key);
        this.deps.pods.evictNode(key);
        return;
      case 'Service':
        this.deps.services.release(object as Service);
        ctx.api.delete(ctx.operator, object, options);
        return;
      case 'Namespace':
        ctx.api.delete(ctx.operator, object, options);
        this.emptyNamespace(key);
        return;
      default:
        ctx.api.delete(ctx.operator, object, options);
    }
  }

  /** The namespace controller deletes what was left in a deleted namespace. */
  private emptyNamespace(namespace: string): void {
    const { ctx } = this.deps;
    const actor = controllerActor(ctx.actors, 'namespace-controller');
    const options = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
    for (const kind of ['Ingress', 'Service', 'Deployment', 'ReplicaSet', 'Pod']) {
      for (const object of ctx.store.list<KubeObject>(kind, namespace)) {
        if (kind === 'Pod') this.deps.pods.delete(actor, object as Pod);
        else {
          if (kind === 'Service') this.deps.services.release(object as Service);
          ctx.api.delete(actor, object, options);
        }
      }
    }
  }

  scale(key: string, replicas: number): void {
    if (!Number.isInteger(replicas) || replicas < 0)
      throw new InvalidInputError(
        `Deployment ${key}: spec.replicas: must be a non-negative integer (got ${replicas})`,
        {
          subject: { kind: 'Deployment', name: key, field: 'spec.replicas' },
        },
      );
    const deployment = this.deployment(key);
    const next = clone(deployment);
    next.spec.replicas = replicas;
    this.deps.ctx.api.update(this.deps.ctx.operator, next, {
      verb: 'patch',
      subresource: 'scale',
      requestObject: { spec: { replicas } },
    });
  }

  /** `kubectl rollout restart`: a new template annotation, so every pod is replaced by a rolling update. */
  rollout(key: string): void {
    const deployment = this.deployment(key);
    const restartedAt = new Date(this.deps.ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const next = clone(deployment);
    next.spec.template.metadata = {
      ...next.spec.template.metadata,
      annotations: {
        ...next.spec.template.metadata?.annotations,
        'kubectl.kubernetes.io/restartedAt': restartedAt,
      },
    };
    this.deps.ctx.api.update(this.deps.ctx.operator, next, {
      verb: 'patch',
      query: 'fieldManager=kubectl-rollout',
      requestObject: {
        spec: {
          template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } },
        },
      },
    });
  }

  /** Force-deletes `count` running pods of a Deployment, picked at random; returns their keys. */
  kill(key: string, count: number): string[] {
    const deployment = this.deployment(key);
    const pods = this.deps.workloads
      .ownedReplicaSets(deployment)
      .flatMap((rs) => this.deps.workloads.ownedPods(rs))
      .filter((p) => !isTerminating(p));
    const victims = this.deps.ctx.rng.shuffle(pods).slice(0, count);
    for (const pod of victims) this.deps.pods.delete(this.deps.ctx.operator, pod, 0);
    return victims.map((p) => keyOf(p.metadata));
  }

  private deployment(key: string): Deployment {
    const deployment = this.deps.ctx.store.get<Deployment>('Deployment', key);
    if (!deployment)
      throw new NotFoundError(`Deployment ${key} not found`, { subject: { kind: 'Deployment', name: key } });
    const { namespace } = splitKey(key);
    if (namespace === undefined) throw new InvalidInputError(`Deployment key must be ns/name (got ${key})`);
    return deployment;
  }
}
